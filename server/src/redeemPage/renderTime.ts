import { escapeHtml } from './escapeHtml';

export interface TimeFormat {
  locale: string;
  timeZone: string;
}

/**
 * A `<time>` showing `iso` in the server's locale and zone; the page script rewrites it into the
 * phone's own zone, so customers see their local time once JS runs.
 */
export function renderTime(iso: string, format: TimeFormat): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `<time datetime="${date.toISOString()}" data-local>${escapeHtml(formatter(format).format(date))}</time>`;
}

// Building a formatter costs far more than formatting with one: kept per locale and zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter({ locale, timeZone }: TimeFormat): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = newFormatter(locale, timeZone);
    if (formatters.size >= 100) formatters.clear();
    formatters.set(key, format);
  }
  return format;
}

function newFormatter(locale: string, timeZone: string): Intl.DateTimeFormat {
  const options = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' } as const;
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat('en', { ...options, timeZone: 'UTC' });
  }
}
