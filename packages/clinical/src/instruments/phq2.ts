import type { InstrumentDefinition, InstrumentScore, ScoreContext } from '../types.ts';
import { cite, incomplete, screeningCutoff, sum, validateAnswers } from './common.ts';
import { phq9 } from './phq9.ts';

/**
 * Positive at ≥3, the published optimal cut-point (clinical-reference 1.2, Kroenke 2003: 83% sensitivity, 92%
 * specificity). A clinic may lower it to the published alternative ≥2 (Arroll 2010: more sensitive, less
 * specific) through `context.cutoffs.phq2`.
 */
export const phq2PositiveAtLeast = 3;

export const phq2: InstrumentDefinition = {
  id: 'phq2',
  name: 'Patient Health Questionnaire-2',
  shortName: 'PHQ-2',
  recallPeriod: 'Over the last 2 weeks',
  completedBy: 'patient',
  items: phq9.items.slice(0, 2).map((item) => ({ ...item, id: item.id.replace('phq9', 'phq2') })),
  totalRange: { min: 0, max: 6 },
  // Bands at the default cut-off; a clinic override moves the edge (see scorePhq2).
  bands: [
    { id: 'negative', label: 'Negative screen', min: 0, max: phq2PositiveAtLeast - 1 },
    { id: 'positive', label: 'Positive screen: give the full PHQ-9', min: phq2PositiveAtLeast, max: 6 },
  ],
  loinc: { panel: '55757-9', total: '55758-7' },
  licence: phq9.licence,
  citations: [
    cite('1.2', 'Kroenke K, Spitzer RL, Williams JB. Med Care 2003;41(11):1284-1292'),
    cite('1.2', 'Alternative cut-off ≥2: Arroll B et al. Ann Fam Med 2010;8(4):348'),
    cite('1.2', 'LOINC panel 55757-9, total 55758-7: multiple FHIR implementations', 'secondary'),
  ],
};

export function scorePhq2(
  answers: ReadonlyArray<number | null>,
  context: ScoreContext = {},
): InstrumentScore {
  validateAnswers(phq2, answers);
  if (answers.some((a) => a === null)) return incomplete('phq2');
  const total = sum(answers as number[]);
  const cutoff = screeningCutoff(phq2, 'cutoffs.phq2', context.cutoffs?.phq2, phq2PositiveAtLeast);
  return {
    instrument: 'phq2',
    total,
    band: total >= cutoff ? 'positive' : 'negative',
    complete: true,
    flags: [],
  };
}
