import { describe, expect, it } from 'vitest';
import { renderNotFoundPage } from './renderNotFoundPage';

describe('someone follows a wrong or guessed link', () => {
  it('gets one generic page that reveals nothing about the token', () => {
    const html = renderNotFoundPage();
    expect(html).toContain('<h2>Link not found</h2>');
    expect(html).toContain('<meta name="robots" content="noindex,nofollow">');
    expect(renderNotFoundPage()).toBe(html);
  });
});
