import type { PDFFont } from 'pdf-lib';

/**
 * The 14 standard PDF fonts carry the WinAnsi character set only (Latin-1 plus a few typographic marks), which
 * covers the accents of Western names. Characters outside it that our documents use are spelled out; anything
 * else prints as "?". The stored text is never changed: this is only how a PDF shows it.
 */
const spelledOut: Record<string, string> = {
  '≥': '>=',
  '≤': '<=',
  '→': '->',
  '←': '<-',
  '≈': '~',
  '−': '-',
  '×': 'x',
};

/** What each font could encode, per character (the same few characters recur on every line of a report). */
const encodable = new WeakMap<PDFFont, Map<string, string>>();

/** `text` as the font can draw it. */
export function printableText(font: PDFFont, text: string): string {
  let cache = encodable.get(font);
  if (!cache) {
    cache = new Map();
    encodable.set(font, cache);
  }
  let out = '';
  for (const ch of text) {
    let mapped = cache.get(ch);
    if (mapped === undefined) {
      mapped = spelledOut[ch] ?? ch;
      try {
        font.encodeText(mapped);
      } catch {
        mapped = '?';
      }
      cache.set(ch, mapped);
    }
    out += mapped;
  }
  return out;
}

/**
 * `text` made printable and broken into lines no wider than `width` at `size`: at spaces, at line breaks, and
 * inside a word too wide for a line on its own (an id, a hash, a URL).
 */
export function wrapText(font: PDFFont, text: string, size: number, width: number): string[] {
  const fits = (candidate: string) => font.widthOfTextAtSize(candidate, size) <= width;
  const lines: string[] = [];
  // Split before mapping: a line break is not a character the font can draw.
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of printableText(font, paragraph).split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      let piece = '';
      for (const ch of word) {
        if (piece && !fits(piece + ch)) {
          lines.push(piece);
          piece = '';
        }
        piece += ch;
      }
      line = piece;
    }
    lines.push(line);
  }
  return lines;
}

/** `text` made printable and cut with an ellipsis to fit `room` (a labelled box of a form). */
export function fitText(font: PDFFont, text: string, size: number, room: number): string {
  const whole = printableText(font, text);
  if (font.widthOfTextAtSize(whole, size) <= room) return whole;
  let cut = whole;
  while (cut.length > 1 && font.widthOfTextAtSize(`${cut}…`, size) > room) cut = cut.slice(0, -1);
  return `${cut}…`;
}
