import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreInstrument } from '../instruments/index.ts';
import type { EligibilityProfile } from '../types.ts';
import { assessEligibility, eligibilityRuleSet, eligibilityRules } from './index.ts';

const base: EligibilityProfile = {
  ageYears: 42,
  sex: 'female',
  route: 'im',
  product: 'ketamine-racemic',
  conditions: [{ icd10: 'F33.2' }],
  medications: [{ name: 'Sertraline', rxnorm: '36437' }],
  vitals: { systolic: 122, diastolic: 78 },
};
const ruleIds = (p: EligibilityProfile) => assessEligibility(p).findings.map((f) => f.ruleId);

describe('assessEligibility (clinical-reference 3)', () => {
  it('finds a typical TRD patient eligible', () => {
    expect(assessEligibility(base)).toEqual({ decision: 'eligible', findings: [] });
  });

  it.each([
    ['aneurysm', { conditions: [{ icd10: 'I71.4' }] }, 'eligibility.aneurysm-or-avm'],
    ['cerebral AVM', { conditions: [{ icd10: 'Q282' }] }, 'eligibility.aneurysm-or-avm'],
    [
      'intracerebral hemorrhage',
      { conditions: [{ icd10: 'I61.9' }] },
      'eligibility.intracerebral-hemorrhage',
    ],
    ['pre-eclampsia', { conditions: [{ icd10: 'O14.03' }] }, 'eligibility.eclampsia'],
    ['acute MI', { conditions: [{ icd10: 'I21.4' }] }, 'eligibility.severe-coronary-disease'],
    ['schizophrenia', { conditions: [{ icd10: 'F20.9' }] }, 'eligibility.active-psychosis-or-mania'],
    ['current mania', { conditions: [{ icd10: 'F31.13' }] }, 'eligibility.active-psychosis-or-mania'],
    ['pregnancy flag', { pregnant: true }, 'eligibility.pregnancy'],
    ['pregnancy code', { conditions: [{ icd10: 'Z33.1' }] }, 'eligibility.pregnancy'],
    ['BP 181/80', { vitals: { systolic: 181, diastolic: 80 } }, 'eligibility.severe-hypertension'],
    ['BP 150/101', { vitals: { systolic: 150, diastolic: 101 } }, 'eligibility.severe-hypertension'],
    ['age 17', { ageYears: 17 }, 'eligibility.minimum-age'],
    ['ketamine allergy', { allergies: [{ substance: 'Ketamine' }] }, 'eligibility.ketamine-hypersensitivity'],
    [
      'theophylline with racemic ketamine',
      { medications: [{ name: 'Theophylline ER' }] },
      'eligibility.theophylline',
    ],
  ] as const)('%s excludes', (_name, change, ruleId) => {
    const result = assessEligibility({ ...base, ...change } as EligibilityProfile);
    expect(result.decision).toBe('excluded');
    expect(result.findings[0]).toMatchObject({
      ruleId,
      kind: 'contraindication',
      source: expect.stringMatching(/^clinical-reference 3|^clinical-reference 2/),
    });
  });

  it.each([
    ['bipolar II', { conditions: [{ icd10: 'F31.81' }] }, 'eligibility.bipolar'],
    ['alcohol dependence', { conditions: [{ icd10: 'F10.20' }] }, 'eligibility.substance-use'],
    [
      'BP 180/100 (edge, not above)',
      { vitals: { systolic: 180, diastolic: 100 } },
      'eligibility.elevated-bp',
    ],
    ['BP 141/80', { vitals: { systolic: 141, diastolic: 80 } }, 'eligibility.elevated-bp'],
    ['glaucoma', { conditions: [{ icd10: 'H40.11' }] }, 'eligibility.raised-icp-or-iop'],
    ['alprazolam', { medications: [{ name: 'Alprazolam', dailyDoseMg: 1 }] }, 'eligibility.benzodiazepines'],
    ['Adderall', { medications: [{ name: 'Adderall XR' }] }, 'eligibility.psychostimulants'],
    ['phenelzine', { medications: [{ name: 'phenelzine' }] }, 'eligibility.maoi'],
    ['buprenorphine', { medications: [{ name: 'Suboxone film' }] }, 'eligibility.opioids'],
    ['lamotrigine', { medications: [{ name: 'Lamotrigine' }] }, 'eligibility.lamotrigine'],
    ['breastfeeding', { breastfeeding: true }, 'eligibility.breastfeeding'],
    [
      'theophylline with esketamine',
      { product: 'esketamine', route: 'intranasal', medications: [{ name: 'aminophylline' }] },
      'eligibility.theophylline-esketamine',
    ],
  ] as const)('%s needs review', (_name, change, ruleId) => {
    const result = assessEligibility({ ...base, ...change } as EligibilityProfile);
    expect(result.decision).toBe('review');
    expect(result.findings.map((f) => f.ruleId)).toContain(ruleId);
  });

  it('does not fire on a BP of exactly 140/90, nor on nicotine dependence', () => {
    expect(ruleIds({ ...base, vitals: { systolic: 140, diastolic: 90 } })).toEqual([]);
    expect(ruleIds({ ...base, conditions: [{ icd10: 'F17.210' }] })).toEqual([]);
  });

  it('reads screening scores: positive MDQ, C-SSRS high, PHQ-9 item 9, AUDIT-C, DAST-10', () => {
    const scores = {
      mdq: scoreInstrument('mdq', [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 3]),
      'cssrs-screener': scoreInstrument('cssrs-screener', [1, 1, 1, 1, 0, 0, null]),
      phq9: scoreInstrument('phq9', [2, 2, 2, 2, 2, 2, 2, 2, 1]),
      'audit-c': scoreInstrument('audit-c', [2, 1, 1], { sex: 'male' }),
      dast10: scoreInstrument('dast10', [1, 1, 0, 1, 0, 0, 0, 0, 0, 0]),
    };
    const result = assessEligibility({ ...base, scores });
    expect(result.decision).toBe('review');
    expect(result.findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining([
        'eligibility.mdq-positive',
        'eligibility.suicide-risk',
        'eligibility.audit-c-positive',
        'eligibility.dast10',
      ]),
    );
    expect(result.findings.find((f) => f.ruleId === 'eligibility.suicide-risk')!.message).toMatch(
      /C-SSRS high risk.*PHQ-9 item 9/,
    );
  });

  it('computes the diazepam-equivalent dose only from the clinic’s own conversion factors', () => {
    const profile = { ...base, medications: [{ name: 'Lorazepam', dailyDoseMg: 1 }] };
    expect(assessEligibility(profile).findings[0]!.message).toMatch(/not computed/);
    const withFactors = assessEligibility(profile, { diazepamEquivalents: { lorazepam: 10 } });
    expect(withFactors.findings[0]!.message).toMatch(/10 mg diazepam-equivalent, above 8 mg\/day/);
  });

  it('applies product-specific rules only to their product', () => {
    expect(ruleIds({ ...base, ageYears: 70 })).toEqual([]);
    expect(ruleIds({ ...base, ageYears: 70, product: 'esketamine', route: 'intranasal' })).toEqual([
      'eligibility.older-adult-esketamine',
    ]);
  });

  it('never says eligible with an open contraindication or caution; adding a finding never relaxes the decision', () => {
    const severity = { eligible: 0, review: 1, excluded: 2 } as const;
    const codes = ['F33.2', 'I71.4', 'F31.81', 'I10', 'F20.9', 'E05.00', 'K70.30', 'N30.10', 'F41.1'];
    fc.assert(
      fc.property(fc.subarray(codes), fc.constantFrom(...codes), (some, extra) => {
        const before = assessEligibility({ ...base, conditions: some.map((icd10) => ({ icd10 })) });
        const after = assessEligibility({
          ...base,
          conditions: [...some, extra].map((icd10) => ({ icd10 })),
        });
        if (before.findings.some((f) => f.kind !== 'info')) expect(before.decision).not.toBe('eligible');
        return severity[after.decision] >= severity[before.decision];
      }),
    );
  });

  it('explains every rule with a source', () => {
    expect(eligibilityRuleSet.length).toBeGreaterThanOrEqual(30);
    for (const rule of eligibilityRules) {
      expect(rule.citation.section).toMatch(/^clinical-reference \d+\.\d+$/);
      expect(rule.citation.source.length).toBeGreaterThan(5);
    }
    expect(() => assessEligibility({ ...base, ageYears: Number.NaN })).toThrow(RangeError);
  });
});
