import { describe, expect, it } from 'vitest';
import {
  emptyPreDoseForm,
  formFromAnswers,
  type GateResult,
  gateStatus,
  toChecklistSubmission,
  toOverrideSubmission,
} from './pre-dose-model.ts';

describe('the pre-dose checklist', () => {
  it('sends hours as numbers, the pregnancy answers and one medication change a line', () => {
    const values = {
      ...emptyPreDoseForm(),
      hoursSinceFood: '3',
      hoursSinceLiquids: '0,5',
      escortPresent: true,
      pregnancy: 'test-negative' as const,
      medicationChanges: 'lorazepam 0.5 mg\n\n  sertraline 100 mg ',
    };
    const { submission, errors } = toChecklistSubmission(values, 'c1');
    expect(errors).toEqual({});
    expect(submission).toEqual({
      id: 'c1',
      hoursSinceFood: 3,
      hoursSinceLiquids: 0.5,
      pregnant: false,
      pregnancyTestNegative: true,
      medicationChanges: [{ name: 'lorazepam 0.5 mg' }, { name: 'sertraline 100 mg' }],
      suicideRiskAssessedToday: false,
      escortPresent: true,
      note: null,
    });
  });

  it('leaves an absent escort or an empty fasting time to the gate, not to the form', () => {
    const { submission } = toChecklistSubmission(emptyPreDoseForm(), 'c1');
    expect(submission).toMatchObject({ hoursSinceFood: null, escortPresent: false, pregnant: null });
  });

  it('refuses hours that are not a number', () => {
    const { submission, errors } = toChecklistSubmission(
      { ...emptyPreDoseForm(), hoursSinceFood: 'lunch', hoursSinceLiquids: '-1' },
      'c1',
    );
    expect(submission).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['hoursSinceFood', 'hoursSinceLiquids']);
  });

  it('reopens the last answers as the form, pregnancy included', () => {
    for (const pregnancy of [
      'not-applicable',
      'not-pregnant',
      'test-negative',
      'test-positive',
      'pregnant',
    ] as const) {
      const values = { ...emptyPreDoseForm(), pregnancy, hoursSinceFood: '2.5', medicationChanges: 'a\nb' };
      const { submission } = toChecklistSubmission(values, 'c1');
      const { id: _id, ...answers } = submission!;
      expect(formFromAnswers(answers)).toEqual(values);
    }
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
