import { describe, expect, it } from 'vitest';
import { dischargePath, emptyDischargeForm, toDischargeSubmission } from './discharge-model.ts';

const ready = { ready: true, unmet: [] };
const notReady = { ready: false, unmet: ['Observed 95 of at least 120 minutes.'] };

describe('discharge', () => {
  it('discharges a ready patient once the instructions are given', () => {
    const values = { ...emptyDischargeForm(), escortPresent: true, instructionsGiven: true };
    const { submission } = toDischargeSubmission({ readiness: ready, canOverride: false, values, id: 'd1' });
    expect(submission).toEqual({
      id: 'd1',
      escortPresent: true,
      instructionsGiven: true,
      note: null,
      override: null,
    });
  });

  it('asks for the instructions first', () => {
    const { errors } = toDischargeSubmission({
      readiness: ready,
      canOverride: false,
      values: emptyDischargeForm(),
      id: 'd1',
    });
    expect(errors.instructionsGiven).toMatch(/discharge instructions/);
  });

  it('lets only a prescriber discharge against an unmet criterion', () => {
    expect(dischargePath(notReady, false)).toBe('not-allowed');
    expect(dischargePath(notReady, true)).toBe('override');
    expect(dischargePath(ready, false)).toBe('ready');
    const values = { ...emptyDischargeForm(), instructionsGiven: true };
    expect(
      toDischargeSubmission({ readiness: notReady, canOverride: false, values, id: 'd1' }).errors.form,
    ).toMatch(/Not ready for discharge/);
  });

  it('signs an override with a rationale and the password', () => {
    const values = {
      ...emptyDischargeForm(),
      escortPresent: true,
      instructionsGiven: true,
      overrideRationale: 'Clinically stable, escort is a nurse; observed 95 min.',
      password: 'pw',
    };
    const { submission } = toDischargeSubmission({
      readiness: notReady,
      canOverride: true,
      values,
      id: 'd1',
    });
    expect(submission?.override).toEqual({
      rationale: 'Clinically stable, escort is a nurse; observed 95 min.',
      password: 'pw',
    });
    const missing = toDischargeSubmission({
      readiness: notReady,
      canOverride: true,
      values: { ...values, overrideRationale: '', password: '' },
      id: 'd1',
    });
    expect(Object.keys(missing.errors).sort()).toEqual(['overrideRationale', 'password']);
  });
});
