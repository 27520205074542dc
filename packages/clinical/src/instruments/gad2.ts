import type { InstrumentDefinition, InstrumentScore } from '../types.ts';
import { bandOf, cite, incomplete, sum, validateAnswers } from './common.ts';
import { gad7 } from './gad7.ts';

/** ≥3 is positive and leads to the GAD-7 (clinical-reference 1.3, Kroenke 2007 via secondary summaries). */
export const gad2PositiveAtLeast = 3;

export const gad2: InstrumentDefinition = {
  id: 'gad2',
  name: 'Generalized Anxiety Disorder-2',
  shortName: 'GAD-2',
  recallPeriod: 'Over the last 2 weeks',
  completedBy: 'patient',
  // The GAD-7's item codes identify the same questions; the GAD-2 panel and total codes are UNCONFIRMED (1.3).
  items: gad7.items.slice(0, 2).map((item) => ({ ...item, id: item.id.replace('gad7', 'gad2') })),
  totalRange: { min: 0, max: 6 },
  bands: [
    { id: 'negative', label: 'Negative screen', min: 0, max: gad2PositiveAtLeast - 1 },
    { id: 'positive', label: 'Positive screen: give the full GAD-7', min: gad2PositiveAtLeast, max: 6 },
  ],
  licence: gad7.licence,
  citations: [cite('1.3', 'Kroenke K et al. Ann Intern Med 2007;146:317-325', 'secondary')],
};

export function scoreGad2(answers: ReadonlyArray<number | null>): InstrumentScore {
  validateAnswers(gad2, answers);
  if (answers.some((a) => a === null)) return incomplete('gad2');
  const total = sum(answers as number[]);
  return { instrument: 'gad2', total, band: bandOf(gad2, total), complete: true, flags: [] };
}
