import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord } from './csvCell';

describe('writing a CSV record', () => {
  it('writes what csv-stringify writes for the formula-guarded cells, tricky ones included', () => {
    const cells = ['plain', '', null, undefined, 42, 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', '=HYPERLINK("http://evil")', '+1', '-2', '@SUM(A1)', '\tTAB', '\rCR', 'é,ü', "'quoted'"];
    expect(csvRecord(cells)).toBe(stringify([cells.map(csvCell)]));
  });
});
