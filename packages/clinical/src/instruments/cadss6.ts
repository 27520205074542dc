import type { InstrumentDefinition, InstrumentScore } from '../types.ts';
import { cite, incomplete, items, scale, sum, validateAnswers } from './common.ts';

/** The CADSS-6 items and the numbers they carry in the full scale (clinical-reference 1.11, Rodrigues 2021). */
export const cadss6SourceItems = [1, 2, 6, 7, 15, 22] as const;

export const cadss6: InstrumentDefinition = {
  id: 'cadss6',
  name: 'Clinician-Administered Dissociative States Scale, 6-item short form',
  shortName: 'CADSS-6',
  recallPeriod: 'Right now (during or after the dose)',
  completedBy: 'clinician',
  // The wording of the CADSS is © J. D. Bremner and is not reproduced: each item names its full-scale number,
  // and the clinic shows the licensed wording.
  items: items(
    'cadss6',
    cadss6SourceItems.map((n) => `CADSS item ${n} (licensed wording)`),
    scale(['Not at all', 'Slightly', 'Moderately', 'Considerably', 'Extremely']),
  ),
  totalRange: { min: 0, max: 24 },
  // The reference gives no severity bands for the CADSS-6: a complete score is reported as 'scored', and what
  // counts as "resolved" before discharge is a clinic setting (monitoring).
  bands: [{ id: 'scored', label: 'Scored (no published severity bands)' }],
  licence: '© J. Douglas Bremner; item labels only.',
  citations: [
    cite('1.11', 'Rodrigues NB et al. J Affect Disord 2021 (CADSS-6: items 1, 2, 6, 7, 15, 22)'),
    cite('1.11', 'Bremner JD, Krystal JH, Putnam FW et al. J Trauma Stress 1998'),
    cite('1.11', 'Item scoring 0–4: ketamine psychometric paper, J Psychopharmacol 2017', 'secondary'),
  ],
};

export function scoreCadss6(answers: ReadonlyArray<number | null>): InstrumentScore {
  validateAnswers(cadss6, answers);
  if (answers.some((a) => a === null)) return incomplete('cadss6');
  const total = sum(answers as number[]);
  return {
    instrument: 'cadss6',
    total,
    band: 'scored',
    complete: true,
    flags: total > 0 ? ['dissociation-present'] : [],
  };
}
