import { defaultVitalsThresholds, type VitalsThresholds } from '@kapstone/clinical';
import type { PendingWrite } from './pending-writes.ts';
import type { SessionAdministration, SessionVitalsReading, VitalsLevel } from './sessions.types.ts';

/**
 * The series behind the live chart: readings placed on the session's minute axis (0 = start of the first
 * dose, the pre-dose baseline before it), dose markers, and the threshold bands the readings are classified
 * against. The bands are the clinic's thresholds as the server sends them (@kapstone/clinical's cited
 * defaults when it does not), never numbers of this file.
 */

export type ChartMetric = 'bp' | 'heartRate' | 'spo2';

export interface ChartPoint {
  /** Minutes from the chart's origin (negative before the dose). */
  minute: number;
  at: number;
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  spo2: number | null;
  level: VitalsLevel | null;
  /** Taken but not yet confirmed by the server (queued while offline). */
  pending: boolean;
  id: string;
}

export interface ThresholdBand {
  chart: ChartMetric;
  level: 'warning' | 'critical';
  /** Lower and upper edge; null is open-ended (drawn to the edge of the chart). */
  from: number | null;
  to: number | null;
  label: string;
}

export interface ThresholdLine {
  chart: ChartMetric;
  level: 'warning' | 'critical';
  value: number;
  label: string;
}

export interface DoseMarker {
  minute: number;
  /** The end of an infusion, when the dose ran over time (IV). */
  endMinute: number | null;
  label: string;
}

export interface VitalsChartModel {
  /** The instant minute 0 stands for. */
  origin: number;
  points: ChartPoint[];
  doses: DoseMarker[];
  bands: ThresholdBand[];
  lines: ThresholdLine[];
  minuteDomain: [number, number];
  valueDomains: Record<ChartMetric, [number, number]>;
}

const minuteMs = 60_000;

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Only readings that stand in the record: corrected and entered-in-error ones are not drawn. */
function counts(reading: SessionVitalsReading): boolean {
  return reading.status === undefined || reading.status === 'current';
}

export function thresholdGuides(
  thresholds: VitalsThresholds,
  baseline: { systolic?: number | undefined; diastolic?: number | undefined } | null | undefined,
): { bands: ThresholdBand[]; lines: ThresholdLine[] } {
  const { critical: c, warning: w } = thresholds;
  const bands: ThresholdBand[] = [
    {
      chart: 'bp',
      level: 'warning',
      from: w.systolicAbove,
      to: c.systolicAtLeast,
      label: `Systolic above ${w.systolicAbove}`,
    },
    {
      chart: 'bp',
      level: 'critical',
      from: c.systolicAtLeast,
      to: null,
      label: `Systolic ${c.systolicAtLeast} or more`,
    },
  ];
  const lines: ThresholdLine[] = [
    {
      chart: 'bp',
      level: 'warning',
      value: w.diastolicAbove,
      label: `Diastolic above ${w.diastolicAbove}`,
    },
    {
      chart: 'bp',
      level: 'critical',
      value: c.diastolicAtLeast,
      label: `Diastolic ${c.diastolicAtLeast} or more`,
    },
  ];
  if (baseline?.systolic !== undefined) {
    lines.push({
      chart: 'bp',
      level: 'critical',
      value: baseline.systolic + c.systolicRiseAtLeast,
      label: `Systolic up ${c.systolicRiseAtLeast} from baseline`,
    });
  }
  if (c.heartRateAbove !== null)
    bands.push({
      chart: 'heartRate',
      level: 'critical',
      from: c.heartRateAbove,
      to: null,
      label: `Heart rate above ${c.heartRateAbove}`,
    });
  if (w.heartRateAbove !== null)
    bands.push({
      chart: 'heartRate',
      level: 'warning',
      from: w.heartRateAbove,
      to: c.heartRateAbove,
      label: `Heart rate above ${w.heartRateAbove}`,
    });
  if (c.spo2Below !== null)
    bands.push({
      chart: 'spo2',
      level: 'critical',
      from: null,
      to: c.spo2Below,
      label: `SpO₂ below ${c.spo2Below}%`,
    });
  if (w.spo2Below !== null)
    bands.push({
      chart: 'spo2',
      level: 'warning',
      from: c.spo2Below,
      to: w.spo2Below,
      label: `SpO₂ below ${w.spo2Below}%`,
    });
  return { bands, lines };
}

function doseLabel(administration: SessionAdministration, index: number): string {
  const sequence = administration.sequence ?? index + 1;
  const dose = `${Number(administration.doseMg.toFixed(2))} mg`;
  return sequence === 1 ? `Dose ${dose}` : `Dose ${sequence} · ${dose}`;
}

