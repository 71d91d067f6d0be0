import type { Charset } from './codeAlphabet';

export const codeDisplays = ['text', 'qrcode', 'code128', 'code39', 'ean13'] as const;
export type CodeDisplay = (typeof codeDisplays)[number];

const code39Chars = /^[A-Z0-9 .$/+%-]+$/;
const printableAscii = /^[\x20-\x7e]+$/;

export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** Whether the redeem page can draw `code` in `display` (EAN-13: 12 digits, or 13 with a valid check digit). */
export function canDisplayCode(display: CodeDisplay, code: string): boolean {
  switch (display) {
    case 'text':
    case 'qrcode':
      return true;
    case 'code128':
      return printableAscii.test(code);
    case 'code39':
      return code39Chars.test(code);
    case 'ean13':
      return /^\d{12}$/.test(code) || (/^\d{13}$/.test(code) && ean13CheckDigit(code) === Number(code[12]));
  }
}

/** Whether every code a unique coupon generates can be drawn; EAN-13 pools are 12 digits (the check digit is drawn). */
export function canDisplayGeneratedCodes(display: CodeDisplay, charset: Charset, length: number, prefix: string): string | null {
  if (display === 'ean13') {
    if (charset !== 'numeric' || !/^\d*$/.test(prefix) || prefix.length + length !== 12)
      return 'EAN-13 codes need the numeric charset, a numeric prefix, and prefix + length = 12 digits';
    return null;
  }
  if (!canDisplayCode(display, prefix || 'A')) return `the prefix cannot be drawn as ${display}`;
  return null;
}
