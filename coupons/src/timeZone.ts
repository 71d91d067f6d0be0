import { DateTime, IANAZone } from 'luxon';
import type { RedemptionWindow, Weekday } from './couponSchema';
import { weekdays } from './couponSchema';

/** An IANA zone name the runtime knows (`Europe/Berlin`, `Asia/Tokyo`, `UTC`). */
export function isValidTimeZone(name: string): boolean {
  return name.length <= 64 && IANAZone.isValidZone(name);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `ms` falls inside the window, read in `zone`. */
export function insideWindow(window: RedemptionWindow, zone: string, ms: number): boolean {
  const local = DateTime.fromMillis(ms, { zone });
  const day: Weekday = weekdays[local.weekday - 1]!;
  const minute = local.hour * 60 + local.minute;
  return window.days.includes(day) && minute >= minutesOf(window.from) && minute < minutesOf(window.to);
}

/** The first moment at or after `ms` inside the window (a window opens at least once a week). */
export function nextWindowOpening(window: RedemptionWindow, zone: string, ms: number): number {
  if (insideWindow(window, zone, ms)) return ms;
  const today = DateTime.fromMillis(ms, { zone }).startOf('day');
  for (let i = 0; i <= 7; i++) {
    const day = today.plus({ days: i });
    if (!window.days.includes(weekdays[day.weekday - 1]!)) continue;
    const opens = day.plus({ minutes: minutesOf(window.from) }).toMillis();
    if (opens > ms) return opens;
  }
  return ms; // unreachable for a valid window
}

/** The local midnights from the day holding `fromMs` up to `toMs`, plus the next one (the series' day edges). */
export function dayEdges(zone: string, fromMs: number, toMs: number): number[] {
  const edges: number[] = [];
  let day = DateTime.fromMillis(fromMs, { zone }).startOf('day');
  edges.push(day.toMillis());
  while (day.toMillis() < toMs) {
    day = day.plus({ days: 1 });
    edges.push(day.toMillis());
  }
  return edges;
}

/** `2026-06-01` for a local midnight in `zone`. */
export function localDate(zone: string, ms: number): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}
