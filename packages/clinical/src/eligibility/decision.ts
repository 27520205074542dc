import type { Citation, EligibilityAssessment, EligibilityDecisionKind, RuleMetadata } from '../types.ts';

export const eligibilityDecisionKinds: readonly EligibilityDecisionKind[] = [
  'approve',
  'approve-with-conditions',
  'defer',
  'decline',
];

export interface RationaleRequirement {
  required: boolean;
  /** Why a rationale is needed, in the prescriber's words; null when it is not. */
  reason: string | null;
}

const citation: Citation = {
  section: 'clinical-reference 3.5',
  source:
    'Suggested classification: relative contraindications need a clinician override with a reason; absolute ones are hard stops (synthesis)',
  evidence: 'secondary',
};

export const decisionRules: RuleMetadata[] = [
  {
    id: 'eligibility.decision-rationale',
    area: 'eligibility',
    title:
      'A signed decision that differs from the engine (approving despite cautions or a contraindication, or deferring or declining an eligible patient) needs a written rationale',
    citation,
  },
];

/**
 * Whether the prescriber must write a rationale for this decision on this assessment. The engine explains
 * and the prescriber decides; where the two differ the record must say why (clinical-reference 3.5:
 * relative contraindications need an override with a reason, absolute ones are hard stops).
 *
 * - excluded: approving (with or without conditions) overrides a contraindication; deferring or declining
 *   follows the engine.
 * - review: approving overrides the cautions; deferring (records, consult) or declining follows it.
 * - eligible: approving follows the engine, with or without conditions; deferring or declining a patient
 *   with no finding against treatment differs from it.
 */
export function rationaleRequirement(
  decision: EligibilityDecisionKind,
  assessment: EligibilityAssessment,
): RationaleRequirement {
  const approving = decision === 'approve' || decision === 'approve-with-conditions';
  const count = (kind: 'contraindication' | 'caution') =>
    assessment.findings.filter((f) => f.kind === kind).length;
  if (assessment.decision === 'excluded' && approving) {
    const n = count('contraindication');
    return {
      required: true,
      reason: `The assessment found ${n} contraindication${n === 1 ? '' : 's'}: say why you approve despite ${n === 1 ? 'it' : 'them'}.`,
    };
  }
  if (assessment.decision === 'review' && approving) {
    const n = count('caution');
    return {
      required: true,
      reason: `The assessment found ${n} caution${n === 1 ? '' : 's'} that need${n === 1 ? 's' : ''} your review: say why you approve.`,
    };
  }
  if (assessment.decision === 'eligible' && !approving) {
    return {
      required: true,
      reason: `The assessment found nothing against treatment: say why you ${decision}.`,
    };
  }
  return { required: false, reason: null };
}
