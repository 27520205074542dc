import { describe, expect, it } from 'vitest';
import { demoIntakeAnswers } from './intake.demo.ts';
import { answerChanges, changedAnswerPaths } from './intake.diff.ts';
import {
  contraindicationQuestions,
  flaggedContraindicationAnswers,
  type IntakeDraft,
  incompleteSections,
  intakeAnswersSchema,
  intakeDraftSchema,
  intakeSectionDraftSchemas,
  missingIntakeFields,
  withoutUnaskedFollowUps,
} from './intake.schemas.ts';

const complete = () => structuredClone(demoIntakeAnswers()) as IntakeDraft;
const paths = (draft: IntakeDraft) => missingIntakeFields(draft).map((m) => m.path);
const yes = { answer: 'yes' } as const;
const unsure = { answer: 'unsure' } as const;

describe('intake completeness', () => {
  it('finds nothing missing in a complete intake, and the complete schema accepts it', () => {
    expect(paths(complete())).toEqual([]);
    expect(intakeAnswersSchema.safeParse(complete()).success).toBe(true);
  });

  it('lists every question of an empty draft, in form order, each by its path', () => {
    const missing = paths({});
    expect(missing[0]).toBe('medical.cardiovascular.hypertension');
    expect(missing.at(-1)).toBe('goals.goals');
    expect(missing).toHaveLength(40);
    // Follow-ups are asked only when their condition holds.
    expect(missing).not.toContain('medical.cardiovascular.hypertensionControlled');
    expect(missing).not.toContain('medical.reproductive.pregnant');
    expect(missing).not.toContain('medications.items');
    // Optional fields are never required.
    expect(missing).not.toContain('medical.reproductive.lastMenstrualPeriod');
    expect(missing).not.toContain('goals.concerns');
    expect(incompleteSections({})).toEqual([
      'medical',
      'psychiatric',
      'substances',
      'medications',
      'allergies',
      'emergencyContact',
      'goals',
    ]);
  });

  // One row per rule: a change to a complete intake, and exactly the paths it leaves missing.
  const cases: { name: string; change: (d: IntakeDraft) => void; missing: string[] }[] = [
    {
      name: 'an unanswered question is missing (absent is not "no")',
      change: (d) => {
        delete d.medical!.cardiovascular!.stroke;
      },
      missing: ['medical.cardiovascular.stroke'],
    },
    {
      name: 'details without an answer are not an answer',
      change: (d) => {
        d.psychiatric!.psychosis = { details: 'not sure what counts' };
      },
      missing: ['psychiatric.psychosis'],
    },
    {
      name: '"unsure" is an answer',
      change: (d) => {
        d.psychiatric!.mania = unsure;
      },
      missing: [],
    },
    {
      name: 'hypertension "yes" asks whether it is controlled',
      change: (d) => {
        d.medical!.cardiovascular!.hypertension = yes;
      },
      missing: ['medical.cardiovascular.hypertensionControlled'],
    },
    {
      name: 'hypertension "unsure" asks too',
      change: (d) => {
        d.medical!.cardiovascular!.hypertension = unsure;
      },
      missing: ['medical.cardiovascular.hypertensionControlled'],
    },
    {
      name: 'hypertension "yes" with the follow-up answered is complete',
      change: (d) => {
        d.medical!.cardiovascular!.hypertension = yes;
        d.medical!.cardiovascular!.hypertensionControlled = yes;
      },
      missing: [],
    },
    {
      name: 'a possible pregnancy asks pregnant, breastfeeding and pre-eclampsia',
      change: (d) => {
        d.medical!.reproductive = { pregnancyPossible: yes };
      },
      missing: [
        'medical.reproductive.pregnant',
        'medical.reproductive.breastfeeding',
        'medical.reproductive.preEclampsia',
      ],
    },
    {
      name: 'the last menstrual period stays optional when pregnancy is possible',
      change: (d) => {
        d.medical!.reproductive = {
          pregnancyPossible: unsure,
          pregnant: { answer: 'no' },
          breastfeeding: { answer: 'no' },
          preEclampsia: { answer: 'no' },
        };
      },
      missing: [],
    },
    {
      name: 'pregnancy questions are not asked when pregnancy is not possible',
      change: (d) => {
        d.medical!.reproductive = { pregnancyPossible: { answer: 'no' } };
      },
      missing: [],
    },
    {
      name: 'antidepressants "yes" needs at least one trial',
      change: (d) => {
        d.psychiatric!.antidepressants = { tried: yes, trials: [] };
      },
      missing: ['psychiatric.antidepressants.trials'],
    },
    {
      name: 'antidepressants "unsure" needs no list',
      change: (d) => {
        d.psychiatric!.antidepressants = { tried: unsure };
      },
      missing: [],
    },
    {
      name: 'a trial needs the drug and the response; dose and duration are optional',
      change: (d) => {
        d.psychiatric!.antidepressants = { tried: yes, trials: [{ dose: '20 mg' }] };
      },
      missing: ['psychiatric.antidepressants.trials.0.drug', 'psychiatric.antidepressants.trials.0.response'],
    },
    {
      name: 'medications "yes" needs at least one medicine',
      change: (d) => {
        d.medications = { taking: yes };
      },
      missing: ['medications.items'],
    },
    {
      name: 'a medicine needs its name, dose and frequency',
      change: (d) => {
        d.medications = { taking: yes, items: [{ name: 'Lamotrigine', dose: '  ' }] };
      },
      missing: ['medications.items.0.dose', 'medications.items.0.frequency'],
    },
    {
      name: 'allergies "yes" needs at least one allergy',
      change: (d) => {
        d.allergies = { any: yes, items: [] };
      },
      missing: ['allergies.items'],
    },
    {
      name: 'an allergy needs its reaction',
      change: (d) => {
        d.allergies = { any: yes, items: [{ substance: 'Ketamine' }] };
      },
      missing: ['allergies.items.0.reaction'],
    },
    {
      name: 'the emergency contact needs a name, relationship and phone',
      change: (d) => {
        d.emergencyContact = { name: 'Sam' };
      },
      missing: ['emergencyContact.relationship', 'emergencyContact.phone'],
    },
    {
      name: 'goals are required; concerns are not',
      change: (d) => {
        d.goals = { concerns: 'none' };
      },
      missing: ['goals.goals'],
    },
    {
      name: 'a whole section absent is every question of it',
      change: (d) => {
        delete d.allergies;
      },
      missing: ['allergies.any'],
    },
  ];

  for (const { name, change, missing } of cases) {
    it(name, () => {
      const draft = complete();
      change(draft);
      expect(intakeDraftSchema.safeParse(draft).success).toBe(true);
      expect(paths(draft)).toEqual(missing);
      if (missing.length === 0) expect(intakeAnswersSchema.safeParse(draft).success).toBe(true);
    });
  }

  it('is pure: the same draft gives the same answer and is not modified', () => {
    const draft = complete();
    delete draft.goals;
    const before = JSON.stringify(draft);
    expect(paths(draft)).toEqual(paths(draft));
    expect(JSON.stringify(draft)).toBe(before);
  });
});

