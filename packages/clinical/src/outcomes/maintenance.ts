import { instruments } from '../instruments/index.ts';
import type { Citation, InstrumentId, RuleMetadata } from '../types.ts';
import {
  assessCourse,
  type CourseAssessment,
  defaultOutcomeThresholds,
  type OutcomeThresholds,
} from './index.ts';

/**
 * The booster/maintenance signal (issue 6): a responder whose follow-up totals climb back toward their
 * baseline, shown to the prescriber with the numbers behind it. Two strengths, each from a number the
 * reference gives (clinical-reference 1.13):
 * - firm: the course has lost response (assessCourse 'lost-response': an earlier total met response or
 *   remission, the latest meets neither), or has risen past baseline by the worsening threshold after a
 *   response;
 * - early: still responding, but the latest total is at least the instrument's MCID above the best total of
 *   the course (PHQ-9 5, Löwe 2004; GAD-7 4, Toussaint 2020; PCL-5 10, NCPTSD). That a rise of one MCID from
 *   the best score is the moment to act is our reading, UNCONFIRMED as a published standard.
 * Nothing here decides on a booster: the cadence of maintenance is the prescriber's (SPRAVATO label:
 * weekly or every 2 weeks from week 9, "the lowest frequency required to maintain remission/response",
 * clinical-reference 2.5 [P]; for racemic KAP no maintenance cadence is confirmed, 5.3).
 */

/** A total since baseline, oldest first; the caller's own point type passes through to the result. */
export interface MaintenancePoint {
  total: number;
  /** Measured in follow-up (after the course): only follow-up totals can raise the signal. */
  inFollowUp: boolean;
}

export interface MaintenanceSignal<P extends MaintenancePoint = MaintenancePoint> {
  instrument: InstrumentId;
  strength: 'firm' | 'early';
  baseline: number;
  /** The lowest total since baseline (lower is better on every instrument with change criteria). */
  best: P;
  latest: P;
  /** latest − best, in points. */
  riseFromBest: number;
  /**
   * How far back toward baseline the latest total has come: (latest − best) / (baseline − best), rounded to
   * two decimals. 0 = still at the best score, 1 = back at baseline, above 1 = worse than baseline.
   */
  fractionTowardBaseline: number;
  /** The MCID used for the early signal (the instrument's worsening threshold), or null when it has none. */
  mcid: number | null;
  /** The totals the signal rests on: from the best total through the latest, in order. */
  points: P[];
  course: CourseAssessment;
  reasons: string[];
  /** For the prescriber: what the signal means and what it does not, with its sources. */
  explanation: string;
  citations: Citation[];
}

const citations: Citation[] = [
  {
    section: 'clinical-reference 1.13',
    source:
      'Response ≥50% from baseline / remission (NCQA/HEDIS, Psychiatric Services doi:10.1176/appi.ps.201900295)',
    evidence: 'primary',
  },
  {
    section: 'clinical-reference 1.13',
    source:
      'Rise ≥ the MCID as a change worth acting on: PHQ-9 5 (Löwe 2004), GAD-7 4 (Toussaint 2020), PCL-5 10 (NCPTSD); UNCONFIRMED as a standard for relapse',
    evidence: 'unconfirmed',
  },
  {
    section: 'clinical-reference 2.5',
    source:
      'SPRAVATO label: maintenance weekly or every 2 weeks from week 9, individualised to the lowest frequency that keeps remission/response',
    evidence: 'primary',
  },
  {
    section: 'clinical-reference 5.3',
    source:
      'After an IV ketamine series the median time to relapse was 18 days after the last infusion (Murrough 2013)',
    evidence: 'secondary',
  },
];

const explanationOf = (name: string, strength: 'firm' | 'early') =>
  [
    strength === 'firm'
      ? `${name} no longer meets the response criterion after having met it: a maintenance or booster review is due.`
      : `${name} still meets the response criterion but has risen by at least the MCID from its best score: an early sign, worth a review before response is lost.`,
    'Relapse after an acute ketamine series can come early: after IV ketamine the median relapse was 18 days after the last infusion (Murrough 2013, clinical-reference 5.3 [S]).',
    'SPRAVATO maintenance is weekly or every 2 weeks from week 9, at the lowest frequency that keeps response or remission (label, clinical-reference 2.5 [P]); no maintenance cadence is confirmed for racemic KAP (5.3).',
    'This is a prompt for the prescriber, not a dosing decision; the early signal (a rise ≥ the MCID from the best score) is UNCONFIRMED as a published standard.',
  ].join(' ');

