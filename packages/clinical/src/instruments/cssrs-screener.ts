import type { InstrumentDefinition, InstrumentScore } from '../types.ts';
import { cite, incomplete, validateAnswers, yesNo } from './common.ts';

// clinical-reference 1.5. Questions, order, LOINC codes and skip logic as in the HL7 US Behavioral Health
// Profiles IG example of the screener. The reference records only the © notice, no licence to reproduce the
// wording, and the copyright holder licenses electronic implementations of the scale exclusively through an
// agent (Clario's C-SSRS sublicensing programme). So each item carries a short label in our own words; the
// clinician asks the questions from the official screener, which the clinic uses under its own licence.
export const cssrsScreener: InstrumentDefinition = {
  id: 'cssrs-screener',
  name: 'Columbia Suicide Severity Rating Scale — Screener (recent)',
  shortName: 'C-SSRS Screener',
  recallPeriod: 'In the past month (question 6: lifetime, then the past 3 months)',
  completedBy: 'clinician',
  items: [
    {
      id: 'cssrs-1',
      number: 1,
      text: 'Wish to be dead or not to wake up (past month)',
      options: yesNo,
      loinc: '93246-7',
    },
    {
      id: 'cssrs-2',
      number: 2,
      text: 'Any actual thoughts of killing oneself (past month)',
      options: yesNo,
      loinc: '93247-5',
    },
    {
      id: 'cssrs-3',
      number: 3,
      text: 'Thinking about how (a method)',
      options: yesNo,
      loinc: '93248-3',
      enableWhen: { item: 'cssrs-2', answers: [1] },
    },
    {
      id: 'cssrs-4',
      number: 4,
      text: 'Some intention of acting on the thoughts',
      options: yesNo,
      loinc: '93249-1',
      enableWhen: { item: 'cssrs-2', answers: [1] },
    },
    {
      id: 'cssrs-5',
      number: 5,
      text: 'Details of a plan worked out, with intent to carry it out',
      options: yesNo,
      loinc: '93250-9',
      enableWhen: { item: 'cssrs-2', answers: [1] },
    },
    {
      id: 'cssrs-6',
      number: 6,
      text: 'Any suicidal behaviour ever: did, started or prepared anything to end one’s life (lifetime)',
      options: yesNo,
      loinc: '93267-3',
    },
    {
      id: 'cssrs-6b',
      number: 7,
      text: 'That behaviour was within the past 3 months',
      options: yesNo,
      loinc: '93269-9',
      enableWhen: { item: 'cssrs-6', answers: [1] },
    },
  ],
  bands: [
    { id: 'none', label: 'No ideation or behaviour reported' },
    { id: 'low', label: 'Low risk: wish to be dead or non-specific thoughts' },
    { id: 'moderate', label: 'Moderate risk: thoughts of method, or behaviour more than 3 months ago' },
    {
      id: 'high',
      label: 'High risk: intent or plan, or behaviour in the past 3 months — safety precautions now',
    },
  ],
  loinc: { panel: '93373-9', total: '93374-7' },
  licence:
    '© Kelly Posner, Research Foundation for Mental Hygiene (2011 notice); item labels only. Electronic implementations are licensed by the copyright holder: the clinic administers the official screener under its own licence.',
  citations: [
    cite(
      '1.5',
      'Questions and LOINC codes: HL7 US Behavioral Health Profiles IG C-SSRS example (CMS screen version)',
    ),
    cite('1.5', 'High-risk rule: C-SSRS Triage, cssrs.columbia.edu'),
    cite(
      '1.5',
      'Low vs moderate mapping: colour-coded screener as commonly implemented (exact wording UNCONFIRMED)',
      'unconfirmed',
    ),
  ],
};

/**
 * C-SSRS triage (total is always null). Questions 3–5 follow a "yes" to 2, question 6b a "yes" to 6.
 * A "yes" given to a question that the skip logic would not have asked is still counted, and flagged: a
 * high-risk answer is never ignored because of how a form was filled in.
 */
export function scoreCssrsScreener(answers: ReadonlyArray<number | null>): InstrumentScore {
  validateAnswers(cssrsScreener, answers);
  const [q1, q2, q3, q4, q5, q6, q6b] = answers;
  const yes = (a: number | null | undefined) => a === 1;
  const flags: string[] = [];
  if (yes(q1) || yes(q2)) flags.push('suicidal-ideation');
  if (yes(q6)) flags.push('suicidal-behavior');
  if (q2 !== 1 && (yes(q3) || yes(q4) || yes(q5))) flags.push('answers-outside-skip-logic');
  if (q6 !== 1 && yes(q6b)) flags.push('answers-outside-skip-logic');

  let band: 'none' | 'low' | 'moderate' | 'high' = 'none';
  if (yes(q1) || yes(q2)) band = 'low';
  if (yes(q3) || (yes(q6) && q6b === 0)) band = 'moderate';
  if (yes(q4) || yes(q5) || yes(q6b)) band = 'high';
  if (band === 'high') flags.push('high-risk');

  const complete =
    q1 !== null &&
    q2 !== null &&
    q6 !== null &&
    (q2 !== 1 || (q3 !== null && q4 !== null && q5 !== null)) &&
    (q6 !== 1 || q6b !== null);
  // A high-risk answer stands even in an unfinished screen; anything lower waits for the missing answers.
  if (!complete && band !== 'high') return incomplete('cssrs-screener', flags);
  return { instrument: 'cssrs-screener', total: null, band, complete, flags };
}
