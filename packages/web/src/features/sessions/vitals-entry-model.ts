import {
  classifyVitals,
  defaultVitalsThresholds,
  type Vitals,
  type VitalsClassification,
  type VitalsThresholds,
} from '@kapstone/clinical';
import type { SessionVitalsReading, SessionVitalsSubmission } from './sessions.types.ts';

/**
 * The chair-side vitals pad: four numbers entered with a number pad or −/+ steps, checked here before they
 * are queued (a reading sent later, while the nurse is at another chair, must not bounce on a typo), and
 * classified at once with @kapstone/clinical's classifyVitals so a critical reading is shown as critical even
 * before the server has it. The server's classification, against the same clinic thresholds, is the one
 * that is recorded and raises the alert.
 *
 * Nothing is carried over from the previous reading: a value counts only once the nurse entered it or
 * stepped it (a step starts from the last reading, which is shown beside each field), so an unmeasured
 * value is never copied forward into the record.
 */

export const vitalsEntryFields = ['systolic', 'diastolic', 'heartRate', 'spo2'] as const;
export type VitalsEntryField = (typeof vitalsEntryFields)[number];

export const vitalsFieldInfo: Record<
  VitalsEntryField,
  { label: string; shortLabel: string; unit: string; min: number; max: number }
> = {
  // Plausibility limits mirror the server's (screening/vitals.schemas.ts `plausible`): typo guards, not
  // clinical thresholds.
  systolic: { label: 'Systolic', shortLabel: 'SYS', unit: 'mmHg', min: 40, max: 300 },
  diastolic: { label: 'Diastolic', shortLabel: 'DIA', unit: 'mmHg', min: 20, max: 200 },
  heartRate: { label: 'Heart rate', shortLabel: 'HR', unit: '/min', min: 20, max: 250 },
  spo2: { label: 'SpO₂', shortLabel: 'SpO₂', unit: '%', min: 50, max: 100 },
};

/** What the pad holds: digits as typed, '' for not entered. */
export type VitalsEntry = Record<VitalsEntryField, string>;

export const emptyVitalsEntry: VitalsEntry = { systolic: '', diastolic: '', heartRate: '', spo2: '' };

/**
 * One key of the number pad on the active field. Returns the new entry and whether to move on to the next
 * field: when no further digit could give a plausible value (120 → next; 98 for SpO₂ → next; 12 for systolic
 * waits for the third digit).
 */
export function pressDigit(
  entry: VitalsEntry,
  field: VitalsEntryField,
  key: string,
): { entry: VitalsEntry; advance: boolean } {
  const current = entry[field];
  if (key === 'backspace') return { entry: { ...entry, [field]: current.slice(0, -1) }, advance: false };
  if (key === 'clear') return { entry: { ...entry, [field]: '' }, advance: false };
  if (!/^[0-9]$/.test(key)) return { entry, advance: false };
  const { max } = vitalsFieldInfo[field];
  // A leading zero is never a reading; and a digit that would pass the limit starts nothing new.
  if (current === '' && key === '0') return { entry, advance: false };
  const next = `${current}${key}`;
  if (Number(next) > max) return { entry, advance: false };
  return { entry: { ...entry, [field]: next }, advance: Number(next) * 10 > max };
}

/** A −/+ step. From an empty field the step starts at the previous reading's value (shown beside it). */
export function stepValue(
  entry: VitalsEntry,
  field: VitalsEntryField,
  delta: number,
  previous: number | null | undefined,
): VitalsEntry {
  const { min, max } = vitalsFieldInfo[field];
  const start = entry[field] === '' ? (previous ?? null) : Number(entry[field]);
  if (start === null || !Number.isFinite(start)) return entry;
  const value = entry[field] === '' ? start : start + delta;
  return { ...entry, [field]: String(Math.min(max, Math.max(min, Math.round(value)))) };
}

export interface VitalsEntryCheck {
  submission: SessionVitalsSubmission | null;
  errors: Partial<Record<VitalsEntryField, string>>;
  /** What the numbers entered so far mean against the thresholds (null while nothing valid is entered). */
  classification: VitalsClassification | null;
}

