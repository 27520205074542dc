import type { InstrumentDefinition, InstrumentScore } from '../types.ts';
import { bandOf, cite, incomplete, items, scale, sum, validateAnswers } from './common.ts';

export const madrs: InstrumentDefinition = {
  id: 'madrs',
  name: 'Montgomery–Åsberg Depression Rating Scale',
  shortName: 'MADRS',
  // The reference gives no rating window. The past week is the usual convention (secondary sources); a 24-hour
  // version is used to measure ketamine's rapid onset, so the rater records which was used.
  recallPeriod:
    'Usually the past week (a 24-hour window is used in rapid-onset studies); clinician interview',
  completedBy: 'clinician',
  // Item names only; the rating anchors belong to the published scale.
  items: items(
    'madrs',
    [
      'Apparent sadness',
      'Reported sadness',
      'Inner tension',
      'Reduced sleep',
      'Reduced appetite',
      'Concentration difficulties',
      'Lassitude',
      'Inability to feel',
      'Pessimistic thoughts',
      'Suicidal thoughts',
    ],
    scale(['0', '1', '2', '3', '4', '5', '6']),
  ),
  totalRange: { min: 0, max: 60 },
  // Snaith's bands (clinical-reference 1.6); band ids as the API fixes them.
  bands: [
    { id: 'normal', label: 'Symptoms absent', min: 0, max: 6 },
    { id: 'mild', label: 'Mild', min: 7, max: 19 },
    { id: 'moderate', label: 'Moderate', min: 20, max: 34 },
    { id: 'severe', label: 'Severe', min: 35, max: 60 },
  ],
  licence: 'Item names only; the rating anchors are the published scale’s (Montgomery & Åsberg 1979).',
  citations: [
    cite('1.6', 'Montgomery SA, Åsberg M. Br J Psychiatry 1979;134:382-389'),
    cite('1.6', 'Bands: Snaith et al., measurement-handbook excerpt', 'secondary'),
    cite('1.6', '≥35 severe: Müller et al. J Affect Disord 2000;60:137-140'),
  ],
};

export function scoreMadrs(answers: ReadonlyArray<number | null>): InstrumentScore {
  validateAnswers(madrs, answers);
  // The reference gives no item-10 threshold, so the MADRS raises no suicidality flag of its own; the clinician
  // rating it sees item 10 directly, and the C-SSRS is the instrument for that question.
  if (answers.some((a) => a === null)) return incomplete('madrs');
  const total = sum(answers as number[]);
  return { instrument: 'madrs', total, band: bandOf(madrs, total), complete: true, flags: [] };
}
