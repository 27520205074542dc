import type { InstrumentDefinition, InstrumentScore, ScoreContext } from '../types.ts';
import { cite, incomplete, items, scale, screeningCutoff, sum, validateAnswers } from './common.ts';

/**
 * The positive-screen cut-off is a clinic setting: the National Center for PTSD says 31–33 suggests probable
 * PTSD and each site should choose within it (clinical-reference 1.4). The default is the top of that range.
 */
export const pcl5DefaultCutoff = 33;

/** DSM-5 clusters by item number (clinical-reference 1.4). */
export const pcl5Clusters = {
  B: [1, 2, 3, 4, 5],
  C: [6, 7],
  D: [8, 9, 10, 11, 12, 13, 14],
  E: [15, 16, 17, 18, 19, 20],
} as const;
/** An item counts as a symptom when rated ≥2 ("Moderately"); the DSM-5 rule needs 1 B, 1 C, 2 D, 2 E. */
const endorsedAtLeast = 2;
const clusterMinimum = { B: 1, C: 1, D: 2, E: 2 } as const;

export const pcl5: InstrumentDefinition = {
  id: 'pcl5',
  name: 'PTSD Checklist for DSM-5',
  shortName: 'PCL-5',
  recallPeriod: 'In the past month',
  completedBy: 'patient',
  // Short labels in our own words, one per DSM-5 symptom; a clinic may show the instrument's public-domain wording.
  items: items(
    'pcl5',
    [
      'Unwanted, upsetting memories of the stressful experience',
      'Disturbing dreams of the experience',
      'Feeling as if the experience were happening again',
      'Feeling very upset when something reminded you of it',
      'Strong physical reactions to reminders',
      'Avoiding memories, thoughts or feelings about it',
      'Avoiding external reminders (people, places, activities)',
      'Trouble remembering important parts of the experience',
      'Strong negative beliefs about yourself, others or the world',
      'Blaming yourself or someone else for it',
      'Strong negative feelings (fear, horror, anger, guilt, shame)',
      'Loss of interest in activities you used to enjoy',
      'Feeling distant or cut off from other people',
      'Trouble experiencing positive feelings',
      'Irritable behaviour, angry outbursts, acting aggressively',
      'Taking too many risks or doing things that could harm you',
      'Being super alert, watchful or on guard',
      'Feeling jumpy or easily startled',
      'Difficulty concentrating',
      'Trouble falling or staying asleep',
    ],
    scale(['Not at all', 'A little bit', 'Moderately', 'Quite a bit', 'Extremely']),
  ),
  totalRange: { min: 0, max: 80 },
  bands: [
    { id: 'negative', label: 'Below the clinic’s cut-off' },
    { id: 'positive', label: 'At or above the cut-off: probable PTSD, confirm clinically' },
  ],
  licence:
    'Public domain (U.S. National Center for PTSD); labels in our own words here, the clinic may show the NCPTSD wording.',
  citations: [
    cite(
      '1.4',
      'Weathers et al. 2013, National Center for PTSD; Blevins et al. J Trauma Stress 2015;28(6):489-498',
    ),
    cite(
      '1.4',
      'Cluster scoring, provisional-diagnosis rule and 31–33 cut-off: NCPTSD "Using the PCL-5"',
      'secondary',
    ),
  ],
};

export function scorePcl5(
  answers: ReadonlyArray<number | null>,
  context: ScoreContext = {},
): InstrumentScore {
  validateAnswers(pcl5, answers);
  if (answers.some((a) => a === null)) return incomplete('pcl5');
  const values = answers as number[];
  const total = sum(values);
  const subscales: Record<string, number> = {};
  const endorsed: Record<string, number> = {};
  for (const [cluster, numbers] of Object.entries(pcl5Clusters)) {
    subscales[cluster] = sum(numbers.map((n) => values[n - 1]!));
    endorsed[cluster] = numbers.filter((n) => values[n - 1]! >= endorsedAtLeast).length;
  }
  const provisional = (Object.keys(clusterMinimum) as (keyof typeof clusterMinimum)[]).every(
    (cluster) => endorsed[cluster]! >= clusterMinimum[cluster],
  );
  const cutoff = screeningCutoff(pcl5, 'cutoffs.pcl5', context.cutoffs?.pcl5, pcl5DefaultCutoff);
  return {
    instrument: 'pcl5',
    total,
    band: total >= cutoff ? 'positive' : 'negative',
    complete: true,
    flags: provisional ? ['provisional-ptsd-dsm5'] : [],
    subscales,
  };
}
