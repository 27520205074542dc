import type { InstrumentDefinition, InstrumentScore } from '../types.ts';
import { cite, incomplete, items, sum, validateAnswers, yesNo } from './common.ts';

/** The three-part rule (clinical-reference 1.12): ≥7 of 13 "yes", AND several at the same time, AND a moderate or serious problem. */
export const mdqSymptomsAtLeast = 7;
const problemModerateOrSerious = 2;

export const mdq: InstrumentDefinition = {
  id: 'mdq',
  name: 'Mood Disorder Questionnaire',
  shortName: 'MDQ',
  recallPeriod: 'Ever (lifetime)',
  completedBy: 'patient',
  // Labels in our own words for the 13 symptom questions ("Has there ever been a period when you were not
  // your usual self and…"), then question 2 and question 3.
  items: [
    ...items(
      'mdq',
      [
        'Felt so good or hyper that others thought you were not your normal self, or got into trouble',
        'So irritable that you shouted at people or started fights or arguments',
        'Felt much more self-confident than usual',
        'Got much less sleep than usual and did not really miss it',
        'Much more talkative or spoke much faster than usual',
        'Thoughts raced through your head or you could not slow your mind down',
        'So easily distracted that you had trouble concentrating or staying on track',
        'Had much more energy than usual',
        'Much more active or did many more things than usual',
        'Much more social or outgoing than usual',
        'Much more interested in sex than usual',
        'Did things that were unusual for you or that others might have thought excessive, foolish or risky',
        'Spending money got you or your family into trouble',
      ],
      yesNo,
    ),
    {
      id: 'mdq-14',
      number: 14,
      text: 'If more than one was checked: did several of these ever happen during the same period of time?',
      options: yesNo,
      // The form asks it only after two or more "yes": with fewer it is legitimately blank (see scoreMdq).
      optional: true,
    },
    {
      id: 'mdq-15',
      number: 15,
      text: 'How much of a problem did any of these cause you (work, family, money, legal trouble, arguments or fights)?',
      options: [
        { score: 0, label: 'No problem' },
        { score: 1, label: 'Minor problem' },
        { score: 2, label: 'Moderate problem' },
        { score: 3, label: 'Serious problem' },
      ],
    },
  ],
  totalRange: { min: 0, max: 13 },
  bands: [
    { id: 'negative', label: 'Negative screen' },
    { id: 'positive', label: 'Positive screen for bipolar spectrum: evaluate before ketamine' },
  ],
  licence: 'Labels in our own words; the MDQ wording belongs to its authors (Hirschfeld et al. 2000).',
  citations: [
    cite('1.12', 'Hirschfeld RMA et al. Am J Psychiatry 2000;157(11):1873-1875'),
    cite('1.12', 'Three-part rule: the instrument’s scoring instructions', 'secondary'),
  ],
};

/**
 * Total = number of "yes" among the 13 symptom questions; positive only when all three parts hold. Question 2
 * may be blank when fewer than two symptoms were checked, because the form does not ask it then.
 */
export function scoreMdq(answers: ReadonlyArray<number | null>): InstrumentScore {
  validateAnswers(mdq, answers);
  const symptoms = answers.slice(0, 13);
  const [samePeriod, problem] = [answers[13], answers[14]];
  if (symptoms.some((a) => a === null) || problem === null) return incomplete('mdq');
  const total = sum(symptoms as number[]);
  if (samePeriod === null && total >= 2) return incomplete('mdq');
  const positive = total >= mdqSymptomsAtLeast && samePeriod === 1 && problem! >= problemModerateOrSerious;
  return { instrument: 'mdq', total, band: positive ? 'positive' : 'negative', complete: true, flags: [] };
}
