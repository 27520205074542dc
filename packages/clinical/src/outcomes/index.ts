import { instruments } from '../instruments/index.ts';
import type { ChangeClassification, Citation, InstrumentId, RuleMetadata } from '../types.ts';

/**
 * What counts as response, remission and worsening for an instrument: plain data, each number with its
 * source (clinical-reference 1.13), and every one a default a clinic can override.
 */
export interface OutcomeThresholds {
  /** Response as a relative reduction from baseline (percent) or an absolute drop (points). */
  response?: ({ percentReductionAtLeast: number } | { pointsReductionAtLeast: number }) & {
    citation: Citation;
  };
  /** Remission when the current total is below (`<`) or at most (`<=`) this value. */
  remission?: ({ below: number } | { atMost: number }) & { citation: Citation };
  /** Worsening when the total rises by at least this many points (the instrument's MCID). */
  worsening?: { pointsAtLeast: number; citation: Citation };
}

const ref = (section: string, source: string, evidence: Citation['evidence']): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});
const worseningRule =
  'Worsening = a rise of at least the MCID: a reasonable rule, UNCONFIRMED as a published standard';

export const defaultOutcomeThresholds: Partial<Record<InstrumentId, OutcomeThresholds>> = {
  phq9: {
    response: {
      percentReductionAtLeast: 50,
      citation: ref('1.1', 'NCQA/HEDIS, Psychiatric Services doi:10.1176/appi.ps.201900295', 'primary'),
    },
    remission: {
      below: 5,
      citation: ref('1.1', 'NCQA/HEDIS, Psychiatric Services doi:10.1176/appi.ps.201900295', 'primary'),
    },
    worsening: {
      pointsAtLeast: 5,
      citation: ref(
        '1.13',
        `MCID 5 points (Löwe B et al. Med Care 2004;42:1194-1201). ${worseningRule}`,
        'unconfirmed',
      ),
    },
  },
  gad7: {
    response: {
      percentReductionAtLeast: 50,
      citation: ref(
        '1.3',
        'By analogy with the PHQ-9 in KAP studies (Hull 2022); no official GAD-7 standard',
        'secondary',
      ),
    },
    remission: {
      below: 5,
      citation: ref(
        '1.3',
        'By analogy with the PHQ-9 in KAP studies (Hull 2022); no official GAD-7 standard',
        'secondary',
      ),
    },
    worsening: {
      pointsAtLeast: 4,
      citation: ref(
        '1.13',
        `MCID 4 points (Toussaint A et al. J Affect Disord 2020;265:395-401). ${worseningRule}`,
        'unconfirmed',
      ),
    },
  },
  madrs: {
    response: {
      percentReductionAtLeast: 50,
      citation: ref('1.6', 'Ketamine RCT convention (Murrough 2013; Talati 2019)', 'primary'),
    },
    remission: {
      atMost: 10,
      citation: ref(
        '1.6',
        'Most common definition, survey.doctor (≤12 in esketamine trials: UNCONFIRMED)',
        'secondary',
      ),
    },
  },
  'qids-sr16': {
    response: {
      percentReductionAtLeast: 50,
      citation: ref('1.13', 'Response ≥50% from baseline (NCQA/HEDIS; ketamine RCT convention)', 'primary'),
    },
    remission: {
      atMost: 5,
      citation: ref('1.7', 'STAR*D: Trivedi MH et al. Am J Psychiatry 2006;163:28-40', 'secondary'),
    },
  },
  pcl5: {
    response: {
      pointsReductionAtLeast: 5,
      citation: ref('1.4', 'NCPTSD: 5 points = response / reliable change', 'secondary'),
    },
    worsening: {
      pointsAtLeast: 10,
      citation: ref('1.13', `10 points clinically meaningful (NCPTSD). ${worseningRule}`, 'unconfirmed'),
    },
  },
};

/**
 * Change from baseline on one instrument. `change` is current − baseline (negative is improvement);
 * `percentChange` is relative to baseline (0 when the baseline is 0). Instruments without a total (the
 * C-SSRS) are rejected; instruments without published thresholds answer false for what they lack.
 */
