/**
 * The adverse-event form: what kind, severity, what happened, the action taken, the outcome, and whether it
 * is serious (a serious event raises an alert for follow-up on the server). A recorded event is never
 * overwritten: a change is an amendment of the version on screen, with its reason. The lists mirror the
 * server's (db/schema/session-safety.ts; severity and outcome are FHIR R4 AdverseEvent's).
 */

export const adverseEventCategories = [
  'blood-pressure',
  'sedation',
  'dissociation',
  'respiratory-depression',
  'nausea-vomiting',
  'anxiety-agitation',
  'allergic-reaction',
  'fall-or-injury',
  'other',
] as const;
export type AdverseEventCategory = (typeof adverseEventCategories)[number];

export const categoryLabels: Record<AdverseEventCategory, string> = {
  'blood-pressure': 'Blood pressure',
  sedation: 'Sedation',
  dissociation: 'Dissociation',
  'respiratory-depression': 'Respiratory depression',
  'nausea-vomiting': 'Nausea or vomiting',
  'anxiety-agitation': 'Anxiety or agitation',
  'allergic-reaction': 'Allergic reaction',
  'fall-or-injury': 'Fall or injury',
  other: 'Other',
};

export const adverseEventSeverities = ['mild', 'moderate', 'severe'] as const;
export type AdverseEventSeverity = (typeof adverseEventSeverities)[number];

export const severityLabels: Record<AdverseEventSeverity, string> = {
  mild: 'Mild',
  moderate: 'Moderate',
  severe: 'Severe',
};

export const adverseEventOutcomes = [
  'resolved',
  'recovering',
  'ongoing',
  'resolved-with-sequelae',
  'fatal',
  'unknown',
] as const;
export type AdverseEventOutcome = (typeof adverseEventOutcomes)[number];

export const outcomeLabels: Record<AdverseEventOutcome, string> = {
  resolved: 'Resolved',
  recovering: 'Recovering',
  ongoing: 'Ongoing',
  'resolved-with-sequelae': 'Resolved with lasting effects',
  fatal: 'Fatal',
  unknown: 'Not known yet',
};

export interface AdverseEventFormValues {
  category: AdverseEventCategory | '';
  severity: AdverseEventSeverity | '';
  description: string;
  actionTaken: string;
  outcome: AdverseEventOutcome | '';
  serious: boolean;
  /** `datetime-local` */
  onsetAt: string;
  /** Only for an amendment. */
  reason: string;
}

export interface AdverseEventFields {
  category: AdverseEventCategory;
  severity: AdverseEventSeverity;
  serious: boolean;
  description: string;
  actionTaken: string;
  outcome: AdverseEventOutcome;
  onsetAt: string;
}

export type AdverseEventSubmission = AdverseEventFields & { id: string };
export type AdverseEventAmendment = AdverseEventFields & {
  id: string;
  expectedVersion: number;
  reason: string;
};

/**
 * A severe event, respiratory depression, or a fatal outcome is serious for follow-up; the nurse may flag a
 * milder one too. The form proposes the flag and keeps it set; it never clears one the nurse set.
 */
export function suggestedSerious(
  values: Pick<AdverseEventFormValues, 'severity' | 'outcome' | 'category'>,
): boolean {
  return (
    values.severity === 'severe' || values.outcome === 'fatal' || values.category === 'respiratory-depression'
  );
}

/** The server asks for at least 3 characters of description and action. */
const minimumText = 3;

function fields(values: AdverseEventFormValues, errors: Record<string, string>): AdverseEventFields | null {
  if (!values.category) errors.category = 'Choose what kind of event it is.';
  if (!values.severity) errors.severity = 'Choose the severity.';
  if (values.description.trim().length < minimumText) errors.description = 'Describe what happened.';
  if (values.actionTaken.trim().length < minimumText)
    errors.actionTaken = 'Say what was done (or “observation only”).';
  if (!values.outcome) errors.outcome = 'Choose the outcome so far.';
  const onset = new Date(values.onsetAt);
  if (!values.onsetAt || Number.isNaN(onset.getTime())) errors.onsetAt = 'Enter when it started.';
  if (Object.keys(errors).length > 0) return null;
  return {
    category: values.category as AdverseEventCategory,
    severity: values.severity as AdverseEventSeverity,
    serious: values.serious || suggestedSerious(values),
    description: values.description.trim(),
    actionTaken: values.actionTaken.trim(),
    outcome: values.outcome as AdverseEventOutcome,
    onsetAt: onset.toISOString(),
  };
}

export function toAdverseEventSubmission(
  values: AdverseEventFormValues,
  id: string,
): { submission: AdverseEventSubmission | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const result = fields(values, errors);
  return result ? { submission: { id, ...result }, errors } : { submission: null, errors };
}

export function toAdverseEventAmendment(
  values: AdverseEventFormValues,
  id: string,
  expectedVersion: number,
): { submission: AdverseEventAmendment | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (values.reason.trim().length < minimumText) errors.reason = 'Say why the record is amended.';
  const result = fields(values, errors);
  return result && !errors.reason
    ? { submission: { id, expectedVersion, reason: values.reason.trim(), ...result }, errors }
    : { submission: null, errors };
}

/** The form filled from a recorded version, to amend it. */
export function formFromEvent(
  event: AdverseEventFields,
  toLocal: (instant: string) => string,
): AdverseEventFormValues {
  return { ...event, onsetAt: toLocal(event.onsetAt), reason: '' };
}
