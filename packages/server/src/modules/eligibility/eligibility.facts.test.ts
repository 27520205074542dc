import { describe, expect, it } from 'vitest';
import { demoIntakeAnswers } from '../intake/intake.demo.ts';
import { assessmentFingerprint, canonicalJson, intakeFacts } from './eligibility.facts.ts';

describe('intake facts for the engine', () => {
  it('carries nothing from an intake with no history the rules read, but the listed medicines', () => {
    const facts = intakeFacts(demoIntakeAnswers());
    expect(facts.pregnant).toBe(false);
    expect(facts.breastfeeding).toBe(false);
    const { medications, ...flags } = facts.selfReported;
    expect(flags).toEqual({});
    expect(medications?.length).toBeGreaterThan(0);
  });

  it('maps yes and unsure, the stronger answer winning where several questions feed one item', () => {
    const answers = demoIntakeAnswers();
    answers.medical.cardiovascular.stroke = { answer: 'unsure' };
    answers.medical.neurological.headInjury = { answer: 'yes', details: 'Concussion, 2019' };
    answers.medical.cardiovascular.arrhythmia = { answer: 'unsure' };
    answers.substances.opioidUseDisorder = { answer: 'yes' };
    answers.medical.reproductive = {
      pregnancyPossible: { answer: 'yes' },
      pregnant: { answer: 'yes' },
      breastfeeding: { answer: 'no' },
      preEclampsia: { answer: 'unsure' },
    };
    answers.allergies = { any: { answer: 'yes' }, items: [{ substance: 'Ketamine', reaction: 'Rash' }] };
    const facts = intakeFacts(answers);
    expect(facts.pregnant).toBe(true);
    expect(facts.selfReported).toMatchObject({
      strokeOrBrainInjury: 'yes',
      heartDisease: 'unsure',
      substanceUseDisorder: 'yes',
      preEclampsia: 'unsure',
      allergies: [{ substance: 'Ketamine' }],
    });
    // A "yes" to pregnancy is the profile's own flag, not a self-reported doubt.
    expect(facts.selfReported.pregnancy).toBeUndefined();
  });
});

describe('fingerprint', () => {
  it('is the same for the same facts whatever the key order, and differs when a fact changes', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    const profile = {
      ageYears: 40,
      route: 'im',
      product: 'ketamine-racemic',
      conditions: [],
      medications: [],
    } as const;
    const assessment = { decision: 'eligible', findings: [] } as const;
    const a = assessmentFingerprint(
      { ...profile, conditions: [], medications: [] },
      { ...assessment, findings: [] },
    );
    const b = assessmentFingerprint(
      { medications: [], conditions: [], product: 'ketamine-racemic', route: 'im', ageYears: 40 },
      { findings: [], decision: 'eligible' },
    );
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(
      assessmentFingerprint(
        { ...profile, ageYears: 41, conditions: [], medications: [] },
        { ...assessment, findings: [] },
      ),
    ).not.toBe(a);
  });
});
