import { minimumRationaleLength } from './pre-dose-model.ts';

/**
 * The discharge form. Readiness is the server's `dischargeReadiness` (clinical-reference 4.5): minimum
 * observation for the route, vitals near baseline, sedation and dissociation resolved, escort present. When a
 * criterion is unmet, only a prescriber may discharge, with a rationale and their password.
 */

export interface DischargeReadinessView {
  ready: boolean;
  unmet: string[];
}

export interface DischargeFormValues {
  escortPresent: boolean;
  instructionsGiven: boolean;
  /** Only for a discharge against unmet criteria. */
  overrideRationale: string;
  password: string;
  note: string;
}

export interface DischargeSubmission {
  id: string;
  escortPresent: boolean;
  instructionsGiven: true;
  note: string | null;
  override: { rationale: string; password: string } | null;
}

export function emptyDischargeForm(): DischargeFormValues {
  return { escortPresent: false, instructionsGiven: false, overrideRationale: '', password: '', note: '' };
}

export type DischargePath = 'ready' | 'override' | 'not-allowed';

/** Whether this person can discharge now: ready, by override (a prescriber), or not at all. */
export function dischargePath(readiness: DischargeReadinessView, canOverride: boolean): DischargePath {
  if (readiness.ready) return 'ready';
  return canOverride ? 'override' : 'not-allowed';
}

export function toDischargeSubmission(input: {
  readiness: DischargeReadinessView;
  canOverride: boolean;
  values: DischargeFormValues;
  id: string;
}): { submission: DischargeSubmission | null; errors: Record<string, string> } {
  const { readiness, values } = input;
  const errors: Record<string, string> = {};
  const path = dischargePath(readiness, input.canOverride);
  if (path === 'not-allowed')
    errors.form =
      'Not ready for discharge. A prescriber may discharge against an unmet criterion with a rationale.';
  if (!values.instructionsGiven)
    errors.instructionsGiven = 'Give the patient and the escort the discharge instructions first.';
  let override: DischargeSubmission['override'] = null;
  if (path === 'override') {
    if (values.overrideRationale.trim().length < minimumRationaleLength)
      errors.overrideRationale = 'Write why the patient may leave although a criterion is unmet.';
    if (!values.password) errors.password = 'Re-enter your password to sign the discharge.';
    override = { rationale: values.overrideRationale.trim(), password: values.password };
  }
  if (Object.keys(errors).length > 0) return { submission: null, errors };
  return {
    submission: {
      id: input.id,
      escortPresent: values.escortPresent,
      instructionsGiven: true,
      note: values.note.trim() || null,
      override,
    },
    errors,
  };
}
