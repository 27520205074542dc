import type { InstrumentDefinition, InstrumentScore } from '../types.ts';
import { bandOf, cite, incomplete, items, scale, sum, validateAnswers } from './common.ts';

/** The nine DSM domains and the items each takes its score from (the maximum of its items). clinical-reference 1.7 */
export const qidsDomains: Record<string, readonly number[]> = {
  sleep: [1, 2, 3, 4],
  mood: [5],
  appetiteWeight: [6, 7, 8, 9],
  concentration: [10],
  selfView: [11],
  suicidalIdeation: [12],
  interest: [13],
  energy: [14],
  psychomotor: [15, 16],
};

export const qidsSr16: InstrumentDefinition = {
  id: 'qids-sr16',
  name: 'Quick Inventory of Depressive Symptomatology, Self-Report (16 items)',
  shortName: 'QIDS-SR16',
  recallPeriod: 'In the past 7 days',
  completedBy: 'patient',
  // Item labels in our own words; the clinic supplies the instrument's own wording and answer texts under its terms.
  items: items(
    'qids',
    [
      'Falling asleep',
      'Sleep during the night',
      'Waking up too early',
      'Sleeping too much',
      'Feeling sad',
      'Decreased appetite',
      'Increased appetite',
      'Decreased weight (in the last two weeks)',
      'Increased weight (in the last two weeks)',
      'Concentration and decision-making',
      'View of myself',
      'Thoughts of death or suicide',
      'General interest',
      'Energy level',
      'Feeling slowed down',
      'Feeling restless',
    ],
    scale(['0 — no problem', '1', '2', '3 — most severe']),
  ),
  totalRange: { min: 0, max: 27 },
  bands: [
    { id: 'none', label: 'None', min: 0, max: 5 },
    { id: 'mild', label: 'Mild', min: 6, max: 10 },
    { id: 'moderate', label: 'Moderate', min: 11, max: 15 },
    { id: 'severe', label: 'Severe', min: 16, max: 20 },
    { id: 'very-severe', label: 'Very severe', min: 21, max: 27 },
  ],
  licence: 'Item wording not reproduced here; use under the instrument owners’ terms (ids-qids.org).',
  citations: [
    cite('1.7', 'Rush AJ et al. Biol Psychiatry 2003;54:573-583'),
    cite('1.7', 'Severity table: ids-qids.org (Rush 2003, Trivedi 2004)'),
    cite('1.7', 'Domain-maximum scoring: psy-world.com, guidelinecentral QIDS calculator', 'secondary'),
  ],
};

/** Total = sum of the nine domain scores, each the maximum of its items (not a sum of the 16 items). */
export function scoreQidsSr16(answers: ReadonlyArray<number | null>): InstrumentScore {
  validateAnswers(qidsSr16, answers);
  // Item 12 (thoughts of death or suicide) is a safety flag like PHQ-9 item 9 (reference 1.7, design suggestion).
  const flags = (answers[11] ?? 0) >= 1 ? ['suicidal-ideation'] : [];
  if (answers.some((a) => a === null)) return incomplete('qids-sr16', flags);
  const values = answers as number[];
  const subscales = Object.fromEntries(
    Object.entries(qidsDomains).map(([domain, numbers]) => [
      domain,
      Math.max(...numbers.map((n) => values[n - 1]!)),
    ]),
  );
  const total = sum(Object.values(subscales));
  return { instrument: 'qids-sr16', total, band: bandOf(qidsSr16, total), complete: true, flags, subscales };
}
