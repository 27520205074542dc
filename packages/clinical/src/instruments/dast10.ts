import type { InstrumentDefinition, InstrumentScore } from '../types.ts';
import { bandOf, cite, incomplete, items, validateAnswers, yesNo } from './common.ts';

/** Item 3 is reverse-scored: "No" to being able to stop scores the point (clinical-reference 1.10). */
export const dast10ReversedItem = 3;

export const dast10: InstrumentDefinition = {
  id: 'dast10',
  name: 'Drug Abuse Screening Test (10 items)',
  shortName: 'DAST-10',
  recallPeriod: 'The past 12 months (not alcohol or tobacco)',
  completedBy: 'patient',
  // Labels in our own words; the wording is © Harvey Skinner 1982 and is used under its terms.
  items: items(
    'dast10',
    [
      'Used drugs other than those required for medical reasons',
      'Used more than one drug at a time',
      'Always able to stop using drugs when you want to (reverse-scored)',
      'Had blackouts or flashbacks from drug use',
      'Felt bad or guilty about drug use',
      'Spouse or parents complained about your drug use',
      'Neglected your family because of drug use',
      'Engaged in illegal activities to obtain drugs',
      'Had withdrawal symptoms when you stopped taking drugs',
      'Had medical problems from drug use',
    ],
    yesNo,
  ),
  totalRange: { min: 0, max: 10 },
  bands: [
    { id: 'none', label: 'No problems reported', min: 0, max: 0 },
    { id: 'low', label: 'Low: monitor, reassess', min: 1, max: 2 },
    { id: 'moderate', label: 'Moderate: further investigation', min: 3, max: 5 },
    { id: 'substantial', label: 'Substantial: intensive assessment', min: 6, max: 8 },
    { id: 'severe', label: 'Severe: intensive assessment', min: 9, max: 10 },
  ],
  loinc: { panel: '82666-9', total: '82667-7' },
  licence: '© Harvey A. Skinner 1982; item labels only.',
  citations: [
    cite(
      '1.10',
      'Skinner HA. Addict Behav 1982;7(4):363-371; Yudko E et al. J Subst Abuse Treat 2007;32:189-198',
      'secondary',
    ),
    cite('1.10', 'LOINC 82666-9 / 82667-7: Synthea-derived FHIR data', 'secondary'),
  ],
};

export function scoreDast10(answers: ReadonlyArray<number | null>): InstrumentScore {
  validateAnswers(dast10, answers);
  if (answers.some((a) => a === null)) return incomplete('dast10');
  const total = (answers as number[]).reduce(
    (acc, answer, i) => acc + (i + 1 === dast10ReversedItem ? 1 - answer : answer),
    0,
  );
  return { instrument: 'dast10', total, band: bandOf(dast10, total), complete: true, flags: [] };
}
