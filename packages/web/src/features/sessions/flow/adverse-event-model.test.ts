import { describe, expect, it } from 'vitest';
import {
  type AdverseEventFormValues,
  suggestedSerious,
  toAdverseEventSubmission,
} from './adverse-event-model.ts';

const values = (overrides: Partial<AdverseEventFormValues> = {}): AdverseEventFormValues => ({
  severity: 'moderate',
  description: ' Vomited twice at 30 min ',
  actionTaken: 'Ondansetron 4 mg ODT',
  outcome: 'resolved',
  serious: false,
  occurredAt: '2026-06-01T10:30',
  amendmentReason: '',
  ...overrides,
});

describe('an adverse event', () => {
  it('sends the trimmed record with a client id', () => {
    const { submission } = toAdverseEventSubmission(values(), 'e1');
    expect(submission).toEqual({
      id: 'e1',
      severity: 'moderate',
      description: 'Vomited twice at 30 min',
      actionTaken: 'Ondansetron 4 mg ODT',
      outcome: 'resolved',
      serious: false,
      occurredAt: new Date('2026-06-01T10:30').toISOString(),
    });
  });

  it('flags a severe event, or a transfer to emergency care, as serious', () => {
    expect(suggestedSerious({ severity: 'severe', outcome: 'resolved' })).toBe(true);
    expect(suggestedSerious({ severity: 'mild', outcome: 'transferred' })).toBe(true);
    expect(suggestedSerious({ severity: 'moderate', outcome: 'resolved' })).toBe(false);
    expect(toAdverseEventSubmission(values({ severity: 'life-threatening' }), 'e1').submission?.serious).toBe(
      true,
    );
    expect(toAdverseEventSubmission(values({ serious: true }), 'e1').submission?.serious).toBe(true);
  });

  it('names every missing field, and the reason of an amendment', () => {
    const { errors } = toAdverseEventSubmission(
      values({ severity: '', description: ' ', actionTaken: '', outcome: '', occurredAt: '' }),
      'e1',
      { amendment: true },
    );
    expect(Object.keys(errors).sort()).toEqual([
      'actionTaken',
      'amendmentReason',
      'description',
      'occurredAt',
      'outcome',
      'severity',
    ]);
  });
});
