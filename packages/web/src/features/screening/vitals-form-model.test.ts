import { describe, expect, it } from 'vitest';
import { emptyVitalsForm, localInputValue, toVitalsSubmission } from './vitals-form-model.ts';

const id = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

describe('vitals form model', () => {
  it('sends the typed numbers and leaves out empty fields', () => {
    const values = {
      ...emptyVitalsForm(new Date(2026, 5, 1, 9, 30)),
      systolic: '128',
      diastolic: '82',
      weightKg: '70,5',
    };
    const { submission, errors } = toVitalsSubmission(values, id);
    expect(errors).toEqual({});
    expect(submission).toEqual({
      id,
      measuredAt: new Date(2026, 5, 1, 9, 30).toISOString(),
      systolic: 128,
      diastolic: 82,
      weightKg: 70.5,
    });
  });

  it('names the field that is not a number, and asks for at least one measurement', () => {
    expect(toVitalsSubmission({ ...emptyVitalsForm(), heartRate: 'seventy' }, id).errors).toEqual({
      heartRate: 'Enter a number.',
    });
    expect(toVitalsSubmission(emptyVitalsForm(), id).errors).toEqual({
      systolic: 'Enter at least one measurement.',
    });
    expect(toVitalsSubmission({ ...emptyVitalsForm(), measuredAt: '', spo2: '98' }, id).errors).toEqual({
      measuredAt: 'Enter when it was measured.',
    });
  });

  it('formats an instant for a datetime-local input', () => {
    expect(localInputValue(new Date(2026, 0, 5, 7, 3))).toBe('2026-01-05T07:03');
  });
});