describe('follow-ups that no longer apply', () => {
  it('are dropped: pregnancy answers after "not possible", lists after an explicit "no"', () => {
    const draft = complete();
    draft.medical!.reproductive = { pregnancyPossible: { answer: 'no' }, pregnant: yes, breastfeeding: yes };
    draft.medical!.cardiovascular!.hypertensionControlled = { answer: 'no' };
    draft.medications = {
      taking: { answer: 'no' },
      items: [{ name: 'Old', dose: '1 mg', frequency: 'daily' }],
    };
    draft.allergies = { any: unsure, items: [{ substance: 'Latex', reaction: 'Rash' }] };
    const before = JSON.stringify(draft);
    const cleaned = withoutUnaskedFollowUps(draft);
    expect(cleaned.medical?.reproductive).toEqual({ pregnancyPossible: { answer: 'no' } });
    expect(cleaned.medical?.cardiovascular?.hypertensionControlled).toBeUndefined();
    expect(cleaned.medications).toEqual({ taking: { answer: 'no' } });
    // "Not sure" keeps what the person listed.
    expect(cleaned.allergies?.items).toHaveLength(1);
    expect(JSON.stringify(draft)).toBe(before);
    expect(paths(cleaned)).toEqual([]);
  });

  it('are kept while they apply', () => {
    const draft = complete();
    draft.medical!.reproductive = { pregnancyPossible: unsure, pregnant: { answer: 'no' } };
    expect(withoutUnaskedFollowUps(draft).medical?.reproductive?.pregnant).toEqual({ answer: 'no' });
    expect(intakeAnswersSchema.parse(withoutUnaskedFollowUps(complete()))).toEqual(complete());
  });
});

