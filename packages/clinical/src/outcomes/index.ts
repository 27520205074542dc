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

export const outcomeRules: RuleMetadata[] = Object.entries(defaultOutcomeThresholds).flatMap(([id, rule]) => {
  const name = instruments[id as InstrumentId].shortName;
  const rules: RuleMetadata[] = [];
  if (rule.response) {
    const percent = 'percentReductionAtLeast' in rule.response;
    const value =
      'percentReductionAtLeast' in rule.response
        ? rule.response.percentReductionAtLeast
        : rule.response.pointsReductionAtLeast;
    rules.push({
      id: `outcomes.${id}.response`,
      area: 'outcomes',
      title: `${name} response: ≥${value}${percent ? '% reduction from baseline' : '-point reduction from baseline'}`,
      citation: rule.response.citation,
      setting: { key: `outcomes.${id}.response`, default: value, unit: percent ? '%' : 'points' },
    });
  }
  if (rule.remission) {
    const below = 'below' in rule.remission;
    const value = 'below' in rule.remission ? rule.remission.below : rule.remission.atMost;
    rules.push({
      id: `outcomes.${id}.remission`,
      area: 'outcomes',
      title: `${name} remission: total ${below ? '<' : '≤'} ${value}`,
      citation: rule.remission.citation,
      setting: { key: `outcomes.${id}.remission`, default: value, unit: 'points' },
    });
  }
  if (rule.worsening) {
    rules.push({
      id: `outcomes.${id}.worsening`,
      area: 'outcomes',
      title: `${name} worsening: rise of ≥${rule.worsening.pointsAtLeast} points from baseline`,
      citation: rule.worsening.citation,
      setting: { key: `outcomes.${id}.worsening`, default: rule.worsening.pointsAtLeast, unit: 'points' },
    });
  }
  return rules;
});

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
outcomeRules.push(noResponseAfterSessionsSetting);