export function vitalsChartModel(input: {
  vitals: readonly SessionVitalsReading[];
  pending?: readonly Pick<PendingWrite, 'kind' | 'body' | 'id'>[];
  administrations?: readonly SessionAdministration[];
  doseStartedAt?: string | null;
  checkedInAt?: string | null;
  thresholds?: VitalsThresholds | null;
  baselineVitals?: { systolic?: number; diastolic?: number } | null;
  now: number;
}): VitalsChartModel {
  const confirmed: Omit<ChartPoint, 'minute'>[] = input.vitals.filter(counts).map((r) => ({
    at: Date.parse(r.measuredAt),
    systolic: r.systolic,
    diastolic: r.diastolic,
    heartRate: r.heartRate,
    spo2: r.spo2,
    level: r.classification?.level ?? null,
    pending: false,
    id: r.id,
  }));
  const confirmedIds = new Set(confirmed.map((p) => p.id));
  const queued: Omit<ChartPoint, 'minute'>[] = (input.pending ?? [])
    .filter((w) => w.kind === 'vitals' && !confirmedIds.has(w.id) && typeof w.body.measuredAt === 'string')
    .map((w) => ({
      at: Date.parse(w.body.measuredAt as string),
      systolic: numberOrNull(w.body.systolic),
      diastolic: numberOrNull(w.body.diastolic),
      heartRate: numberOrNull(w.body.heartRate),
      spo2: numberOrNull(w.body.spo2),
      level: null,
      pending: true,
      id: w.id,
    }));
  const all = [...confirmed, ...queued].filter((p) => Number.isFinite(p.at)).sort((a, b) => a.at - b.at);

  const administrations = [...(input.administrations ?? [])].sort(
    (a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt),
  );
  const originText = input.doseStartedAt ?? administrations[0]?.startedAt ?? input.checkedInAt ?? null;
  const origin = originText ? Date.parse(originText) : (all[0]?.at ?? input.now);
  const minuteOf = (at: number) => Math.round(((at - origin) / minuteMs) * 10) / 10;

  const points: ChartPoint[] = all.map((p) => ({ ...p, minute: minuteOf(p.at) }));
  const doses: DoseMarker[] = administrations.map((a, i) => {
    const end = a.endedAt ? Date.parse(a.endedAt) : null;
    const startMinute = minuteOf(Date.parse(a.startedAt));
    return {
      minute: startMinute,
      endMinute: end !== null && end > Date.parse(a.startedAt) ? minuteOf(end) : null,
      label: doseLabel(a, i),
    };
  });
  const { bands, lines } = thresholdGuides(
    input.thresholds ?? defaultVitalsThresholds,
    input.baselineVitals ?? null,
  );

  const minutes = [
    0,
    minuteOf(input.now),
    ...points.map((p) => p.minute),
    ...doses.flatMap((d) => [d.minute, d.endMinute ?? d.minute]),
  ];
  const minuteDomain: [number, number] = [
    Math.floor(Math.min(...minutes) / 5) * 5,
    Math.max(30, Math.ceil(Math.max(...minutes) / 5) * 5),
  ];

  const valuesOf = (metric: ChartMetric): number[] =>
    points.flatMap((p) =>
      (metric === 'bp' ? [p.systolic, p.diastolic] : [p[metric]]).filter((v): v is number => v !== null),
    );
  const edges = (metric: ChartMetric): number[] =>
    [
      ...bands.filter((b) => b.chart === metric).flatMap((b) => [b.from, b.to]),
      ...lines.filter((l) => l.chart === metric).map((l) => l.value),
    ].filter((v): v is number => v !== null);
  const domain = (metric: ChartMetric, floor: number, ceiling: number, pad: number): [number, number] => {
    const values = [...valuesOf(metric), ...edges(metric)];
    const low = Math.min(floor, ...values.map((v) => v - pad));
    const high = Math.max(ceiling, ...values.map((v) => v + pad));
    return [Math.max(0, Math.floor(low / 10) * 10), Math.ceil(high / 10) * 10];
  };
  const spo2Values = [...valuesOf('spo2'), ...edges('spo2')];
  const valueDomains: Record<ChartMetric, [number, number]> = {
    bp: domain('bp', 40, 160, 10),
    heartRate: domain('heartRate', 40, 120, 10),
    spo2: [Math.max(0, Math.floor(Math.min(90, ...spo2Values.map((v) => v - 2)) / 2) * 2), 100],
  };
  return { origin, points, doses, bands, lines, minuteDomain, valueDomains };
}

/** The tick label of a minute on the axis: "−5", "0", "40". */
export function minuteTick(minute: number): string {
  return minute < 0 ? `−${Math.abs(minute)}` : String(minute);
}
