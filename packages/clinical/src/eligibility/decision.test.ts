import { describe, expect, it } from 'vitest';
import type { EligibilityAssessment, EligibilityDecisionKind } from '../types.ts';
import { eligibilityDecisionKinds, eligibilityRules, rationaleRequirement } from './index.ts';

const finding = (kind: 'contraindication' | 'caution' | 'info') => ({
  ruleId: `eligibility.test-${kind}`,
  kind,
  message: kind,
  source: 'clinical-reference 3.5; test',
});
const eligible: EligibilityAssessment = { decision: 'eligible', findings: [finding('info')] };
const review: EligibilityAssessment = {
  decision: 'review',
  findings: [finding('caution'), finding('caution')],
};
const excluded: EligibilityAssessment = {
  decision: 'excluded',
  findings: [finding('contraindication'), finding('caution')],
};

describe('rationaleRequirement (clinical-reference 3.5)', () => {
  it.each([
    ['approve', eligible, false],
    ['approve-with-conditions', eligible, false],
    ['defer', eligible, true],
    ['decline', eligible, true],
    ['approve', review, true],
    ['approve-with-conditions', review, true],
    ['defer', review, false],
    ['decline', review, false],
    ['approve', excluded, true],
    ['approve-with-conditions', excluded, true],
    ['defer', excluded, false],
    ['decline', excluded, false],
  ] as const)('%s on %o → required %s', (decision, assessment, required) => {
    const result = rationaleRequirement(decision, assessment);
    expect(result.required).toBe(required);
    expect(result.reason === null).toBe(!required);
  });

  it('says why, with the count of findings that the decision overrides', () => {
    expect(rationaleRequirement('approve', excluded).reason).toBe(
      'The assessment found 1 contraindication: say why you approve despite it.',
    );
    expect(
      rationaleRequirement('approve', {
        decision: 'excluded',
        findings: [finding('contraindication'), finding('contraindication')],
      }).reason,
    ).toBe('The assessment found 2 contraindications: say why you approve despite them.');
    expect(rationaleRequirement('approve-with-conditions', review).reason).toBe(
      'The assessment found 2 cautions that need your review: say why you approve.',
    );
    expect(
      rationaleRequirement('approve', { decision: 'review', findings: [finding('caution')] }).reason,
    ).toBe('The assessment found 1 caution that needs your review: say why you approve.');
    expect(rationaleRequirement('decline', eligible).reason).toBe(
      'The assessment found nothing against treatment: say why you decline.',
    );
  });

  it('never lets an approval of a flagged assessment go without a rationale', () => {
    const approvals: EligibilityDecisionKind[] = ['approve', 'approve-with-conditions'];
    for (const decision of eligibilityDecisionKinds) {
      for (const assessment of [review, excluded]) {
        expect(rationaleRequirement(decision, assessment).required).toBe(approvals.includes(decision));
      }
    }
    expect(eligibilityRules.map((r) => r.id)).toContain('eligibility.decision-rationale');
  });
});
