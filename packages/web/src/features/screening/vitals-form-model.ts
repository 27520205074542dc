import type { VitalSignsSubmission } from './screening.api.ts';

/** What the nurse typed: strings as the inputs hold them. */
export interface VitalsFormValues {
  /** `datetime-local` value in the browser's time zone, e.g. 2026-06-01T09:30 */
  measuredAt: string;
  systolic: string;
  diastolic: string;
  heartRate: string;
  spo2: string;
  weightKg: string;
  heightCm: string;
}

export const vitalsFields = ['systolic', 'diastolic', 'heartRate', 'spo2', 'weightKg', 'heightCm'] as const;

/** A `datetime-local` value for an instant, in the browser's time zone. */
export function localInputValue(instant: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}T${pad(instant.getHours())}:${pad(instant.getMinutes())}`;
}

export function emptyVitalsForm(now: Date = new Date()): VitalsFormValues {
  return {
    measuredAt: localInputValue(now),
    systolic: '',
    diastolic: '',
    heartRate: '',
    spo2: '',
    weightKg: '',
    heightCm: '',
  };
}

/**
 * Turns the typed values into the request. Only the shape is checked here (a number, a time); whether a value
 * is plausible is the server's answer, shown next to the input, and what it means clinically is
 * @kapstone/clinical's (classifyVitals), never this form's.
 */
export function toVitalsSubmission(
  values: VitalsFormValues,
  id: string,
): { submission: VitalSignsSubmission | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const measured = new Date(values.measuredAt);
  if (!values.measuredAt || Number.isNaN(measured.getTime()))
    errors.measuredAt = 'Enter when it was measured.';
  const submission: VitalSignsSubmission = {
    id,
    measuredAt: Number.isNaN(measured.getTime()) ? '' : measured.toISOString(),
  };
  let any = false;
  for (const field of vitalsFields) {
    const text = values[field].trim().replace(',', '.');
    if (text === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value)) {
      errors[field] = 'Enter a number.';
      continue;
    }
    submission[field] = value;
    any = true;
  }
  if (!any && Object.keys(errors).length === 0) errors.systolic = 'Enter at least one measurement.';
  return Object.keys(errors).length > 0 ? { submission: null, errors } : { submission, errors };
}
