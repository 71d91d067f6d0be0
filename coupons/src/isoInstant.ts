const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const threeDigits = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayMs = 86_400_000;
/** 10000-01-01: from here on toISOString writes a six-digit year. */
const lastFastMs = 253_402_300_800_000;

let cachedDay = NaN;
let cachedDayText = '';

/**
 * `Date#toISOString` for exports, about eight times faster: the day part is cached (the instants
 * of an export mostly fall on a few days) and the time of day is pieced from digit tables. A
 * million records carry three million instants; `toISOString` alone took longer than reading them.
 * Outside 1970–9999 it is `toISOString` itself. `null` is an empty cell.
 */
export function isoInstant(date: Date | null): string {
  if (date === null) return '';
  const ms = date.getTime();
  if (!(ms >= 0 && ms < lastFastMs)) return date.toISOString();
  const day = Math.floor(ms / dayMs);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * dayMs).toISOString().slice(0, 11);
  }
  let rest = ms - day * dayMs;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return cachedDayText + twoDigits[hours] + ':' + twoDigits[minutes] + ':' + twoDigits[seconds] + '.' + threeDigits[rest - seconds * 1000] + 'Z';
}
