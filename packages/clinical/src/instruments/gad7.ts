import type { InstrumentDefinition, InstrumentScore } from '../types.ts';
import {
  bandOf,
  cite,
  incomplete,
  items,
  pfizerScreenerLicence,
  phqFrequency,
  sum,
  validateAnswers,
} from './common.ts';

// clinical-reference 1.3 (Spitzer, Kroenke, Williams & Löwe 2006). Reproduced under Pfizer's terms (pfizerScreenerLicence).
export const gad7: InstrumentDefinition = {
  id: 'gad7',
  name: 'Generalized Anxiety Disorder-7',
  shortName: 'GAD-7',
  recallPeriod: 'Over the last 2 weeks',
  completedBy: 'patient',
  items: items(
    'gad7',
    [
      'Feeling nervous, anxious, or on edge',
      'Not being able to stop or control worrying',
      'Worrying too much about different things',
      'Trouble relaxing',
      'Being so restless that it is hard to sit still',
      'Becoming easily annoyed or irritable',
      'Feeling afraid, as if something awful might happen',
    ],
    phqFrequency,
    ['69725-0', '68509-9', '69733-4', '69734-2', '69735-9', '69689-8', '69736-7'],
  ),
  totalRange: { min: 0, max: 21 },
  bands: [
    { id: 'minimal', label: 'Minimal', min: 0, max: 4 },
    { id: 'mild', label: 'Mild', min: 5, max: 9 },
    { id: 'moderate', label: 'Moderate', min: 10, max: 14 },
    { id: 'severe', label: 'Severe', min: 15, max: 21 },
  ],
  loinc: { panel: '69737-5', total: '70274-6' },
  licence: pfizerScreenerLicence,
  citations: [
    cite('1.3', 'Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med 2006;166(10):1092-1097'),
    cite(
      '1.3',
      'LOINC: HL7 PHR IG (total 70274-6, items); panel 69737-5 from a FHIR Questionnaire',
      'secondary',
    ),
  ],
};

export function scoreGad7(answers: ReadonlyArray<number | null>): InstrumentScore {
  validateAnswers(gad7, answers);
  if (answers.some((a) => a === null)) return incomplete('gad7');
  const total = sum(answers as number[]);
  return { instrument: 'gad7', total, band: bandOf(gad7, total), complete: true, flags: [] };
}
