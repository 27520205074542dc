import { describe, expect, it } from 'vitest';
import {
  type AdverseEventFormValues,
  formFromEvent,
  suggestedSerious,
  toAdverseEventAmendment,
  toAdverseEventSubmission,
} from './adverse-event-model.ts';

const values = (overrides: Partial<AdverseEventFormValues> = {}): AdverseEventFormValues => ({
  category: 'nausea-vomiting',
  severity: 'moderate',
  description: ' Vomited twice at 30 min ',
  actionTaken: 'Ondansetron 4 mg ODT',
  outcome: 'resolved',
  serious: false,
  onsetAt: '2026-06-01T10:30',
  reason: '',
  ...overrides,
});

describe('an adverse event', () => {
  it('sends the trimmed record with a client id', () => {
    const { submission } = toAdverseEventSubmission(values(), 'e1');
    expect(submission).toEqual({
      id: 'e1',
      category: 'nausea-vomiting',
      severity: 'moderate',
      serious: false,
      description: 'Vomited twice at 30 min',
      actionTaken: 'Ondansetron 4 mg ODT',
      outcome: 'resolved',
      onsetAt: new Date('2026-06-01T10:30').toISOString(),
    });
  });

  it('flags a severe event, respiratory depression or a fatal outcome as serious, and keeps a nurse’s flag', () => {
    expect(suggestedSerious({ severity: 'severe', outcome: 'resolved', category: 'other' })).toBe(true);
    expect(
      suggestedSerious({ severity: 'mild', outcome: 'resolved', category: 'respiratory-depression' }),
    ).toBe(true);
    expect(suggestedSerious({ severity: 'mild', outcome: 'fatal', category: 'other' })).toBe(true);
    expect(suggestedSerious({ severity: 'moderate', outcome: 'resolved', category: 'sedation' })).toBe(false);
    expect(toAdverseEventSubmission(values({ severity: 'severe' }), 'e1').submission?.serious).toBe(true);
    expect(toAdverseEventSubmission(values({ serious: true }), 'e1').submission?.serious).toBe(true);
  });

  it('names every missing field', () => {
    const { errors } = toAdverseEventSubmission(
      values({ category: '', severity: '', description: ' ', actionTaken: 'ok', outcome: '', onsetAt: '' }),
      'e1',
    );
    expect(Object.keys(errors).sort()).toEqual([
      'actionTaken',
      'category',
      'description',
      'onsetAt',
      'outcome',
      'severity',
    ]);
  });
});

describe('an amendment', () => {
  it('sends the whole event as it now stands, the version it amends and why', () => {
    const { submission } = toAdverseEventAmendment(
      values({ outcome: 'ongoing', reason: ' Vomiting returned at 60 min ' }),
      'e2',
      1,
    );
    expect(submission).toMatchObject({
      id: 'e2',
      expectedVersion: 1,
      reason: 'Vomiting returned at 60 min',
      outcome: 'ongoing',
    });
  });

  it('needs a reason', () => {
    const { submission, errors } = toAdverseEventAmendment(values(), 'e2', 1);
    expect(submission).toBeNull();
    expect(errors).toEqual({ reason: 'Say why the record is amended.' });
  });

  it('reopens a recorded version as the form', () => {
    const { submission } = toAdverseEventSubmission(values(), 'e1');
    const { id: _id, ...recorded } = submission!;
    expect(formFromEvent(recorded, () => '2026-06-01T10:30')).toEqual({
      ...values({ description: 'Vomited twice at 30 min' }),
    });
  });
});
