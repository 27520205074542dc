import type {
  EligibilityAssessment,
  EligibilityFinding,
  EligibilityProfile,
  RuleMetadata,
} from '../types.ts';
import { decisionRules } from './decision.ts';
import { type EligibilitySettings, eligibilityRuleSet } from './rules.ts';
import { selfReportedRuleSet } from './self-reported.ts';

export {
  eligibilityDecisionKinds,
  type RationaleRequirement,
  rationaleRequirement,
} from './decision.ts';
export type { EligibilityRule, EligibilitySettings } from './rules.ts';
export { eligibilityRuleSet } from './rules.ts';
export { selfReportedRuleSet } from './self-reported.ts';

/** The coded rules, then those reading what the patient reported and the chart does not hold. */
const allRules = [...eligibilityRuleSet, ...selfReportedRuleSet];

export const defaultEligibilitySettings: EligibilitySettings = { diazepamEquivalents: {} };

/**
 * Screens a patient against every rule that applies to the product. Any contraindication makes the
 * decision 'excluded'; any caution 'review'; the engine answers 'eligible' only when nothing but
 * information fired. The prescriber decides; the engine explains.
 */
export function assessEligibility(
  profile: EligibilityProfile,
  settings: EligibilitySettings = defaultEligibilitySettings,
): EligibilityAssessment {
  if (!Number.isFinite(profile.ageYears) || profile.ageYears < 0)
    throw new RangeError('ageYears must be a non-negative number');
  const findings: EligibilityFinding[] = [];
  for (const rule of allRules) {
    if (rule.products && !rule.products.includes(profile.product)) continue;
    const message = rule.check(profile, settings);
    if (message) {
      findings.push({
        ruleId: rule.id,
        kind: rule.kind,
        message,
        source: `${rule.citation.section}; ${rule.citation.source}`,
      });
    }
  }
  const order = { contraindication: 0, caution: 1, info: 2 } as const;
  findings.sort((a, b) => order[a.kind] - order[b.kind]);
  const decision = findings.some((f) => f.kind === 'contraindication')
    ? 'excluded'
    : findings.some((f) => f.kind === 'caution')
      ? 'review'
      : 'eligible';
  return { decision, findings };
}

export const eligibilityRules: RuleMetadata[] = [
  ...allRules.map(
    (rule): RuleMetadata => ({
      id: rule.id,
      area: 'eligibility',
      title: `${rule.kind === 'contraindication' ? 'Excludes' : rule.kind === 'caution' ? 'Needs review' : 'Informs'}: ${rule.title}${rule.products ? ` (${rule.products.join(', ')})` : ''}`,
      citation: rule.citation,
    }),
  ),
  {
    id: 'eligibility.diazepam-equivalents',
    area: 'eligibility',
    title: 'Diazepam-equivalent conversion factors for the >8 mg/day benzodiazepine check',
    citation: {
      section: 'clinical-reference 3.3',
      source: 'Andrashko 2020 gives the 8 mg threshold; conversion factors are not in the reference',
      evidence: 'unconfirmed',
    },
    setting: { key: 'eligibility.diazepamEquivalents', default: null, unit: 'mg diazepam per mg' },
  },
  ...decisionRules,
];
