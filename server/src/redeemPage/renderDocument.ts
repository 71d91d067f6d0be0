import { escapeHtml } from './escapeHtml';
import { pageScript } from './pageScript';
import { pageCss, resolveTheme, themeCss, type PageTheme } from './pageStyles';

export interface DocumentParts {
  lang: string;
  title: string;
  theme: Partial<PageTheme>;
  body: string;
}

/** What a page is sent as: its own text, with the parts every page shares encoded once (see pageChunks). */
export type PageChunks = (string | Buffer)[];

// The style sheet and script are most of every page's bytes: encoded once, not per request.
const styleAndBodyOpen = Buffer.from(`${pageCss}</style></head><body>`);
const scriptAndClose = Buffer.from(`<script>${pageScript}</script></body></html>`);

/**
 * The HTML shell every page of this module shares. No external resources but the admin's https
 * images; the page never sends the token-bearing URL as a Referer to them or to the use-button site.
 */
export function renderDocument(parts: DocumentParts): string {
  return chunksToString(documentChunks(parts));
}

/** The same document as chunks to write one after the other (the redeem route's hot path). */
export function documentChunks({ body, ...parts }: DocumentParts): PageChunks {
  const { before, after } = documentFrame(parts);
  return [...before, body, ...after];
}

/** The document around its body: what goes before it and after it. */
export function documentFrame({ lang, title, theme }: Omit<DocumentParts, 'body'>): { before: PageChunks; after: PageChunks } {
  const colors = resolveTheme(theme);
  const head =
    `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">' +
    '<meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">' +
    `<meta name="color-scheme" content="light"><meta name="theme-color" content="${colors.background}">` +
    `<title>${escapeHtml(title)}</title><style>${themeCss(colors)}`;
  return { before: [head, styleAndBodyOpen], after: [scriptAndClose] };
}

export const chunksToString = (chunks: PageChunks): string => chunks.map((chunk) => (typeof chunk === 'string' ? chunk : chunk.toString('utf8'))).join('');
