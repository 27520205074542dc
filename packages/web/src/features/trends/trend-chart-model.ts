import type { ChartBand, ChartLine } from './trends.api.ts';

/**
 * What a trend chart of one instrument draws, computed apart from the drawing so it can be tested: the points on
 * a time axis, the severity bands (coloured from the mildest to the most severe), the baseline and criterion
 * lines, the dosing sessions as vertical markers, and the one-paragraph summary a screen reader hears.
 */

export interface TrendChartInput {
  shortName: string;
  range: { min: number; max: number };
  bands: readonly ChartBand[];
  points: readonly { at: string; total: number; bandLabel: string | null }[];
  /** The baseline total (a dashed line), when the course has one. */
  baseline?: number | null;
  lines?: { response: ChartLine | null; remission: ChartLine | null; worsening: ChartLine | null };
  markers: readonly { at: string; label: string }[];
  timeZone: string;
}

export type TrendLineKind = 'baseline' | 'response' | 'remission' | 'worsening';

/**
 * Positions are percentages of the plot area (x from the left, y from the top), so the chart is drawn at any
 * width without measuring it: the same markup on a 390-px phone, a desktop and the server renderer.
 */
export interface TrendChartModel {
  rows: { t: number; total: number; date: string; bandLabel: string | null; x: number; y: number }[];
  domain: [number, number];
  bands: (ChartBand & { color: string; top: number; bottom: number })[];
  lines: { kind: TrendLineKind; value: number; label: string; y: number }[];
  markers: { t: number; date: string; label: string; x: number }[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; value: number }[];
  summary: string;
}

const palettes: Record<number, string[]> = {
  1: ['gray'],
  2: ['teal', 'orange'],
  3: ['teal', 'yellow', 'red'],
  4: ['teal', 'yellow', 'orange', 'red'],
  5: ['teal', 'lime', 'yellow', 'orange', 'red'],
};

/** Mantine colour names for bands ordered from the lowest (mildest) to the highest total. */
export function bandColors(count: number): string[] {
  if (palettes[count]) return palettes[count]!;
  return Array.from({ length: count }, (_, i) => (i < count / 2 ? 'teal' : 'red'));
}

export function shortDate(instant: string | number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  }).format(new Date(instant));
}

export function tickDate(t: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric' }).format(new Date(t));
}

const dayMs = 86_400_000;
const round = (n: number) => Math.round(n * 100) / 100;

export function trendChartModel(input: TrendChartInput): TrendChartModel {
  const times = [
    ...input.points.map((p) => new Date(p.at).getTime()),
    ...input.markers.map((m) => new Date(m.at).getTime()),
  ];
  const first = times.length ? Math.min(...times) : 0;
  const last = times.length ? Math.max(...times) : 0;
  // A day either side, so the first and last points are not drawn on the frame.
  const domain: [number, number] = [first - dayMs, last + dayMs];
  const { min: low, max: high } = input.range;
  const x = (t: number) => round(((t - domain[0]) / (domain[1] - domain[0])) * 100);
  const y = (value: number) =>
    round(((high - Math.min(high, Math.max(low, value))) / (high - low || 1)) * 100);
  const rows = input.points.map((p) => {
    const t = new Date(p.at).getTime();
    return {
      t,
      total: p.total,
      date: shortDate(p.at, input.timeZone),
      bandLabel: p.bandLabel,
      x: x(t),
      y: y(p.total),
    };
  });
  const markers = input.markers.map((m) => {
    const t = new Date(m.at).getTime();
    return { t, date: shortDate(m.at, input.timeZone), label: m.label, x: x(t) };
  });
  const sorted = [...input.bands].sort((a, b) => a.min - b.min);
  const colors = bandColors(sorted.length);
  // Totals are whole numbers: each band covers its values ± ½, so neighbouring bands meet without a gap.
  const bands = sorted.map((b, i) => ({
    ...b,
    color: colors[i]!,
    top: y(b.max + 0.5),
    bottom: y(b.min - 0.5),
  }));
  const lines: TrendChartModel['lines'] = [];
  if (input.baseline !== null && input.baseline !== undefined) {
    lines.push({
      kind: 'baseline',
      value: input.baseline,
      label: `Baseline ${input.baseline}`,
      y: y(input.baseline),
    });
  }
  for (const kind of ['response', 'remission', 'worsening'] as const) {
    const line = input.lines?.[kind];
    if (line) lines.push({ kind, value: line.value, label: line.label, y: y(line.value) });
  }
  const tickCount = 4;
  const xTicks = times.length
    ? Array.from({ length: tickCount }, (_, i) => {
        const t = domain[0] + dayMs + ((domain[1] - domain[0] - 2 * dayMs) * i) / (tickCount - 1);
        return { x: x(t), label: tickDate(t, input.timeZone) };
      }).filter((tick, i, all) => i === 0 || tick.label !== all[i - 1]!.label)
    : [];
  const values = [...new Set([low, ...sorted.map((b) => b.min), high])].sort((a, b) => a - b);
  const yTicks = values.map((value) => ({ value, y: y(value) }));
  return {
    rows,
    domain,
    bands,
    lines,
    markers,
    xTicks,
    yTicks,
    summary: summaryOf({ ...input, bands: sorted }, rows, lines, markers),
  };
}

function summaryOf(
  input: TrendChartInput,
  rows: TrendChartModel['rows'],
  lines: TrendChartModel['lines'],
  markers: TrendChartModel['markers'],
): string {
  const name = input.shortName;
  if (rows.length === 0) return `${name}: no scores yet.`;
  const latest = rows.at(-1)!;
  const lowest = Math.min(...rows.map((r) => r.total));
  const parts = [
    rows.length === 1
      ? `${name}: one score, ${latest.total} on ${latest.date}${latest.bandLabel ? ` (${latest.bandLabel})` : ''}.`
      : `${name}: ${rows.length} scores from ${rows[0]!.date} to ${latest.date}; latest ${latest.total}${latest.bandLabel ? ` (${latest.bandLabel})` : ''}, lowest ${lowest}, on a scale of ${input.range.min} to ${input.range.max}.`,
  ];
  if (lines.length > 0) parts.push(`${lines.map((l) => l.label).join('; ')}.`);
  if (input.bands.length > 0) {
    parts.push(`Bands: ${input.bands.map((b) => `${b.label} ${b.min}–${b.max}`).join(', ')}.`);
  }
  if (markers.length > 0) {
    parts.push(`${markers.length} dosing session${markers.length === 1 ? '' : 's'} marked.`);
  }
  return parts.join(' ');
}
