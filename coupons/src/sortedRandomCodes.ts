import { randomBytes } from 'node:crypto';
import { charsets, type Charset } from './codeAlphabet';

const randomBlock = 64 * 1024;

/**
 * Random codes, sorted and without repeats, held in one Buffer of fixed-width ASCII codes (no
 * string per code until one is asked for). A million JS strings sorted with `Array#sort` took
 * longer than writing them to SQLite; here a code's first characters become a number and the
 * numbers are sorted natively as a typed array.
 */
export interface SortedCodes {
  /** how many distinct codes */
  readonly size: number;
  /** the i-th code in ascending (code unit) order, prefix included */
  code(i: number): string;
}

interface Alphabet {
  /** the characters in code unit order, so comparing digit values compares the strings */
  text: string;
  size: number;
  /** per random byte, the digit it draws (the byte modulo `size`), or -1 for the top bytes that rejection sampling throws away */
  digitOf: Int8Array;
  /** per digit, its character's code */
  charOf: Uint8Array;
}

const alphabets = new Map<Charset, Alphabet>();

function alphabetOf(charset: Charset): Alphabet {
  let found = alphabets.get(charset);
  if (!found) {
    const text = [...charsets[charset]].sort().join('');
    const size = text.length;
    const digitOf = new Int8Array(256).fill(-1);
    for (let byte = 0; byte < 256 - (256 % size); byte++) digitOf[byte] = byte % size;
    found = { text, size, digitOf, charOf: Uint8Array.from(text, (c) => c.charCodeAt(0)) };
    alphabets.set(charset, found);
  }
  return found;
}

/** Uniform digits below the alphabet's size from node:crypto bytes, drawn in blocks (rejection sampling). */
class RandomDigits {
  private random: Buffer;
  private at = 0;

  constructor(
    private readonly digitOf: Int8Array,
    expectedBytes: number,
  ) {
    this.random = randomBytes(Math.min(randomBlock, Math.ceil(expectedBytes) + 64));
  }

  next(): number {
    let digit: number;
    do {
      if (this.at >= this.random.length) {
        this.random = randomBytes(randomBlock);
        this.at = 0;
      }
      digit = this.digitOf[this.random[this.at++]!]!;
    } while (digit < 0);
    return digit;
  }
}

/** How many random bytes `characters` draws of an alphabet of `size` take, on average. */
const bytesFor = (characters: number, size: number) => characters * (256 / (256 - (256 % size)));

/**
 * `count` draws of `length` characters from `charset` (node:crypto, rejection sampling so every
 * character is equally likely), sorted; repeats are dropped, so `size` may fall short of `count`.
 */
export function sortedRandomCodes(count: number, charset: Charset, length: number, prefix = ''): SortedCodes {
  const { size, digitOf, charOf } = alphabetOf(charset);
  const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  const indexScale = 2 ** indexBits;
  // The sort key: a code's leading characters as a number, its index below them. 32 bits sort
  // fastest; when they leave too few characters to tell most codes apart, a double's 53.
  const digitsWithin = (bits: number) => {
    let digits = 0;
    while (digits < length && size ** (digits + 1) * indexScale <= 2 ** bits) digits++;
    return digits;
  };
  const narrow = digitsWithin(32) === length || size ** digitsWithin(32) >= count * 1024;
  const keyDigits = digitsWithin(narrow ? 32 : 53);

  const bytes = Buffer.allocUnsafe(count * length);
  const keys = narrow ? new Uint32Array(count) : new Float64Array(count);
  // Drawn in blocks: a million codes' worth at once would sit in memory beside the codes.
  const digits = new RandomDigits(digitOf, bytesFor(count * length, size));
  for (let i = 0, out = 0; i < count; i++) {
    let key = 0;
    for (let c = 0; c < length; c++) {
      const digit = digits.next();
      if (c < keyDigits) key = key * size + digit;
      bytes[out++] = charOf[digit]!;
    }
    keys[i] = key * indexScale + i;
  }
  keys.sort();

  const { order, kept } = distinctInOrder(bytes, length, keys, indexScale);
  // One string for the lot: cutting a code out of it costs far less than decoding it from the Buffer.
  const text = bytes.toString('latin1');
  return {
    size: kept,
    code: (i) => prefix + text.slice(order[i]! * length, (order[i]! + 1) * length),
  };
}

/**
 * The same as `sortedRandomCodes`, handed over a group at a time so that a million codes never sit
 * in memory at once: each code's first few characters are drawn first, only to count how many
 * codes start with each; then, group by group in ascending order, the rest of that many codes is
 * drawn and sorted. Drawing the leading characters of every code and then the remaining ones is
 * the same as drawing every code whole: together these are `count` independent uniform draws,
 * ascending across groups, repeats dropped within each group (codes of two groups never repeat).
 * `groupCodes`: about how many codes a group holds.
 */
export function* sortedRandomCodeGroups(count: number, charset: Charset, length: number, prefix = '', groupCodes = 4096): Generator<SortedCodes> {
  const { text: alphabet, size, digitOf } = alphabetOf(charset);
  let leading = 0;
  while (leading < length && count / size ** leading > groupCodes) leading++;
  if (leading === 0) {
    yield sortedRandomCodes(count, charset, length, prefix);
    return;
  }
  const groups = new Uint32Array(size ** leading);
  const digits = new RandomDigits(digitOf, bytesFor(count * leading, size));
  for (let i = 0; i < count; i++) {
    let group = 0;
    for (let c = 0; c < leading; c++) group = group * size + digits.next();
    groups[group]!++;
  }
  for (let group = 0; group < groups.length; group++) {
    const drawn = groups[group]!;
    if (drawn === 0) continue;
    let start = '';
    for (let rest = group, c = 0; c < leading; c++, rest = Math.floor(rest / size)) start = alphabet[rest % size]! + start;
    // Codes made of their leading characters alone: the group is one code, however often drawn.
    if (leading === length) yield { size: 1, code: () => prefix + start };
    else yield sortedRandomCodes(drawn, charset, length - leading, prefix + start);
  }
}

/**
 * The codes' indices in sorted order without repeats, from their sorted keys. Apart from
 * `sortedRandomCodes` so that no closure there holds on to the bytes once the codes are cut.
 */
function distinctInOrder(bytes: Buffer, length: number, keys: Float64Array | Uint32Array, indexScale: number): { order: Uint32Array; kept: number } {
  const count = keys.length;
  // < 0 when code a sorts before code b
  const compare = (a: number, b: number) => bytes.compare(bytes, b * length, (b + 1) * length, a * length, (a + 1) * length);
  // Written over the keys' own memory: the k-th index (4 bytes at 4k) lands where keys already read
  // lay (the i-th key is at 8i, and k ≤ i), so no second array of a million entries is needed.
  const order = new Uint32Array(keys.buffer, keys.byteOffset, count);
  let kept = 0;
  for (let i = 0; i < count; ) {
    const head = Math.floor(keys[i]! / indexScale);
    let end = i + 1;
    while (end < count && Math.floor(keys[end]! / indexScale) === head) end++;
    if (end === i + 1) order[kept++] = keys[i]! - head * indexScale;
    else {
      // Codes sharing the key's characters (rare): ordered by the rest, repeats dropped.
      const run: number[] = [];
      for (let j = i; j < end; j++) run.push(keys[j]! - head * indexScale);
      run.sort(compare);
      for (let j = 0; j < run.length; j++) if (j === 0 || compare(run[j - 1]!, run[j]!) !== 0) order[kept++] = run[j]!;
    }
    i = end;
  }
  return { order, kept };
}
