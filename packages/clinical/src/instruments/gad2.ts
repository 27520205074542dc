import type { InstrumentDefinition, InstrumentScore, ScoreContext } from '../types.ts';
import { cite, incomplete, screeningCutoff, sum, validateAnswers } from './common.ts';
import { gad7 } from './gad7.ts';

/**
 * Positive at ≥3, which leads to the GAD-7 (clinical-reference 1.3, Kroenke 2007 via secondary summaries).
 * A clinic may override it through `context.cutoffs.gad2`.
 */
export const gad2PositiveAtLeast = 3;

export const gad2: InstrumentDefinition = {
  id: 'gad2',
  name: 'Generalized Anxiety Disorder-2',
  shortName: 'GAD-2',
  recallPeriod: 'Over the last 2 weeks',
  completedBy: 'patient',
  // The reference marks the GAD-2 panel and total codes UNCONFIRMED, so none are given. The two items keep the
  // GAD-7 item codes (1.3, HL7 PHR IG [P]): a LOINC question code names the question, whichever form asks it,
  // as the reference itself shows for the PHQ-2 (1.2: items 44250-9 and 44255-8, the PHQ-9's).
  items: gad7.items.slice(0, 2).map((item) => ({ ...item, id: item.id.replace('gad7', 'gad2') })),
  totalRange: { min: 0, max: 6 },
  // Bands at the default cut-off; a clinic override moves the edge (see scoreGad2).
  bands: [
    { id: 'negative', label: 'Negative screen', min: 0, max: gad2PositiveAtLeast - 1 },
    { id: 'positive', label: 'Positive screen: give the full GAD-7', min: gad2PositiveAtLeast, max: 6 },
  ],
  licence: gad7.licence,
  citations: [cite('1.3', 'Kroenke K et al. Ann Intern Med 2007;146:317-325', 'secondary')],
};

export function scoreGad2(
  answers: ReadonlyArray<number | null>,
  context: ScoreContext = {},
): InstrumentScore {
  validateAnswers(gad2, answers);
  if (answers.some((a) => a === null)) return incomplete('gad2');
  const total = sum(answers as number[]);
  const cutoff = screeningCutoff(gad2, 'cutoffs.gad2', context.cutoffs?.gad2, gad2PositiveAtLeast);
  return {
    instrument: 'gad2',
    total,
    band: total >= cutoff ? 'positive' : 'negative',
    complete: true,
    flags: [],
  };
}
