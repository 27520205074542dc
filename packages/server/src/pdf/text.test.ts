import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitText, printableText, wrapText } from './text.ts';

let font: Awaited<ReturnType<PDFDocument['embedFont']>>;
beforeAll(async () => {
  font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
});

describe('PDF text', () => {
  it('keeps Western accents, spells out the signs it knows and marks the rest', () => {
    expect(printableText(font, 'José Müller ≥ 2 h → home, 5 × 0.5 mg')).toBe(
      'José Müller >= 2 h -> home, 5 x 0.5 mg',
    );
    expect(printableText(font, '王 ok')).toBe('? ok');
  });

  it('wraps at spaces and line breaks, never wider than asked, and cuts a word too long for a line', () => {
    const width = 120;
    const text = `Rest for the remainder of the day.\nNo driving until tomorrow. ${'a1b2c3d4'.repeat(8)}`;
    const lines = wrapText(font, text, 10, width);
    expect(lines.slice(0, 2)).toEqual(['Rest for the remainder of', 'the day.']);
    expect(lines.join(' ')).toContain('No driving until');
    for (const line of lines) expect(font.widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(width);
    expect(lines.join('').replace(/[^a-d0-9]/g, '')).toContain('a1b2c3d4'.repeat(8));
  });

  it('fits a value into a box with an ellipsis', () => {
    expect(fitText(font, 'short', 9, 200)).toBe('short');
    const cut = fitText(font, 'A rather long concomitant medication name', 9, 60);
    expect(cut.endsWith('…')).toBe(true);
    expect(font.widthOfTextAtSize(cut, 9)).toBeLessThanOrEqual(60);
  });
});
