import { describe, expect, it } from 'vitest';
import { bandLabel, instrumentName, reportedItems, routesFor } from './eligibility-format.ts';

describe('eligibility formatting', () => {
  it('lists what the patient reported, with its answer, in a stable order', () => {
    expect(
      reportedItems({ mania: 'unsure', psychosis: 'yes', medications: [{ name: 'Alprazolam' }] }),
    ).toEqual([
      { label: 'Psychosis', answer: 'yes' },
      { label: 'Mania, hypomania or bipolar disorder', answer: 'unsure' },
    ]);
    expect(reportedItems(undefined)).toEqual([]);
  });

  it('names bands as the instrument defines them', () => {
    expect(instrumentName('phq9')).toBe('PHQ-9');
    expect(bandLabel('phq9', 'moderately-severe')).toMatch(/oderately severe/);
    expect(bandLabel('unknown', 'x')).toBe('x');
  });

  it('offers esketamine by the nasal route only', () => {
    expect(routesFor.esketamine).toEqual(['intranasal']);
  });
});
