import express, { type RequestHandler } from 'express';

/**
 * Deeper than any body the API takes (a flow draft is about 8 levels). Without a limit a draft
 * nested 5,000 levels deep parsed fine and then overflowed the stack when it was stored.
 */
export const maxJsonDepth = 64;

/** The body-parser error type the error handler turns into 400 `json_too_deep`. */
export const jsonTooDeep = 'entity.too.deep';

/**
 * `express.json` that refuses bodies nested deeper than `maxJsonDepth` before parsing them, and
 * strings that are not well-formed Unicode (a lone surrogate from a `\ud800` escape breaks
 * encoding, hashing and storage further on) as malformed JSON.
 */
export function jsonBody({ limit }: { limit: string }): RequestHandler {
  return express.json({
    limit,
    reviver: (key, value: unknown) => {
      if (loneSurrogate.test(key) || (typeof value === 'string' && loneSurrogate.test(value))) throw new SyntaxError('a string is not well-formed Unicode');
      return value;
    },
    verify: (_req, _res, raw) => {
      if (jsonDepthExceeds(raw, maxJsonDepth))
        throw Object.assign(new Error(`The JSON body is nested deeper than ${maxJsonDepth} levels`), { type: jsonTooDeep });
    },
  });
}

/** In a `u` regex a surrogate pair is one code point, so only a lone surrogate matches. */
const loneSurrogate = /\p{Cs}/u;

const quote = 0x22;
const backslash = 0x5c;
const openBracket = 0x5b;
const openBrace = 0x7b;
const closeBracket = 0x5d;
const closeBrace = 0x7d;

/**
 * One pass over the raw UTF-8 bytes, counting brackets outside strings (multi-byte characters
 * never contain these ASCII bytes). Malformed JSON is left for the parser to refuse.
 */
export function jsonDepthExceeds(raw: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (inString) {
      if (byte === backslash) i++;
      else if (byte === quote) inString = false;
    } else if (byte === quote) inString = true;
    else if (byte === openBracket || byte === openBrace) {
      if (++depth > max) return true;
    } else if (byte === closeBracket || byte === closeBrace) depth--;
  }
  return false;
}
