import type {
  InstrumentDefinition,
  InstrumentId,
  InstrumentScore,
  RuleMetadata,
  ScoreContext,
} from '../types.ts';
import { auditC, auditCPositiveAtLeast, scoreAuditC } from './audit-c.ts';
import { cadss6, scoreCadss6 } from './cadss6.ts';
import { cssrsScreener, scoreCssrsScreener } from './cssrs-screener.ts';
import { dast10, scoreDast10 } from './dast10.ts';
import { type Questionnaire, questionnaireOf } from './fhir.ts';
import { gad2, scoreGad2 } from './gad2.ts';
import { gad7, scoreGad7 } from './gad7.ts';
import { madrs, scoreMadrs } from './madrs.ts';
import { mdq, scoreMdq } from './mdq.ts';
import { pcl5, pcl5DefaultCutoff, scorePcl5 } from './pcl5.ts';
import { phq2, scorePhq2 } from './phq2.ts';
import { phq9, scorePhq9 } from './phq9.ts';
import { qidsSr16, scoreQidsSr16 } from './qids-sr16.ts';

export { incompleteBand } from './common.ts';
export type { Questionnaire, QuestionnaireItem } from './fhir.ts';
export { pcl5Clusters } from './pcl5.ts';
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

/** One rule per instrument's scoring, plus the clinic-overridable cut-offs. */
export const instrumentRules: RuleMetadata[] = [
  ...Object.values(instruments).map(
    (definition): RuleMetadata => ({
      id: `${definition.id}.scoring`,
      area: 'instruments',
      title: `${definition.shortName}: ${definition.bands.map((b) => (b.min !== undefined ? `${b.id} ${b.min}–${b.max}` : b.id)).join(', ')}`,
      citation: definition.citations[0]!,
    }),
  ),
  {
    id: 'phq9.item9-suicidal-ideation',
    area: 'instruments',
    title:
      'PHQ-9 item 9 answered anything but "Not at all" flags suicidal ideation for a same-visit risk assessment',
    citation: {
      section: 'clinical-reference 1.1',
      source: 'AACN Critical Care Nurse 40(1):92; Uebelacker 2011',
      evidence: 'secondary',
    },
  },
  {
    id: 'cssrs.triage',
    area: 'instruments',
    title:
      'C-SSRS: yes to 4 or 5, or behaviour in the past 3 months, is high risk; yes to 3 or older behaviour moderate; yes to 1–2 low',
    citation: {
      section: 'clinical-reference 1.5',
      source: 'C-SSRS Triage (cssrs.columbia.edu); low/moderate mapping UNCONFIRMED',
      evidence: 'unconfirmed',
    },
  },
  {
    id: 'pcl5.cutoff',
    area: 'instruments',
    title: 'PCL-5 positive at or above the clinic’s cut-off (NCPTSD: 31–33)',
    citation: {
      section: 'clinical-reference 1.4',
      source: 'National Center for PTSD, "Using the PCL-5"',
      evidence: 'secondary',
    },
    setting: { key: 'cutoffs.pcl5', default: pcl5DefaultCutoff, unit: 'points' },
  },
  {
    id: 'audit-c.cutoff-by-sex',
    area: 'instruments',
    title: `AUDIT-C positive at ≥${auditCPositiveAtLeast.male} (men) or ≥${auditCPositiveAtLeast.female} (women); the lower cut-off when sex is unknown`,
    citation: {
      section: 'clinical-reference 1.9',
      source: 'HL7 US Core AUDIT-C example, PMID 12695273',
      evidence: 'primary',
    },
  },
];
