import type {
  Citation,
  InstrumentDefinition,
  InstrumentId,
  InstrumentScore,
  RuleMetadata,
  ScoreContext,
} from '../types.ts';
import { auditC, auditCPositiveAtLeast, scoreAuditC } from './audit-c.ts';
import { cadss6, cadss6SourceItems, scoreCadss6 } from './cadss6.ts';
import { cite } from './common.ts';
import { cssrsScreener, scoreCssrsScreener } from './cssrs-screener.ts';
import { dast10, dast10ReversedItem, scoreDast10 } from './dast10.ts';
import { type Questionnaire, questionnaireOf } from './fhir.ts';
import { gad2, gad2PositiveAtLeast, scoreGad2 } from './gad2.ts';
import { gad7, scoreGad7 } from './gad7.ts';
import { madrs, scoreMadrs } from './madrs.ts';
import { mdq, mdqSymptomsAtLeast, scoreMdq } from './mdq.ts';
import { pcl5, pcl5DefaultCutoff, scorePcl5 } from './pcl5.ts';
import { phq2, phq2PositiveAtLeast, scorePhq2 } from './phq2.ts';
import { phq9, scorePhq9 } from './phq9.ts';
import { qidsSr16, scoreQidsSr16 } from './qids-sr16.ts';

export { auditCPositiveAtLeast } from './audit-c.ts';
export { incompleteBand } from './common.ts';
export type { Questionnaire, QuestionnaireItem } from './fhir.ts';
export { gad2PositiveAtLeast } from './gad2.ts';
export { mdqSymptomsAtLeast } from './mdq.ts';
export { pcl5Clusters, pcl5DefaultCutoff } from './pcl5.ts';
export { phq2PositiveAtLeast } from './phq2.ts';
export { qidsDomains } from './qids-sr16.ts';

export const instruments: Record<InstrumentId, InstrumentDefinition> = {
  phq9,
  phq2,
  gad7,
  gad2,
  pcl5,
  'cssrs-screener': cssrsScreener,
  'qids-sr16': qidsSr16,
  madrs,
  'audit-c': auditC,
  dast10,
  mdq,
  cadss6,
};

const scorers: Record<
  InstrumentId,
  (answers: ReadonlyArray<number | null>, context: ScoreContext) => InstrumentScore
> = {
  phq9: scorePhq9,
  phq2: scorePhq2,
  gad7: scoreGad7,
  gad2: scoreGad2,
  pcl5: scorePcl5,
  'cssrs-screener': scoreCssrsScreener,
  'qids-sr16': scoreQidsSr16,
  madrs: scoreMadrs,
  'audit-c': scoreAuditC,
  dast10: scoreDast10,
  mdq: scoreMdq,
  cadss6: scoreCadss6,
};

export function isInstrumentId(id: string): id is InstrumentId {
  return Object.hasOwn(instruments, id);
}

/**
 * Scores one completed (or partly completed) instrument. `answers` are the item scores in item order
 * (yes/no items 1/0; a skipped item null). Throws RangeError for an unknown instrument, a wrong number of
 * answers or an answer that is not one of the item's options.
 */
export function scoreInstrument(
  id: InstrumentId,
  answers: ReadonlyArray<number | null>,
  context: ScoreContext = {},
): InstrumentScore {
  if (!isInstrumentId(id)) throw new RangeError(`Unknown instrument: ${String(id)}`);
  return scorers[id](answers, context);
}

/** The instrument as a FHIR R4 Questionnaire, LOINC-coded where codes exist. */
export function toFhirQuestionnaire(id: InstrumentId): Questionnaire {
  if (!isInstrumentId(id)) throw new RangeError(`Unknown instrument: ${String(id)}`);
  return questionnaireOf(instruments[id]);
}

const rule = (
  id: string,
  title: string,
  citation: Citation,
  setting?: RuleMetadata['setting'],
): RuleMetadata => ({ id, area: 'instruments', title, citation, ...(setting ? { setting } : {}) });

/** The numeric bands as text, e.g. "mild 5–9" (used for instruments whose bands all have edges). */
const bandsOf = (definition: InstrumentDefinition) =>
  definition.bands.map((b) => `${b.id} ${b.min}–${b.max}`).join(', ');

/**
 * Every scoring rule of every instrument, with the citation of that rule (not just of the instrument), and
 * every cut-off a clinic may override as a setting. The README's rule table is generated from this list.
 */