describe('intake draft schema', () => {
  it('accepts a partial draft and refuses unknown keys and invalid answers with their paths', () => {
    expect(intakeDraftSchema.safeParse({ medical: { cardiovascular: {} } }).success).toBe(true);
    const unknown = intakeDraftSchema.safeParse({ medical: { cardiovascular: { hypertensio: yes } } });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.path).toEqual(['medical', 'cardiovascular']);
    const invalid = intakeDraftSchema.safeParse({ psychiatric: { psychosis: { answer: 'maybe' } } });
    expect(invalid.error?.issues[0]?.path).toEqual(['psychiatric', 'psychosis', 'answer']);
    const badDate = intakeDraftSchema.safeParse({
      medical: { reproductive: { lastMenstrualPeriod: '3/4/26' } },
    });
    expect(badDate.success).toBe(false);
  });

  it('has a draft schema for each section', () => {
    expect(intakeSectionDraftSchemas.goals.safeParse({ goals: 'Sleep better' }).success).toBe(true);
    expect(intakeSectionDraftSchemas.goals.safeParse({ goal: 'x' }).success).toBe(false);
  });
});

describe('contraindication questions (clinical-reference 3)', () => {
  it('name questions that exist in the schema', () => {
    const every = new Set(paths({}));
    // Follow-ups are not in the empty-draft list; check them on a draft that asks them.
    const followUps = new Set(
      paths({
        medical: { cardiovascular: { hypertension: yes }, reproductive: { pregnancyPossible: yes } },
      }),
    );
    for (const question of contraindicationQuestions) {
      expect(every.has(question.path) || followUps.has(question.path), question.path).toBe(true);
      expect(question.reference).toMatch(/^clinical-reference 3\.\d/);
    }
  });

  it('flag "yes" and "unsure", and uncontrolled blood pressure on "no"', () => {
    expect(flaggedContraindicationAnswers(complete())).toEqual([
      // The demo patient drinks a little: alcohol is a CNS depressant to weigh (3.3).
      expect.objectContaining({ path: 'substances.alcohol' }),
    ]);
    const draft = complete();
    draft.medical!.cardiovascular!.aneurysmOrAvm = yes;
    draft.medical!.cardiovascular!.hypertension = yes;
    draft.medical!.cardiovascular!.hypertensionControlled = { answer: 'no' };
    draft.psychiatric!.psychosis = unsure;
    expect(flaggedContraindicationAnswers(draft).map((f) => f.path)).toEqual([
      'medical.cardiovascular.hypertension',
      'medical.cardiovascular.hypertensionControlled',
      'medical.cardiovascular.aneurysmOrAvm',
      'psychiatric.psychosis',
      'substances.alcohol',
    ]);
    draft.medical!.cardiovascular!.hypertensionControlled = yes;
    expect(flaggedContraindicationAnswers(draft).map((f) => f.path)).not.toContain(
      'medical.cardiovascular.hypertensionControlled',
    );
    // A follow-up that is no longer asked (pregnancy not possible) raises no flag.
    draft.medical!.reproductive = { pregnancyPossible: { answer: 'no' }, pregnant: yes };
    expect(flaggedContraindicationAnswers(draft).map((f) => f.path)).not.toContain(
      'medical.reproductive.pregnant',
    );
    draft.medical!.reproductive = { pregnancyPossible: unsure, pregnant: yes };
    expect(flaggedContraindicationAnswers(draft).map((f) => f.path)).toContain(
      'medical.reproductive.pregnant',
    );
  });
});

describe('intake diff', () => {
  it('names the leaf paths that changed, with their values', () => {
    const before = complete();
    const after = complete();
    after.medical!.cardiovascular!.hypertension = { answer: 'yes', details: 'since 2020' };
    after.medications!.items!.push({ name: 'Lisinopril', dose: '10 mg', frequency: 'daily' });
    expect(changedAnswerPaths(before, after)).toEqual([
      'medical.cardiovascular.hypertension.answer',
      'medical.cardiovascular.hypertension.details',
      'medications.items.1.name',
      'medications.items.1.dose',
      'medications.items.1.frequency',
    ]);
    expect(answerChanges(before, after)[0]).toEqual({
      path: 'medical.cardiovascular.hypertension.answer',
      from: 'no',
      to: 'yes',
    });
    expect(changedAnswerPaths(after, before)).toHaveLength(5);
    expect(changedAnswerPaths(before, structuredClone(before))).toEqual([]);
  });
});