/**
 * The maintenance signal for one instrument, or null when there is none: no response ever met, the latest
 * total not measured in follow-up, or follow-up totals still near the best. `points` are the totals since
 * baseline (baseline excluded), oldest first; `sessionsCompleted` and `noResponseAfterSessions` pass to
 * assessCourse so the course status reads as everywhere else.
 */
export function maintenanceSignal<P extends MaintenancePoint>(
  id: InstrumentId,
  baseline: number,
  points: readonly P[],
  options: {
    sessionsCompleted?: number;
    noResponseAfterSessions?: number;
    thresholds?: Partial<Record<InstrumentId, OutcomeThresholds>>;
  } = {},
): MaintenanceSignal<P> | null {
  const course = assessCourse(
    id,
    baseline,
    points.map((p) => p.total),
    options,
  );
  const latest = points.at(-1);
  if (!latest?.inFollowUp || !course.everResponded) return null;
  const thresholds = options.thresholds ?? defaultOutcomeThresholds;
  const mcid = thresholds[id]?.worsening?.pointsAtLeast ?? null;
  let bestIndex = 0;
  points.forEach((p, i) => {
    if (p.total < points[bestIndex]!.total) bestIndex = i;
  });
  const best = points[bestIndex]!;
  const riseFromBest = latest.total - best.total;
  const firm = course.status === 'lost-response' || course.status === 'worsening';
  const early =
    !firm &&
    (course.status === 'responding' || course.status === 'remitted') &&
    mcid !== null &&
    riseFromBest >= mcid;
  if (!firm && !early) return null;
  const strength = firm ? 'firm' : 'early';
  const name = instruments[id].shortName;
  const gap = baseline - best.total;
  const fractionTowardBaseline = gap > 0 ? Math.round((riseFromBest / gap) * 100) / 100 : 0;
  const reasons = [
    ...course.reasons,
    `${name} went from ${baseline} at baseline to a best of ${best.total}, and is ${latest.total} now (+${riseFromBest} from the best, ${Math.round(fractionTowardBaseline * 100)}% of the way back to baseline).`,
  ];
  if (early) reasons.push(`The rise of ${riseFromBest} points is at least the ${name} MCID of ${mcid}.`);
  return {
    instrument: id,
    strength,
    baseline,
    best,
    latest,
    riseFromBest,
    fractionTowardBaseline,
    mcid,
    points: points.slice(bestIndex),
    course,
    reasons,
    explanation: explanationOf(name, strength),
    citations,
  };
}

export const maintenanceRules: RuleMetadata[] = [
  {
    id: 'outcomes.maintenance.lost-response',
    area: 'outcomes',
    title:
      'Maintenance signal (firm): a responder whose latest follow-up total meets neither response nor remission (assessCourse lost-response), or has worsened past baseline, is shown to the prescriber for a booster or maintenance review',
    citation: {
      section: 'clinical-reference 1.13',
      source:
        'Response and remission definitions (NCQA/HEDIS) [P]; maintenance per the SPRAVATO label (2.5) [P]; median relapse 18 days after an IV series (Murrough 2013, 5.3) [S]',
      evidence: 'secondary',
    },
  },
  {
    id: 'outcomes.maintenance.early-rise',
    area: 'outcomes',
    title:
      'Maintenance signal (early): still responding, but the latest follow-up total is at least the instrument’s MCID (its worsening threshold: PHQ-9 5, GAD-7 4, PCL-5 10) above the best total since baseline; none for instruments without an MCID',
    citation: {
      section: 'clinical-reference 1.13',
      source:
        'MCIDs: Löwe 2004 (PHQ-9), Toussaint 2020 (GAD-7), NCPTSD (PCL-5); a rise of one MCID from the best score as an early relapse sign is UNCONFIRMED as a published standard',
      evidence: 'unconfirmed',
    },
  },
  {
    id: 'outcomes.maintenance.follow-up-only',
    area: 'outcomes',
    title:
      'The maintenance signal looks only at a latest total measured in follow-up (a follow-up measure of the plan’s schedule, or an answer after the plan ended and after its last dose); totals during the course are assessed by the course status',
    citation: {
      section: 'clinical-reference 5.3',
      source:
        'Follow-up at 1, 3, 6 and 12 months (issue 6 measure schedule); relapse in follow-up (Murrough 2013)',
      evidence: 'secondary',
    },
  },
];
