/**
 * The order that sorts `codes` in code unit order (as a stable `Array#sort` would: equal codes
 * keep their order), as indices into `codes`. Fast: a few characters of each code
 * after the prefix they all share become a number, the numbers are sorted natively as a
 * Float64Array, and only codes whose numbers tie are compared as strings. Sorting 600,000 codes
 * with `Array#sort` alone took a large share of a 10 MB import.
 */
export function sortedOrder(codes: readonly string[]): Uint32Array {
  const count = codes.length;
  if (count < 2) return Uint32Array.from(codes.keys());
  const indexScale = 2 ** Math.max(1, Math.ceil(Math.log2(count + 1)));
  // Base 129: 0 for "past the end", then 1 + each ASCII code (a shorter code sorts first).
  let keyChars = 0;
  while (129 ** (keyChars + 1) * indexScale <= 2 ** 53) keyChars++;
  if (keyChars === 0) return plainOrder(codes);
  const skip = sharedPrefixLength(codes);

  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const code = codes[i]!;
    let key = 0;
    for (let c = skip; c < skip + keyChars; c++) {
      const unit = c < code.length ? code.charCodeAt(c) : -1;
      // Outside ASCII the key would not be exact: plain sort (imports only hold ASCII codes).
      if (unit > 127) return plainOrder(codes);
      key = key * 129 + unit + 1;
    }
    keys[i] = key * indexScale + i;
  }
  keys.sort();

  const order = new Uint32Array(count);
  for (let i = 0; i < count; ) {
    const head = Math.floor(keys[i]! / indexScale);
    let end = i + 1;
    while (end < count && Math.floor(keys[end]! / indexScale) === head) end++;
    if (end === i + 1) order[i] = keys[i]! - head * indexScale;
    else {
      // Codes whose key characters tie, in file order: a stable sort of the rest.
      const run: number[] = [];
      for (let j = i; j < end; j++) run.push(keys[j]! - head * indexScale);
      run.sort((a, b) => (codes[a]! < codes[b]! ? -1 : codes[a]! > codes[b]! ? 1 : 0));
      order.set(run, i);
    }
    i = end;
  }
  return order;
}

function plainOrder(codes: readonly string[]): Uint32Array {
  const indices = Array.from(codes.keys());
  indices.sort((a, b) => (codes[a]! < codes[b]! ? -1 : codes[a]! > codes[b]! ? 1 : 0));
  return Uint32Array.from(indices);
}

function sharedPrefixLength(codes: readonly string[]): number {
  const first = codes[0]!;
  let shared = first.length;
  for (let i = 1; i < codes.length && shared > 0; i++) {
    const code = codes[i]!;
    let c = 0;
    while (c < shared && c < code.length && code.charCodeAt(c) === first.charCodeAt(c)) c++;
    shared = c;
  }
  return shared;
}
