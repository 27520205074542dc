import { describe, expect, it } from 'vitest';
import {
  emptyPreDoseForm,
  type GateResult,
  gateStatus,
  toChecklistSubmission,
  toOverrideSubmission,
} from './pre-dose-model.ts';

describe('the pre-dose checklist', () => {
  it('prefills the ride home known from the pre-check-in', () => {
    const values = emptyPreDoseForm({ escortName: 'Sam Rivera', rideHomeConfirmed: true });
    expect(values.escortName).toBe('Sam Rivera');
    expect(values.rideHomeConfirmed).toBe(true);
    expect(values.noDrivingAcknowledged).toBe(false);
  });

  it('sends hours as numbers and one medication change a line', () => {
    const values = {
      ...emptyPreDoseForm(),
      hoursSinceFood: '3',
      hoursSinceLiquids: '0,5',
      escortName: ' Sam Rivera ',
      rideHomeConfirmed: true,
      noDrivingAcknowledged: true,
      medicationChanges: 'lorazepam 0.5 mg\n\n  sertraline 100 mg ',
    };
    const { submission, errors } = toChecklistSubmission(values, 'c1');
    expect(errors).toEqual({});
    expect(submission).toEqual({
      id: 'c1',
      hoursSinceFood: 3,
      hoursSinceLiquids: 0.5,
      escortName: 'Sam Rivera',
      escortPhone: null,
      rideHomeConfirmed: true,
      noDrivingAcknowledged: true,
      pregnancy: 'not-applicable',
      medicationChanges: [{ name: 'lorazepam 0.5 mg' }, { name: 'sertraline 100 mg' }],
      suicideRiskAssessedToday: false,
      note: null,
    });
  });

  it('leaves an unconfirmed ride or an empty fasting time to the gate, not to the form', () => {
    const { submission } = toChecklistSubmission(emptyPreDoseForm(), 'c1');
    expect(submission).toMatchObject({ hoursSinceFood: null, rideHomeConfirmed: false });
  });

  it('refuses hours that are not a number, and a confirmed ride without a name', () => {
    const { submission, errors } = toChecklistSubmission(
      { ...emptyPreDoseForm(), hoursSinceFood: 'lunch', hoursSinceLiquids: '-1', rideHomeConfirmed: true },
      'c1',
    );
    expect(submission).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['escortName', 'hoursSinceFood', 'hoursSinceLiquids']);
  });
});

const cautions: GateResult = {
  proceed: true,
  blockers: [],
  cautions: ['BP 150/92 is above 140/90: weigh the BP rise against the benefit.', 'Baseline MOAA/S is 4.'],
};
const blocked: GateResult = {
  proceed: false,
  blockers: ['No confirmed ride home with a named escort.'],
  cautions: ['Baseline MOAA/S is 4.'],
};

describe('the gate status line', () => {
  it('names blockers, cautions, an override and a clear gate', () => {
    expect(gateStatus(null, false).kind).toBe('not-checked');
    expect(gateStatus(blocked, false)).toEqual({
      kind: 'blocked',
      headline: 'Do not dose: 1 blocker to resolve',
    });
    expect(gateStatus(cautions, false).headline).toBe('2 cautions need a prescriber’s review');
    expect(gateStatus(cautions, true).kind).toBe('cautions-overridden');
    expect(gateStatus({ proceed: true, blockers: [], cautions: [] }, false).kind).toBe('clear');
  });
});

describe('the prescriber’s override', () => {
  const values = {
    acknowledged: [...cautions.cautions],
    rationale: 'BP is her usual; rechecked 145/90.',
    password: 'pw',
  };

  it('signs every caution with a rationale and the password', () => {
    const { submission } = toOverrideSubmission({ gate: cautions, values, signatureId: 's1' });
    expect(submission).toEqual({
      signatureId: 's1',
      cautions: cautions.cautions,
      rationale: 'BP is her usual; rechecked 145/90.',
      password: 'pw',
    });
  });

  it('never overrides a blocker', () => {
    const { submission, errors } = toOverrideSubmission({
      gate: blocked,
      values: { ...values, acknowledged: blocked.cautions },
      signatureId: 's1',
    });
    expect(submission).toBeNull();
    expect(errors.form).toMatch(/blocker cannot be overridden/);
  });

  it('asks for each caution, a real rationale and the password', () => {
    const { errors } = toOverrideSubmission({
      gate: cautions,
      values: { acknowledged: [cautions.cautions[0]!], rationale: 'ok', password: '' },
      signatureId: 's1',
    });
    expect(errors).toEqual({
      acknowledged: 'Acknowledge each caution (1 not yet).',
      rationale: 'Write why dosing is safe despite the cautions (a sentence at least).',
      password: 'Re-enter your password to sign the override.',
    });
  });
});
