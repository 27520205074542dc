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

// clinical-reference 1.1. Item wording and answers as published (Kroenke, Spitzer & Williams 2001); Pfizer's
// terms allow reproducing them (see pfizerScreenerLicence). Item 9 is worded exactly as the reference quotes it.
export const phq9: InstrumentDefinition = {
  id: 'phq9',
  name: 'Patient Health Questionnaire-9',
  shortName: 'PHQ-9',
  recallPeriod: 'Over the last 2 weeks',
  completedBy: 'patient',
  items: [
    ...items(
      'phq9',
      [
        'Little interest or pleasure in doing things',
        'Feeling down, depressed, or hopeless',
        'Trouble falling or staying asleep, or sleeping too much',
        'Feeling tired or having little energy',
        'Poor appetite or overeating',
        'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
        'Trouble concentrating on things, such as reading the newspaper or watching television',
        'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
        'Thoughts that you would be better off dead, or of hurting yourself in some way',
      ],
      phqFrequency,
      ['44250-9', '44255-8', '44259-0', '44254-1', '44251-7', '44258-2', '44252-5', '44253-3', '44260-8'],
    ),
    {
      id: 'phq9-10',
      number: 10,
      text: 'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people? (not scored)',
      options: [
        { score: 0, label: 'Not difficult at all' },
        { score: 1, label: 'Somewhat difficult' },
        { score: 2, label: 'Very difficult' },
        { score: 3, label: 'Extremely difficult' },
      ],
      loinc: '69722-7',
      optional: true,
    },
  ],
  totalRange: { min: 0, max: 27 },
  bands: [
    { id: 'none-minimal', label: 'None–minimal', min: 0, max: 4 },
    { id: 'mild', label: 'Mild', min: 5, max: 9 },
    { id: 'moderate', label: 'Moderate', min: 10, max: 14 },
    { id: 'moderately-severe', label: 'Moderately severe', min: 15, max: 19 },
    { id: 'severe', label: 'Severe', min: 20, max: 27 },
  ],
  loinc: { panel: '44249-1', total: '44261-6' },
  licence: pfizerScreenerLicence,
  citations: [
    cite('1.1', 'Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med 2001;16(9):606-613'),
    cite(
      '1.1',
      'LOINC codes: HL7 US Core IG (panel 44249-1), HL7 PHR IG (total 44261-6); item codes from HL7 SDC / Argonaut examples',
      'secondary',
    ),
  ],
};

/**
 * Total of items 1–9 (item 10 is not scored). Item 9 answered anything but "Not at all" raises
 * `suicidal-ideation` even when other answers are missing: the safety flag never waits for completeness.
 */
export function scorePhq9(answers: ReadonlyArray<number | null>): InstrumentScore {
  validateAnswers(phq9, answers, 1);
  const scored = answers.slice(0, 9);
  const flags = (scored[8] ?? 0) >= 1 ? ['suicidal-ideation'] : [];
  if (scored.some((a) => a === null)) return incomplete('phq9', flags);
  const total = sum(scored as number[]);
  return { instrument: 'phq9', total, band: bandOf(phq9, total), complete: true, flags };
}