function parsed(entry: VitalsEntry): Partial<Record<VitalsEntryField, number>> {
  const values: Partial<Record<VitalsEntryField, number>> = {};
  for (const field of vitalsEntryFields) {
    const text = entry[field].trim();
    if (text === '') continue;
    const value = Number(text);
    if (Number.isInteger(value)) values[field] = value;
  }
  return values;
}

/** The classification of what is on the pad so far (for the live badge while typing). */
export function classifyEntry(
  entry: VitalsEntry,
  options: { baseline?: Vitals | null; thresholds?: VitalsThresholds | null } = {},
): VitalsClassification | null {
  const values = parsed(entry);
  const reading: Vitals = {};
  for (const field of vitalsEntryFields) {
    const value = values[field];
    const { min, max } = vitalsFieldInfo[field];
    if (value !== undefined && value >= min && value <= max) reading[field] = value;
  }
  if (Object.keys(reading).length === 0) return null;
  return classifyVitals(
    reading,
    options.baseline ?? undefined,
    options.thresholds ?? defaultVitalsThresholds,
  );
}

/** Checks the pad and builds the request (the same rules as the server's, so a queued reading is accepted). */
export function checkVitalsEntry(
  entry: VitalsEntry,
  id: string,
  measuredAt: Date,
  options: { baseline?: Vitals | null; thresholds?: VitalsThresholds | null } = {},
): VitalsEntryCheck {
  const errors: Partial<Record<VitalsEntryField, string>> = {};
  const values = parsed(entry);
  for (const field of vitalsEntryFields) {
    const text = entry[field].trim();
    if (text === '') continue;
    const value = values[field];
    const { min, max, unit } = vitalsFieldInfo[field];
    if (value === undefined) errors[field] = 'A whole number.';
    else if (value < min) errors[field] = `At least ${min} ${unit}: check the reading.`;
    else if (value > max) errors[field] = `At most ${max} ${unit}: check the reading.`;
  }
  const hasSystolic = entry.systolic.trim() !== '';
  const hasDiastolic = entry.diastolic.trim() !== '';
  if (hasSystolic !== hasDiastolic) {
    const missing: VitalsEntryField = hasSystolic ? 'diastolic' : 'systolic';
    errors[missing] ??= 'Enter both systolic and diastolic.';
  }
  if (
    values.systolic !== undefined &&
    values.diastolic !== undefined &&
    values.diastolic >= values.systolic &&
    !errors.diastolic
  )
    errors.diastolic = 'Diastolic must be below systolic.';
  const any = vitalsEntryFields.some((field) => entry[field].trim() !== '');
  if (!any) errors.systolic = 'Enter at least one measurement.';

  const classification = classifyEntry(entry, options);
  if (Object.keys(errors).length > 0) return { submission: null, errors, classification };
  const submission: SessionVitalsSubmission = { id, measuredAt: measuredAt.toISOString() };
  for (const field of vitalsEntryFields) {
    const value = values[field];
    if (value !== undefined) submission[field] = value;
  }
  return { submission, errors, classification };
}

/** The latest reading that stands in the record, for the "last" hint beside each field. */
export function latestReading(vitals: readonly SessionVitalsReading[]): SessionVitalsReading | null {
  let latest: SessionVitalsReading | null = null;
  for (const reading of vitals) {
    if (reading.status !== undefined && reading.status !== 'current') continue;
    if (!latest || Date.parse(reading.measuredAt) > Date.parse(latest.measuredAt)) latest = reading;
  }
  return latest;
}

export const levelLabels: Record<VitalsClassification['level'], string> = {
  normal: 'Within range',
  warning: 'Warning',
  critical: 'Critical',
};

export const levelColors: Record<VitalsClassification['level'], string> = {
  normal: 'green',
  warning: 'yellow',
  critical: 'red',
};

/** Each measure's most recent value in the record (the "last" hint, and where a −/+ step starts). */
export function lastValues(
  vitals: readonly SessionVitalsReading[],
): Partial<Record<VitalsEntryField, number>> {
  const last: Partial<Record<VitalsEntryField, number>> = {};
  const current = vitals
    .filter((r) => r.status === undefined || r.status === 'current')
    .sort((a, b) => Date.parse(b.measuredAt) - Date.parse(a.measuredAt));
  for (const field of vitalsEntryFields) {
    const found = current.find((r) => typeof r[field] === 'number');
    const value = found?.[field];
    if (typeof value === 'number') last[field] = value;
  }
  return last;
}
