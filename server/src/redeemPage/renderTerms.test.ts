import { describe, expect, it } from 'vitest';
import { renderTerms } from './renderTerms';

describe('terms written by the admin', () => {
  it('plain text keeps its paragraphs and line breaks', () => {
    expect(renderTerms('One per customer.\nWhile stocks last.\n\nNot valid on sale items.')).toBe(
      '<p>One per customer.<br>While stocks last.</p><p>Not valid on sale items.</p>',
    );
  });

  it('simple markdown becomes headings, lists, emphasis and links', () => {
    const html = renderTerms('## How to use\n- Show the code **before paying**\n- One per *visit*\n\n1. Open\n2. Redeem\n\nSee [our terms](https://shop.example.com/terms?a=1&b=2).');
    expect(html).toBe(
      '<h3>How to use</h3><ul><li>Show the code <strong>before paying</strong></li><li>One per <em>visit</em></li></ul>' +
        '<ol><li>Open</li><li>Redeem</li></ol>' +
        '<p>See <a href="https://shop.example.com/terms?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">our terms</a>.</p>',
    );
  });

  it('a script tag stays text', () => {
    const html = renderTerms('Enjoy <script>alert(1)</script> & more');
    expect(html).toBe('<p>Enjoy &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>');
    expect(html).not.toMatch(/<script/i);
  });

  it('quotes cannot break out of a link attribute', () => {
    const html = renderTerms('[click](https://x.example/" onmouseover="alert(1)) and " onmouseover="x');
    expect(html).not.toContain('" onmouseover="');
    expect(html).not.toMatch(/<a [^>]*onmouseover/);
    expect(html).toContain('&quot; onmouseover=&quot;x');
  });

  it('only http(s) links become links; javascript: stays text', () => {
    const html = renderTerms('[free](javascript:alert(1)) [data](data:text/html,hi)');
    expect(html).not.toContain('<a');
    expect(html).toContain('[free](javascript:alert(1))');
  });

  it('underscores and stars inside a link address are left alone', () => {
    expect(renderTerms('[t](https://x.example/_a_/*b*)')).toBe(
      '<p><a href="https://x.example/_a_/*b*" rel="noopener noreferrer nofollow" target="_blank">t</a></p>',
    );
  });

  it('empty terms render nothing', () => {
    expect(renderTerms('  \n\n ')).toBe('');
  });
});
