import { escapeHtml } from './escapeHtml';

/**
 * Terms as plain text or simple markdown: paragraphs, `#` headings, `-`/`*`/`1.` lists,
 * **bold**, *italic*, `[text](https://…)` links. The whole text is escaped FIRST; the markdown
 * rules only ever add fixed tags around already-escaped text, so nothing the admin types is markup.
 */
export function renderTerms(terms: string): string {
  const lines = escapeHtml(terms.replace(/\r\n?/g, '\n')).split('\n');
  const blocks: string[] = [];
  let paragraph: string[] = [];
  let items: string[] = [];
  let listTag: 'ul' | 'ol' | null = null;
  const flush = () => {
    if (paragraph.length) blocks.push(`<p>${paragraph.map(inline).join('<br>')}</p>`);
    if (listTag) blocks.push(`<${listTag}>${items.map((item) => `<li>${inline(item)}</li>`).join('')}</${listTag}>`);
    paragraph = [];
    items = [];
    listTag = null;
  };
  for (const line of lines) {
    const tag = bullet.test(line) ? 'ul' : numbered.test(line) ? 'ol' : null;
    if (line.trim() === '') flush();
    else if (heading.test(line)) {
      flush();
      blocks.push(`<h3>${inline(line.replace(heading, ''))}</h3>`);
    } else if (tag) {
      if (listTag !== tag) flush();
      listTag = tag;
      items.push(line.replace(tag === 'ul' ? bullet : numbered, ''));
    } else if (listTag && /^\s+\S/.test(line)) items[items.length - 1] += ` ${line.trim()}`;
    else {
      if (listTag) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks.join('');
}

const bullet = /^\s*[-*•]\s+/;
const numbered = /^\s*\d{1,3}[.)]\s+/;
const heading = /^\s*#{1,6}\s+/;

const link = /\[([^\]]+)\]\((https?:\/\/[^\s()]+)\)/g;

/** Runs on escaped text: a link's URL cannot contain a raw quote or angle bracket any more. */
function inline(line: string): string {
  const text = line.trim();
  let html = '';
  let rest = 0;
  for (const match of text.matchAll(link)) {
    html += emphasis(text.slice(rest, match.index));
    html += `<a href="${match[2]}" rel="noopener noreferrer nofollow" target="_blank">${emphasis(match[1]!)}</a>`;
    rest = match.index + match[0].length;
  }
  return html + emphasis(text.slice(rest));
}

function emphasis(text: string): string {
  return text
    .replace(/\*\*(?=\S)(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*(?=\S)([^*]+?)\*(?![*\w])/g, '$1<em>$2</em>')
    .replace(/(^|[^_\w])_(?=\S)([^_]+?)_(?![_\w])/g, '$1<em>$2</em>');
}
