import bwipjs from 'bwip-js/node';
import { ean13CheckDigit, type CodeDisplay } from '@couponflow/coupons';
import { escapeHtml } from './escapeHtml';

export type BarcodeDisplay = Exclude<CodeDisplay, 'text'>;

interface Symbology {
  bcid: string;
  name: string;
  /** Quiet zones are part of the drawing, so the SVG scans on any background. */
  options: Partial<bwipjs.RenderOptions>;
  /** bwip-js draws EAN-13's digits itself (the standard layout around the guard bars). */
  drawsOwnText: boolean;
}

const symbologies: Record<BarcodeDisplay, Symbology> = {
  qrcode: { bcid: 'qrcode', name: 'QR code', options: { padding: 8 }, drawsOwnText: false },
  code128: { bcid: 'code128', name: 'Code 128', options: { paddingwidth: 10 }, drawsOwnText: false },
  code39: { bcid: 'code39', name: 'Code 39', options: { paddingwidth: 10 }, drawsOwnText: false },
  ean13: { bcid: 'ean13', name: 'EAN-13', options: { includetext: true, guardwhitespace: true, height: 18 }, drawsOwnText: true },
};

const scale = 2;
const monospace = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

/**
 * `code` drawn in `display` as one self-contained inline SVG: white background, quiet zones, and the
 * human-readable text under the symbol. EAN-13 codes are stored as 12 digits; bwip-js adds the check digit.
 * Throws when the symbology cannot encode the code (the coupon schema refuses those when saved).
 */
export function renderBarcodeSvg(display: BarcodeDisplay, code: string): string {
  const symbology = symbologies[display];
  const drawing = draw(symbology, code, undefined);
  const { width, height, body } = display === 'code128' || display === 'code39' ? draw(symbology, code, barHeightFor(drawing.width)) : drawing;
  const label = `${symbology.name}: ${display === 'ean13' ? fullEan13(code) : code}`;
  // A QR code's quiet zone is 4 modules (16 units) all round: the text may sit in half of it.
  const textTop = display === 'qrcode' ? height - 8 : height;
  const text = symbology.drawsOwnText ? null : humanReadable(code, width, textTop, display === 'qrcode' ? 0.085 : 0.075);
  const totalHeight = text ? textTop + text.band : height;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${round(totalHeight)}" role="img" aria-label="${escapeHtml(label)}" class="barcode barcode-${display}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${body}${text?.svg ?? ''}</svg>`
  );
}

function draw(symbology: Symbology, code: string, barHeightMm: number | undefined) {
  const svg = bwipjs.toSVG({
    bcid: symbology.bcid,
    text: code,
    scale,
    ...symbology.options,
    ...(barHeightMm ? { height: barHeightMm } : {}),
  });
  const viewBox = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
  const open = svg.indexOf('>');
  const close = svg.lastIndexOf('</svg>');
  if (!viewBox || open < 0 || close < 0) throw new Error(`unexpected bwip-js SVG for ${symbology.bcid}`);
  return { width: Number(viewBox[1]), height: Number(viewBox[2]), body: svg.slice(open + 1, close).trim() };
}

/** Bars about a quarter as tall as the symbol is wide, so short and long codes both look like barcodes. */
function barHeightFor(widthUnits: number): number {
  const units = Math.min(Math.max(widthUnits * 0.26, 80), 190);
  const unitsPerMm = (72 / 25.4) * scale;
  return Math.round((units / unitsPerMm) * 10) / 10;
}

/** The code as text centred under the symbol, as large as fits its width. */
function humanReadable(code: string, width: number, top: number, maxShare: number) {
  const fontSize = Math.min(width * maxShare, (width * 0.9) / (code.length * 0.62));
  const svg =
    `<text x="${round(width / 2)}" y="${round(top + fontSize * 1.1)}" text-anchor="middle" ` +
    `font-family="${monospace}" font-size="${round(fontSize)}" fill="#111418">${escapeHtml(code)}</text>`;
  return { band: fontSize * 1.6, svg };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function fullEan13(code: string): string {
  return code.length === 12 ? code + ean13CheckDigit(code) : code;
}
