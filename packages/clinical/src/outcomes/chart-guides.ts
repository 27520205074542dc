import { instruments } from '../instruments/index.ts';
import { pcl5DefaultCutoff } from '../instruments/pcl5.ts';
import type { Citation, InstrumentId, ScoreContext } from '../types.ts';
import { defaultOutcomeThresholds, type OutcomeThresholds } from './index.ts';

/** One shaded severity band of a trend chart: a closed range of totals. */
export interface ChartBand {
  id: string;
  label: string;
  min: number;
  max: number;
}

/** A horizontal line of a trend chart and what a total on which side of it means. */
export interface ChartLine {
  value: number;
  /** How a total meets it: below (<), at or below (≤), or at or above (≥) the value. */
  meets: 'below' | 'at-or-below' | 'at-or-above';
  /** In a clinician's words, e.g. "Response: ≤ 10 (50% below baseline 20)". */
  label: string;
  citation: Citation;
}

export interface InstrumentChartGuides {
  instrument: InstrumentId;
  shortName: string;
  range: { min: number; max: number };
  bands: ChartBand[];
  baseline: number | null;
  /** Null when the instrument has no such criterion, there is no baseline, or the line falls off the scale. */
  response: ChartLine | null;
  remission: ChartLine | null;
  worsening: ChartLine | null;
}

const onScale = (value: number, range: { min: number; max: number }) =>
  value >= range.min && value <= range.max;

/**
 * What a trend chart of one instrument draws: its severity bands as ranges of totals (the instrument's own
 * bands, clinical-reference 1.1–1.7; PCL-5's two bands from the clinic's cut-off, 1.4) and, for a baseline,
 * the response, remission and worsening lines from the outcome thresholds (1.13). A baseline × (1 − p) line
 * is kept exact (not rounded): a total at or below it meets the relative criterion, as classifyChange counts.
 * Instruments without a total (the C-SSRS screener) are refused.
 */
export function instrumentChartGuides(
  id: InstrumentId,
  baseline: number | null,
  options: {
    thresholds?: Partial<Record<InstrumentId, OutcomeThresholds>>;
    cutoffs?: ScoreContext['cutoffs'];
  } = {},
): InstrumentChartGuides {
  const definition = instruments[id];
  if (!definition?.totalRange) throw new RangeError(`${String(id)} has no total score to chart`);
  const range = definition.totalRange;
  const name = definition.shortName;
  let bands: ChartBand[] = definition.bands.flatMap((b) =>
    b.min !== undefined && b.max !== undefined ? [{ id: b.id, label: b.label, min: b.min, max: b.max }] : [],
  );
  if (id === 'pcl5') {
    const cutoff = options.cutoffs?.pcl5 ?? pcl5DefaultCutoff;
    const [negative, positive] = definition.bands;
    bands = [
      { id: negative!.id, label: negative!.label, min: range.min, max: cutoff - 1 },
      { id: positive!.id, label: positive!.label, min: cutoff, max: range.max },
    ];
  }
  const rule = (options.thresholds ?? defaultOutcomeThresholds)[id];
  const guides: InstrumentChartGuides = {
    instrument: id,
    shortName: name,
    range: { ...range },
    bands,
    baseline,
    response: null,
    remission: null,
    worsening: null,
  };
  if (rule?.remission) {
    const m = rule.remission;
    guides.remission =
      'below' in m
        ? { value: m.below, meets: 'below', label: `Remission: below ${m.below}`, citation: m.citation }
        : {
            value: m.atMost,
            meets: 'at-or-below',
            label: `Remission: ${m.atMost} or less`,
            citation: m.citation,
          };
  }
  if (baseline === null) return guides;
  if (!onScale(baseline, range)) {
    throw new RangeError(`${name} baseline ${baseline} is outside ${range.min}–${range.max}`);
  }
  const r = rule?.response;
  if (r) {
    const value =
      'percentReductionAtLeast' in r
        ? baseline * (1 - r.percentReductionAtLeast / 100)
        : baseline - r.pointsReductionAtLeast;
    const how =
      'percentReductionAtLeast' in r
        ? `${r.percentReductionAtLeast}% below baseline ${baseline}`
        : `${r.pointsReductionAtLeast} points below baseline ${baseline}`;
    // A 0 baseline cannot fall by a percentage (classifyChange: no response), so there is no line to reach.
    if (onScale(value, range) && baseline > 0) {
      guides.response = {
        value,
        meets: 'at-or-below',
        label: `Response: ${Number.isInteger(value) ? value : value.toFixed(1)} or less (${how})`,
        citation: r.citation,
      };
    }
  }
  const w = rule?.worsening;
  if (w && onScale(baseline + w.pointsAtLeast, range)) {
    guides.worsening = {
      value: baseline + w.pointsAtLeast,
      meets: 'at-or-above',
      label: `Worsening: ${baseline + w.pointsAtLeast} or more (${w.pointsAtLeast} points above baseline ${baseline})`,
      citation: w.citation,
    };
  }
  return guides;
}
