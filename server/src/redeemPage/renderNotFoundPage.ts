import { escapeHtml } from './escapeHtml';
import { icon } from './icons';
import { pageText } from './pageText';
import { renderDocument } from './renderDocument';

/**
 * The one page every unknown, malformed or guessed token gets: the same bytes whatever was asked,
 * so the answer tells a guesser nothing (send it with status 404).
 */
export function renderNotFoundPage(): string {
  const body =
    '<main class="page"><article class="card"><section class="body"><div class="state state-neutral">' +
    `<div class="state-icon">${icon('search')}</div><h2>${escapeHtml(pageText.notFoundTitle)}</h2>` +
    `<p class="hint">${escapeHtml(pageText.notFound)}</p></div></section></article></main>`;
  return renderDocument({ lang: 'en', title: pageText.notFoundTitle, theme: {}, body });
}
