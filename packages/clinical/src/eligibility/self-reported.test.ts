import { describe, expect, it } from 'vitest';
import type { EligibilityProfile, SelfReportedHistory } from '../types.ts';
import { assessEligibility, eligibilityRules, selfReportedRuleSet } from './index.ts';

const base: EligibilityProfile = {
  ageYears: 42,
  sex: 'female',
  route: 'im',
  product: 'ketamine-racemic',
  conditions: [{ icd10: 'F33.2' }],
  medications: [{ name: 'Sertraline' }],
  vitals: { systolic: 122, diastolic: 78 },
};
const withReport = (selfReported: SelfReportedHistory, change: Partial<EligibilityProfile> = {}) =>
  assessEligibility({ ...base, ...change, selfReported });

describe('self-reported history (clinical-reference 3.1–3.5)', () => {
  it.each([
    [
      'psychosis',
      { psychosis: 'yes' },
      'eligibility.self-reported-psychosis',
      'clinical-reference 3.5',
      'F20.9',
    ],
    ['mania', { mania: 'yes' }, 'eligibility.self-reported-mania', 'clinical-reference 3.5', 'F31.81'],
    [
      'substance use',
      { substanceUseDisorder: 'yes' },
      'eligibility.self-reported-substance-use',
      'clinical-reference 3.2',
      'F11.20',
    ],
    [
      'aneurysm',
      { aneurysmOrAvm: 'yes' },
      'eligibility.self-reported-aneurysm-or-avm',
      'clinical-reference 3.1',
      'I67.1',
    ],
    [
      'stroke',
      { strokeOrBrainInjury: 'yes' },
      'eligibility.self-reported-stroke-or-brain-injury',
      'clinical-reference 3.1',
      'I63.9',
    ],
    [
      'heart disease',
      { heartDisease: 'yes' },
      'eligibility.self-reported-heart-disease',
      'clinical-reference 3.2',
      'I48.91',
    ],
    [
      'high blood pressure',
      { hypertension: 'yes' },
      'eligibility.self-reported-hypertension',
      'clinical-reference 3.5',
      'I10',
    ],
    [
      'liver disease',
      { liverDisease: 'yes' },
      'eligibility.self-reported-liver-disease',
      'clinical-reference 3.2',
      'K74.60',
    ],
    [
      'urinary symptoms',
      { urinarySymptoms: 'yes' },
      'eligibility.self-reported-urinary-symptoms',
      'clinical-reference 3.2',
      'N30.10',
    ],
    [
      'glaucoma',
      { glaucomaOrRaisedIntracranialPressure: 'yes' },
      'eligibility.self-reported-raised-icp-or-iop',
      'clinical-reference 3.2',
      'H40.11',
    ],
    [
      'hyperthyroidism',
      { hyperthyroidism: 'yes' },
      'eligibility.self-reported-hyperthyroidism',
      'clinical-reference 3.1',
      'E05.00',
    ],
  ] as const)(
    'a reported %s not on the problem list needs review, with its source; once coded, the coded rule speaks instead',
    (_name, report, ruleId, section, code) => {
      const result = withReport(report);
      expect(result.decision).toBe('review');
      expect(result.findings).toEqual([
        expect.objectContaining({ ruleId, kind: 'caution', source: expect.stringContaining(section) }),
      ]);
      expect(result.findings[0]!.message).toMatch(/^Self-reported .*(confirm|record a baseline)/);

      const coded = withReport(report, { conditions: [{ icd10: code }] });
      expect(coded.findings.map((f) => f.ruleId)).not.toContain(ruleId);
      expect(coded.findings.length).toBeGreaterThan(0);
    },
  );

  it('keeps reported psychosis from vanishing: a caution that asks for records, citing the practice exclusion', () => {
    const result = withReport({ psychosis: 'yes' });
    expect(result.findings[0]).toEqual({
      ruleId: 'eligibility.self-reported-psychosis',
      kind: 'caution',
      message: expect.stringContaining('confirm with records'),
      source: expect.stringMatching(/^clinical-reference 3\.5; .*Hull et al\. 2022/),
    });
  });

  it('a coded psychotic disorder still excludes, and the report adds nothing on top', () => {
    const result = withReport({ psychosis: 'yes' }, { conditions: [{ icd10: 'F20.9' }] });
    expect(result.decision).toBe('excluded');
    expect(result.findings.map((f) => f.ruleId)).toEqual(['eligibility.active-psychosis-or-mania']);
  });

  it('asks about a reported suicide attempt whatever the chart says', () => {
    const result = withReport({ suicideAttempt: 'yes' }, { conditions: [{ icd10: 'T14.91XA' }] });
    expect(result.decision).toBe('review');
    expect(result.findings[0]!.ruleId).toBe('eligibility.self-reported-suicide-attempt');
  });

  it('treats "unsure" as a possible yes, and says the patient was unsure', () => {
    const result = withReport({ mania: 'unsure' });
    expect(result.decision).toBe('review');
    expect(result.findings[0]!.message).toMatch(/^Answered “unsure” on the intake\. Self-reported mania/);
  });

  it.each([
    ['pregnancy', { pregnancy: 'unsure' }, 'eligibility.self-reported-pregnancy-unsure', 'Z33.1'],
    ['pre-eclampsia', { preEclampsia: 'yes' }, 'eligibility.self-reported-pre-eclampsia', 'O14.03'],
  ] as const)('asks to confirm a possible %s until it is coded', (_name, report, ruleId, code) => {
    expect(withReport(report).findings.map((f) => f.ruleId)).toEqual([ruleId]);
    const coded = withReport(report, { conditions: [{ icd10: code }] });
    expect(coded.decision).toBe('excluded');
    expect(coded.findings.map((f) => f.ruleId)).not.toContain(ruleId);
  });

  it('asks to confirm possible breastfeeding', () => {
    const result = withReport({ breastfeeding: 'unsure' });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['eligibility.self-reported-breastfeeding-unsure']);
  });

  it('reports a dissociative disorder as information only (the reference classifies no rule for it)', () => {
    const result = withReport({ dissociativeDisorder: 'yes' });
    expect(result.decision).toBe('eligible');
    expect(result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'eligibility.self-reported-dissociative-disorder',
        kind: 'info',
        source: expect.stringContaining('clinical-reference 1.11'),
      }),
    ]);
    expect(
      withReport({ dissociativeDisorder: 'yes' }, { conditions: [{ icd10: 'F44.81' }] }).findings,
    ).toEqual([]);
  });

  it('reconciles reported medicines: only unlisted ones that a rule would read', () => {
    const result = withReport({
      medications: [
        { name: 'Alprazolam' },
        { name: ' sertraline ' },
        { name: 'Vitamin D' },
        { name: 'Adderall' },
      ],
    });
    expect(result.decision).toBe('review');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.ruleId).toBe('eligibility.self-reported-interacting-medications');
    expect(result.findings[0]!.message).toBe(
      'Reported on the intake but not on the medication list: Alprazolam (benzodiazepine); Adderall (psychostimulant). Reconcile the medication list; the interaction rules read it.',
    );
    const listed = withReport(
      { medications: [{ name: 'alprazolam' }] },
      { medications: [{ name: 'Alprazolam' }] },
    );
    expect(listed.findings.map((f) => f.ruleId)).toEqual(['eligibility.benzodiazepines']);
    expect(withReport({ medications: [{ name: 'Vitamin D' }] }).findings).toEqual([]);
  });

  it('reads a reported ketamine allergy unless the allergy list already has it', () => {
    const reported = withReport({ allergies: [{ substance: 'Ketamine' }, { substance: 'Peanuts' }] });
    expect(reported.findings).toEqual([
      expect.objectContaining({
        ruleId: 'eligibility.self-reported-ketamine-allergy',
        kind: 'caution',
        message: expect.stringContaining('allergy to Ketamine, not on the allergy list'),
      }),
    ]);
    const recorded = withReport(
      { allergies: [{ substance: 'ketamine' }] },
      { allergies: [{ substance: 'Ketamine' }] },
    );
    expect(recorded.findings.map((f) => f.ruleId)).toEqual(['eligibility.ketamine-hypersensitivity']);
    expect(withReport({ allergies: [{ substance: 'Peanuts' }] }).findings).toEqual([]);
  });

  it('says nothing for an empty report', () => {
    expect(withReport({}).findings).toEqual([]);
    expect(assessEligibility(base).findings).toEqual([]);
  });

  it('lists every self-reported rule in the catalog with a section and a source', () => {
    expect(selfReportedRuleSet.length).toBe(18);
    for (const rule of selfReportedRuleSet) {
      const meta = eligibilityRules.find((r) => r.id === rule.id);
      expect(meta, rule.id).toBeDefined();
      expect(meta!.title).toMatch(/Self-reported: /);
      expect(rule.citation.section).toMatch(/^clinical-reference \d+\.\d+$/);
    }
  });
});
