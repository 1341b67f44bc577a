/** Text helpers for the poster: fitting text into a box and coping with the standard PDF fonts. */

/** The subset of a pdfkit document these helpers measure with. */
export interface TextMeasurer {
  heightOfString(text: string, options?: { width?: number; lineGap?: number }): number;
}

/** Characters beyond Latin-1 that the standard PDF fonts (WinAnsiEncoding) can still draw. */
const WIN_ANSI_EXTRAS = new Set([
  338, 339, 352, 353, 376, 381, 382, 402, 710, 732, 8211, 8212, 8216, 8217, 8218, 8220, 8221, 8222, 8224, 8225, 8226,
  8230, 8240, 8249, 8250, 8364, 8482,
]);

/**
 * Makes `text` drawable with the 14 standard PDF fonts: keeps WinAnsi characters, strips accents
 * the font cannot draw when the base letter remains (e.g. "ș" → "s"), turns other characters
 * into "?" and collapses control characters into spaces. Not needed when a Unicode TTF is used.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += code === 0x0a ? '\n' : ' ';
    else if (code <= 0xff || WIN_ANSI_EXTRAS.has(code)) out += char;
    else {
      const base = char.normalize('NFD').replace(/\p{M}/gu, '');
      out += [...base].every((c) => c.codePointAt(0)! <= 0xff) && base.length > 0 ? base : '?';
    }
  }
  return out;
}

/**
 * Returns `text` unchanged when it fits in `width` × `maxHeight` with the document's current
 * font, else the longest prefix (cut at a word boundary when one is near) followed by "…" that
 * fits. Returns "" when not even the ellipsis fits.
 */
export function fitText(doc: TextMeasurer, text: string, width: number, maxHeight: number, lineGap = 0): string {
  const fits = (candidate: string): boolean => doc.heightOfString(candidate, { width, lineGap }) <= maxHeight + 0.01;
  const clean = text.trim();
  if (fits(clean)) return clean;
  if (!fits('…')) return '';
  let low = 0;
  let high = clean.length;
  // Binary search on prefix length: height grows monotonically with the prefix.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(`${clean.slice(0, mid).trimEnd()}…`)) low = mid;
    else high = mid - 1;
  }
  let prefix = clean.slice(0, low);
  const lastSpace = prefix.lastIndexOf(' ');
  if (lastSpace > low * 0.7) prefix = prefix.slice(0, lastSpace);
  return `${prefix.trimEnd().replace(/[\s,.;:–-]+$/, '')}…`;
}