export function classifyChange(
  id: InstrumentId,
  baselineTotal: number,
  currentTotal: number,
  thresholds: Partial<Record<InstrumentId, OutcomeThresholds>> = defaultOutcomeThresholds,
): ChangeClassification {
  const definition = instruments[id];
  if (!definition?.totalRange) throw new RangeError(`${String(id)} has no total score to compare`);
  for (const [name, value] of [
    ['baseline', baselineTotal],
    ['current', currentTotal],
  ] as const) {
    if (!Number.isFinite(value) || value < definition.totalRange.min || value > definition.totalRange.max) {
      throw new RangeError(
        `${definition.shortName} ${name} total ${value} is outside ${definition.totalRange.min}–${definition.totalRange.max}`,
      );
    }
  }
  const rule = thresholds[id];
  const change = currentTotal - baselineTotal;
  const percentChange = baselineTotal === 0 ? 0 : Math.round((change / baselineTotal) * 1000) / 10;
  const r = rule?.response;
  // The relative criterion is computed exactly (not from the rounded percentChange shown to people).
  const response = !r
    ? false
    : 'percentReductionAtLeast' in r
      ? baselineTotal > 0 && -change * 100 >= r.percentReductionAtLeast * baselineTotal
      : -change >= r.pointsReductionAtLeast;
  const m = rule?.remission;
  const remission = !m ? false : 'below' in m ? currentTotal < m.below : currentTotal <= m.atMost;
  const worsening = rule?.worsening !== undefined && change >= rule.worsening.pointsAtLeast;
  return { change, percentChange, response, remission, worsening };
}

export type CourseStatus =
  | 'insufficient-data'
  | 'remitted'
  | 'responding'
  | 'worsening'
  | 'lost-response'
  | 'no-response-yet'
  | 'no-response';

export interface CourseAssessment {
  status: CourseStatus;
  latest: ChangeClassification | null;
  /** Whether any measurement since baseline met the response (or remission) criterion. */
  everResponded: boolean;
  reasons: string[];
}

/**
 * Where a course stands on one instrument, from its baseline and the measurements since (oldest first).
 * 'lost-response' means an earlier measurement met response or remission and the latest meets neither: the
 * signal for a booster or maintenance review. 'no-response' needs the clinic's own number of dosing sessions
 * after which no response counts as non-response (the reference gives none); without it the status stays
 * 'no-response-yet'.
 */
export function assessCourse(
  id: InstrumentId,
  baselineTotal: number,
  totalsSinceBaseline: readonly number[],
  options: {
    sessionsCompleted?: number;
    noResponseAfterSessions?: number;
    thresholds?: Partial<Record<InstrumentId, OutcomeThresholds>>;
  } = {},
): CourseAssessment {
  // Validate the instrument and baseline even when nothing has been measured since, so a wrong call fails
  // loudly instead of reading as "insufficient data".
  classifyChange(id, baselineTotal, baselineTotal, options.thresholds);
  if (totalsSinceBaseline.length === 0) {
    return {
      status: 'insufficient-data',
      latest: null,
      everResponded: false,
      reasons: ['No measurement since baseline.'],
    };
  }
  const classified = totalsSinceBaseline.map((total) =>
    classifyChange(id, baselineTotal, total, options.thresholds),
  );
  const latest = classified.at(-1)!;
  const everResponded = classified.some((c) => c.response || c.remission);
  const name = instruments[id].shortName;
  if (latest.worsening) {
    return {
      status: 'worsening',
      latest,
      everResponded,
      reasons: [`${name} rose ${latest.change} points from baseline, at or above the worsening threshold.`],
    };
  }
  if (latest.remission)
    return { status: 'remitted', latest, everResponded, reasons: [`${name} is in the remission range.`] };
  if (latest.response)
    return {
      status: 'responding',
      latest,
      everResponded,
      reasons: [`${name} meets the response criterion (${latest.percentChange}% from baseline).`],
    };
  if (everResponded) {
    return {
      status: 'lost-response',
      latest,
      everResponded,
      reasons: [`${name} met response earlier but no longer does (${latest.percentChange}% from baseline).`],
    };
  }
  const limit = options.noResponseAfterSessions;
  if (limit !== undefined && (options.sessionsCompleted ?? 0) >= limit) {
    return {
      status: 'no-response',
      latest,
      everResponded,
      reasons: [`No response after ${options.sessionsCompleted} dosing sessions (clinic setting: ${limit}).`],
    };
  }
  return {
    status: 'no-response-yet',
    latest,
    everResponded,
    reasons: [`${name} has not yet met the response criterion.`],
  };
}

