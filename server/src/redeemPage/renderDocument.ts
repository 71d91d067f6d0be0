import { escapeHtml } from './escapeHtml';
import { pageScript } from './pageScript';
import { pageCss, resolveTheme, themeCss, type PageTheme } from './pageStyles';

export interface DocumentParts {
  lang: string;
  title: string;
  theme: Partial<PageTheme>;
  body: string;
}

/**
 * The HTML shell every page of this module shares. No external resources but the admin's https
 * images; the page never sends the token-bearing URL as a Referer to them or to the use-button site.
 */
export function renderDocument({ lang, title, theme, body }: DocumentParts): string {
  const colors = resolveTheme(theme);
  return (
    `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">' +
    '<meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">' +
    `<meta name="color-scheme" content="light"><meta name="theme-color" content="${colors.background}">` +
    `<title>${escapeHtml(title)}</title><style>${themeCss(colors)}${pageCss}</style></head>` +
    `<body>${body}<script>${pageScript}</script></body></html>`
  );
}
