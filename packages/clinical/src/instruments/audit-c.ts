import type { InstrumentDefinition, InstrumentScore, ScoreContext } from '../types.ts';
import { cite, incomplete, screeningCutoff, sum, validateAnswers } from './common.ts';

/**
 * Positive at ≥4 for men and ≥3 for women (clinical-reference 1.9, HL7 US Core example citing PMID 12695273).
 * A clinic may override either through `context.cutoffs.auditC`.
 */
export const auditCPositiveAtLeast = { male: 4, female: 3 } as const;

// Questions 1–3 of the WHO AUDIT (Babor et al., WHO/MSD/MSB/01.6a). The reference gives no licence; the WHO
// manual lets the AUDIT be reproduced freely but not for sale or commercial use, and SAMHSA describes the
// AUDIT-C as public domain (both as quoted in the CamCOPS task documentation). A clinic with doubts about the
// WHO's non-commercial clause can replace the wording with labels without touching the scoring.
export const auditC: InstrumentDefinition = {
  id: 'audit-c',
  name: 'Alcohol Use Disorders Identification Test — Consumption',
  shortName: 'AUDIT-C',
  recallPeriod: 'The past year',
  completedBy: 'patient',
  items: [
    {
      id: 'auditc-1',
      number: 1,
      text: 'How often do you have a drink containing alcohol?',
      options: [
        { score: 0, label: 'Never' },
        { score: 1, label: 'Monthly or less' },
        { score: 2, label: '2 to 4 times a month' },
        { score: 3, label: '2 to 3 times a week' },
        { score: 4, label: '4 or more times a week' },
      ],
    },
    {
      id: 'auditc-2',
      number: 2,
      text: 'How many drinks containing alcohol do you have on a typical day when you are drinking?',
      options: [
        { score: 0, label: '1 or 2' },
        { score: 1, label: '3 or 4' },
        { score: 2, label: '5 or 6' },
        { score: 3, label: '7 to 9' },
        { score: 4, label: '10 or more' },
      ],
    },
    {
      id: 'auditc-3',
      number: 3,
      text: 'How often do you have six or more drinks on one occasion?',
      options: [
        { score: 0, label: 'Never' },
        { score: 1, label: 'Less than monthly' },
        { score: 2, label: 'Monthly' },
        { score: 3, label: 'Weekly' },
        { score: 4, label: 'Daily or almost daily' },
      ],
    },
  ],
  totalRange: { min: 0, max: 12 },
  bands: [
    { id: 'negative', label: 'Below the cut-off for the patient’s sex' },
    { id: 'positive', label: 'Positive: ≥4 (men) or ≥3 (women)' },
  ],
  loinc: { panel: '72109-2', total: '75626-2' },
  licence:
    '© World Health Organization 2001: may be freely reproduced, not for sale or commercial use (WHO/MSD/MSB/01.6a); AUDIT-C described as public domain by SAMHSA.',
  citations: [
    cite('1.9', 'HL7 US Core IG AUDIT-C example (PMID 12695273): cut-offs by sex, LOINC 72109-2 / 75626-2'),
    cite('1.9', 'Babor TF et al. AUDIT: Guidelines for Use in Primary Care, 2nd ed. WHO 2001'),
  ],
};

/**
 * Positive at ≥4 for men, ≥3 for women. With the sex unknown the lower of the two cut-offs is used, so a
 * possible problem is not missed, and `sex-unknown-lower-cutoff` says so (a design choice: the reference is
 * silent). When every point comes from question 1 the patient is probably drinking within limits
 * (`points-only-from-frequency`).
 */
export function scoreAuditC(
  answers: ReadonlyArray<number | null>,
  context: ScoreContext = {},
): InstrumentScore {
  validateAnswers(auditC, answers);
  if (answers.some((a) => a === null)) return incomplete('audit-c');
  const values = answers as number[];
  const total = sum(values);
  const flags: string[] = [];
  const cutoffs = {
    male: screeningCutoff(
      auditC,
      'cutoffs.auditC.male',
      context.cutoffs?.auditC?.male,
      auditCPositiveAtLeast.male,
    ),
    female: screeningCutoff(
      auditC,
      'cutoffs.auditC.female',
      context.cutoffs?.auditC?.female,
      auditCPositiveAtLeast.female,
    ),
  };
  const cutoff = context.sex ? cutoffs[context.sex] : Math.min(cutoffs.male, cutoffs.female);
  if (!context.sex) flags.push('sex-unknown-lower-cutoff');
  if (total > 0 && values[1] === 0 && values[2] === 0) flags.push('points-only-from-frequency');
  return {
    instrument: 'audit-c',
    total,
    band: total >= cutoff ? 'positive' : 'negative',
    complete: true,
    flags,
  };
}