/** The instruments whose change over a course the reference defines (clinical-reference 1.13). */
export const changeInstruments = ['phq9', 'gad7', 'madrs', 'qids-sr16', 'pcl5'] as const;

const criterionSection: Record<(typeof changeInstruments)[number], string> = {
  phq9: '1.1',
  gad7: '1.3',
  madrs: '1.6',
  'qids-sr16': '1.7',
  pcl5: '1.4',
};

function thresholdRule(
  id: (typeof changeInstruments)[number],
  criterion: 'response' | 'remission' | 'worsening',
): RuleMetadata {
  const name = instruments[id].shortName;
  const key = `outcomes.${id}.${criterion}`;
  const rule = defaultOutcomeThresholds[id]?.[criterion];
  if (!rule) {
    // The reference gives no number: a clinic setting with no default; until set, the criterion is false.
    return {
      id: key,
      area: 'outcomes',
      title: `${name} ${criterion}: no published threshold in the reference; false until the clinic sets one`,
      citation: {
        section: `clinical-reference ${criterion === 'worsening' ? '1.13' : criterionSection[id]}`,
        source: `The reference gives no ${name} ${criterion} threshold`,
        evidence: 'unconfirmed',
      },
      setting: { key, default: null, unit: 'points' },
    };
  }
  if ('percentReductionAtLeast' in rule) {
    return {
      id: key,
      area: 'outcomes',
      title: `${name} response: ≥${rule.percentReductionAtLeast}% reduction from baseline`,
      citation: rule.citation,
      setting: { key, default: rule.percentReductionAtLeast, unit: '%' },
    };
  }
  if ('pointsReductionAtLeast' in rule) {
    return {
      id: key,
      area: 'outcomes',
      title: `${name} response: a drop of ≥${rule.pointsReductionAtLeast} points from baseline`,
      citation: rule.citation,
      setting: { key, default: rule.pointsReductionAtLeast, unit: 'points' },
    };
  }
  if ('below' in rule || 'atMost' in rule) {
    const [sign, value] = 'below' in rule ? ['<', rule.below] : ['≤', rule.atMost];
    return {
      id: key,
      area: 'outcomes',
      title: `${name} remission: total ${sign} ${value}`,
      citation: rule.citation,
      setting: { key, default: value, unit: 'points' },
    };
  }
  return {
    id: key,
    area: 'outcomes',
    title: `${name} worsening: a rise of ≥${rule.pointsAtLeast} points from baseline`,
    citation: rule.citation,
    setting: { key, default: rule.pointsAtLeast, unit: 'points' },
  };
}

export const noResponseAfterSessionsSetting: RuleMetadata = {
  id: 'outcomes.no-response-after-sessions',
  area: 'outcomes',
  title: 'Number of dosing sessions without response after which a course counts as non-response',
  citation: {
    section: 'clinical-reference 1.13',
    source: 'No published number in the reference: a clinic setting with no default',
    evidence: 'unconfirmed',
  },
  setting: { key: 'outcomes.noResponseAfterSessions', default: null, unit: 'sessions' },
};

export const outcomeRules: RuleMetadata[] = [
  ...changeInstruments.flatMap((id) =>
    (['response', 'remission', 'worsening'] as const).map((criterion) => thresholdRule(id, criterion)),
  ),
  {
    id: 'outcomes.screeners-no-change-criteria',
    area: 'outcomes',
    title:
      'PHQ-2, GAD-2, AUDIT-C, DAST-10, MDQ and CADSS-6 have no response, remission or worsening definition: classifyChange answers false for all three (their change and percent change are still reported)',
    citation: {
      section: 'clinical-reference 1.13',
      source: 'Outcome definitions exist only for PHQ-9, GAD-7, MADRS, QIDS-SR16, PCL-5 (and Y-BOCS)',
      evidence: 'unconfirmed',
    },
  },
  {
    id: 'outcomes.cssrs-no-total',
    area: 'outcomes',
    title:
      'classifyChange refuses the C-SSRS screener (RangeError): it gives a triage level, not a total to compare',
    citation: {
      section: 'clinical-reference 1.5',
      source: 'C-SSRS Triage, cssrs.columbia.edu',
      evidence: 'primary',
    },
  },
  noResponseAfterSessionsSetting,
];