export const instrumentRules: RuleMetadata[] = [
  rule(
    'phq9.bands',
    `PHQ-9 total of items 1–9 (item 10 unscored): ${bandsOf(phq9)}`,
    cite('1.1', 'Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med 2001;16(9):606-613'),
  ),
  rule(
    'phq9.item9-suicidal-ideation',
    'PHQ-9 item 9 answered anything but "Not at all" flags suicidal-ideation for a same-visit risk assessment, even on an incomplete form',
    cite('1.1', 'AACN Critical Care Nurse 40(1):92; item 9 vs SCID: Uebelacker 2011', 'secondary'),
  ),
  rule(
    'phq2.cutoff',
    'PHQ-2 positive at or above the cut-off (≥3 optimal; ≥2 the published, more sensitive alternative)',
    cite('1.2', 'Kroenke 2003 (≥3: 83% sens., 92% spec.); Arroll 2010 (≥2)'),
    { key: 'cutoffs.phq2', default: phq2PositiveAtLeast, unit: 'points' },
  ),
  rule(
    'gad7.bands',
    `GAD-7 total: ${bandsOf(gad7)}`,
    cite('1.3', 'Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med 2006;166(10):1092-1097'),
  ),
  rule(
    'gad2.cutoff',
    'GAD-2 positive at or above the cut-off, followed by the GAD-7',
    cite('1.3', 'Kroenke K et al. Ann Intern Med 2007;146:317-325, per secondary summaries', 'secondary'),
    { key: 'cutoffs.gad2', default: gad2PositiveAtLeast, unit: 'points' },
  ),
  rule(
    'pcl5.clusters',
    'PCL-5 total 0–80; cluster subscales B (items 1–5), C (6–7), D (8–14), E (15–20)',
    cite('1.4', 'NCPTSD "Using the PCL-5"; awell-score pcl_5', 'secondary'),
  ),
  rule(
    'pcl5.provisional-dsm5',
    'PCL-5 provisional PTSD (flag provisional-ptsd-dsm5): items rated ≥2 in at least 1 B, 1 C, 2 D and 2 E',
    cite('1.4', 'NCPTSD "Using the PCL-5" (DSM-5 rule)', 'secondary'),
  ),
  rule(
    'pcl5.cutoff',
    'PCL-5 positive at or above the clinic’s cut-off; NCPTSD: 31–33 suggests probable PTSD and the site picks within it (default: the top, 33)',
    cite('1.4', 'National Center for PTSD, "Using the PCL-5"', 'secondary'),
    { key: 'cutoffs.pcl5', default: pcl5DefaultCutoff, unit: 'points' },
  ),
  rule(
    'cssrs.skip-logic',
    'C-SSRS screener: questions 3–5 only after yes to 2; 6b only after yes to 6. A yes given outside the skip logic still counts and is flagged',
    cite('1.5', 'SAFE-T / C-SSRS screener reproductions', 'secondary'),
  ),
  rule(
    'cssrs.triage-high',
    'C-SSRS high risk (flag high-risk; total null): yes to 4 or 5, or behaviour in the past 3 months — safety precautions until a mental-health professional evaluates; stands even on an unfinished screen',
    cite('1.5', 'C-SSRS Triage, cssrs.columbia.edu'),
  ),
  rule(
    'cssrs.triage-low-moderate',
    'C-SSRS low (yes to 1 and/or 2 only) vs moderate (yes to 3, or behaviour more than 3 months ago)',
    cite('1.5', 'Colour-coded screener as commonly implemented; exact wording UNCONFIRMED', 'unconfirmed'),
  ),
  rule(
    'madrs.bands',
    `MADRS total 0–60 (Snaith): ${bandsOf(madrs)}`,
    cite('1.6', 'Snaith et al., measurement-handbook excerpt; ≥35 severe also Müller 2000 [P]', 'secondary'),
  ),
  rule(
    'qids-sr16.domain-maxima',
    'QIDS-SR16 total = sum of 9 domains: sleep max(1–4), mood 5, appetite/weight max(6–9), concentration 10, self-view 11, suicidal ideation 12, interest 13, energy 14, psychomotor max(15–16)',
    cite('1.7', 'psy-world.com; guidelinecentral QIDS calculator', 'secondary'),
  ),
  rule(
    'qids-sr16.bands',
    `QIDS-SR16: ${bandsOf(qidsSr16)}`,
    cite('1.7', 'ids-qids.org interpretation table (Rush 2003, Trivedi 2004)'),
  ),
  rule(
    'qids-sr16.item12-suicidal-ideation',
    'QIDS-SR16 item 12 above 0 flags suicidal-ideation, like PHQ-9 item 9, even on an incomplete form',
    cite('1.7', 'Design suggestion of the reference (no published source)', 'unconfirmed'),
  ),
  rule(
    'audit-c.cutoff-male',
    'AUDIT-C positive for men at or above the cut-off',
    cite('1.9', 'HL7 US Core AUDIT-C example, PMID 12695273'),
    { key: 'cutoffs.auditC.male', default: auditCPositiveAtLeast.male, unit: 'points' },
  ),
  rule(
    'audit-c.cutoff-female',
    'AUDIT-C positive for women at or above the cut-off; also used when sex is unknown (flag sex-unknown-lower-cutoff)',
    cite('1.9', 'HL7 US Core AUDIT-C example, PMID 12695273'),
    { key: 'cutoffs.auditC.female', default: auditCPositiveAtLeast.female, unit: 'points' },
  ),
  rule(
    'audit-c.frequency-only',
    'AUDIT-C: all points from question 1 (questions 2 and 3 = 0) means probably drinking within limits (flag points-only-from-frequency)',
    cite('1.9', 'HL7 US Core AUDIT-C example, PMID 12695273'),
  ),
  rule(
    'dast10.item3-reversed',
    `DAST-10: 1 point per yes, except item ${dast10ReversedItem} where no scores 1; ${bandsOf(dast10)}`,
    cite('1.10', 'Skinner 1982; Yudko 2007 (via awell-score dast_10)', 'secondary'),
  ),
  rule(
    'mdq.three-part-rule',
    `MDQ positive only with ≥${mdqSymptomsAtLeast} of 13 yes AND several in the same period AND a moderate or serious problem`,
    cite(
      '1.12',
      'Hirschfeld 2000 (≥7 items) [P]; three-part rule from the scoring instructions',
      'secondary',
    ),
  ),
  rule(
    'cadss6.items',
    `CADSS-6 = items ${cadss6SourceItems.join(', ')} of the CADSS, each 0–4, total 0–24; no published bands (band 'scored')`,
    cite('1.11', 'Rodrigues NB et al. J Affect Disord 2021'),
  ),
];
