import { describe, expect, it } from 'vitest';
import { ageOn, formatDate, todayIn } from './patient-format.ts';

describe('ageOn', () => {
  it.each([
    ['1980-06-15', '2026-06-14', 45],
    ['1980-06-15', '2026-06-15', 46],
    ['2000-02-29', '2025-02-28', 24],
    ['2000-02-29', '2025-03-01', 25],
    ['2026-01-01', '2026-01-01', 0],
  ])('born %s, on %s: %i', (born, on, age) => {
    expect(ageOn(born, on)).toBe(age);
  });

  it('refuses malformed or future dates rather than guessing', () => {
    expect(ageOn('15/06/1980', '2026-06-15')).toBeNull();
    expect(ageOn('2030-01-01', '2026-06-15')).toBeNull();
  });
});

describe('dates', () => {
  it('shows a calendar date without shifting it by a time zone', () => {
    expect(formatDate('1980-01-01')).toBe('Jan 1, 1980');
    expect(formatDate(null)).toBe('—');
  });

  it('takes today from the clinic’s time zone', () => {
    const instant = new Date('2026-03-01T05:00:00Z');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-02-28');
    expect(todayIn('Europe/Berlin', instant)).toBe('2026-03-01');
  });
});
