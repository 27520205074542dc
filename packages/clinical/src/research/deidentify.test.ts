import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageInYears,
  dateShiftRange,
  daysBetween,
  deidentificationRules,
  drawDateShiftDays,
  drawResearchId,
  exportedAge,
  type RandomInt,
  researchIdLength,
  safeHarborAge,
  safeHarborIdentifiers,
  shiftDay,
} from './deidentify.ts';

/** A RandomInt that answers the given draws in order (each relative to its min). */
const scripted =
  (...draws: number[]): RandomInt =>
  (min) =>
    min + draws.shift()!;

describe('the Safe Harbor identifier list (45 CFR 164.514(b)(2)(i))', () => {
  it('names all 18 paragraphs, A to R, once each, with what Kapstone does', () => {
    expect(safeHarborIdentifiers.map((i) => i.paragraph)).toEqual([...'ABCDEFGHIJKLMNOPQR']);
    for (const identifier of safeHarborIdentifiers) expect(identifier.kapstone.length).toBeGreaterThan(20);
  });

  it('removes everything except dates (relative and shifted); ZIP codes and free text included', () => {
    const byParagraph = Object.fromEntries(safeHarborIdentifiers.map((i) => [i.paragraph, i]));
    expect(byParagraph.C!.action).toBe('dates-relative-and-shifted');
    expect(safeHarborIdentifiers.filter((i) => i.action !== 'removed').map((i) => i.paragraph)).toEqual([
      'C',
    ]);
    expect(byParagraph.B!.kapstone).toMatch(/ZIP/);
    expect(byParagraph.R!.kapstone).toMatch(/No free text/);
    expect(byParagraph.H!.kapstone).toMatch(/not derived from the MRN/);
  });

  it('catalogues each research rule with the regulation as its source', () => {
    expect(deidentificationRules.map((r) => r.id)).toEqual([
      'research.safe-harbor-identifiers',
      'research.age-90-plus',
      'research.date-shift',
      'research.pseudonym',
    ]);
    for (const rule of deidentificationRules) {
      expect(rule.area).toBe('research');
      expect(rule.citation.source).toMatch(/164\.514|design choice/);
    }
  });
});

describe('ages (164.514(b)(2)(i)(C): over 89 as one category)', () => {
  it.each([
    [0, '0'],
    [18, '18'],
    [89, '89'],
    [90, '90+'],
    [91, '90+'],
    [104, '90+'],
  ])('age %i is exported as %s', (age, shown) => {
    expect(safeHarborAge(age)).toBe(shown);
  });

  it('gives "90+" to a patient who is 89 on day zero and over 89 on a later exported day', () => {
    // Born 1936-03-01: 89 on day zero (2025-09-01), 90 from 2026-03-01.
    expect(exportedAge('1936-03-01', '2025-09-01', '2026-02-28')).toBe('89');
    expect(exportedAge('1936-03-01', '2025-09-01', '2026-03-01')).toBe('90+');
    expect(exportedAge('1936-03-01', '2025-09-01', '2025-09-01')).toBe('89');
    expect(exportedAge('1980-06-15', '2026-06-15', '2027-06-15')).toBe('46');
    expect(exportedAge('1930-01-01', '2026-01-01', '2026-01-01')).toBe('90+');
    // A last day before day zero (a baseline) does not lower the age.
    expect(exportedAge('1936-03-01', '2026-03-01', '2026-02-20')).toBe('90+');
  });

  it('refuses an age that is not whole years', () => {
    expect(() => safeHarborAge(42.5)).toThrow(RangeError);
    expect(() => safeHarborAge(-1)).toThrow(RangeError);
  });

  it.each([
    ['1980-06-15', '2026-06-14', 45],
    ['1980-06-15', '2026-06-15', 46],
    ['1936-01-01', '2026-01-01', 90],
    ['1936-01-02', '2026-01-01', 89],
    ['2000-02-29', '2026-02-28', 25],
    ['2000-02-29', '2026-03-01', 26],
  ])('born %s, on %s: %i years', (born, day, years) => {
    expect(ageInYears(born, day)).toBe(years);
  });

  it('refuses a day before birth and a date that does not exist', () => {
    expect(() => ageInYears('2026-01-02', '2026-01-01')).toThrow(RangeError);
    expect(() => ageInYears('1980-02-30', '2026-01-01')).toThrow(RangeError);
    expect(() => ageInYears('15/06/1980', '2026-01-01')).toThrow(RangeError);
  });
});

describe('the per-patient date shift', () => {
  it('maps the draws onto the range without zero: the ends and both sides of zero', () => {
    const size = dateShiftRange.maxDays - dateShiftRange.minDays;
    expect(drawDateShiftDays(scripted(0))).toBe(-180);
    expect(drawDateShiftDays(scripted(179))).toBe(-1);
    expect(drawDateShiftDays(scripted(180))).toBe(1);
    expect(drawDateShiftDays(scripted(size - 1))).toBe(180);
  });

  it('is never zero and always within the range, whatever the draw (property)', () => {
    const size = dateShiftRange.maxDays - dateShiftRange.minDays;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: size - 1 }), (draw) => {
        const shift = drawDateShiftDays(scripted(draw));
        return shift !== 0 && shift >= dateShiftRange.minDays && shift <= dateShiftRange.maxDays;
      }),
    );
  });

  it('refuses a broken random source and a range that does not straddle zero', () => {
    expect(() => drawDateShiftDays(() => 1000)).toThrow(RangeError);
    expect(() => drawDateShiftDays(() => 0.5)).toThrow(RangeError);
    expect(() => drawDateShiftDays(scripted(0), { minDays: 1, maxDays: 10 })).toThrow(RangeError);
  });

  it('moves a day by whole days, across months and years, and back again (property)', () => {
    expect(shiftDay('2026-01-01', -1)).toBe('2025-12-31');
    expect(shiftDay('2024-02-28', 1)).toBe('2024-02-29');
    expect(() => shiftDay('2026-01-01', 0.5)).toThrow(RangeError);
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }),
        fc.integer({ min: -180, max: 180 }),
        (date, shift) => {
          const day = date.toISOString().slice(0, 10);
          const moved = shiftDay(day, shift);
          return daysBetween(day, moved) === shift && shiftDay(moved, -shift) === day;
        },
      ),
    );
  });

  it('counts days between calendar days (relative days since the first dose)', () => {
    expect(daysBetween('2026-03-01', '2026-03-01')).toBe(0);
    expect(daysBetween('2026-03-01', '2026-03-08')).toBe(7);
    expect(daysBetween('2026-03-08', '2026-03-01')).toBe(-7);
    // 8 March 2026 is the US daylight-saving change: calendar days, not 24-hour periods.
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2);
  });
});

describe('research ids', () => {
  it('are R- and 10 Crockford base-32 symbols taken from the random source only', () => {
    expect(drawResearchId(() => 0)).toBe('R-0000000000');
    expect(drawResearchId(scripted(31, 1, 2, 3, 4, 5, 6, 7, 8, 9))).toBe('R-Z123456789');
    const id = drawResearchId((min, max) => min + Math.floor(Math.random() * (max - min)));
    expect(id).toMatch(new RegExp(`^R-[0-9A-HJKMNP-TV-Z]{${researchIdLength}}$`));
  });
});
