/**
 * The adverse-event form: severity, what happened, the action taken, the outcome, and whether it is serious
 * (a serious event raises an alert for follow-up on the server). A recorded event is never overwritten: a
 * change is an amendment with its reason.
 */

export const adverseEventSeverities = ['mild', 'moderate', 'severe', 'life-threatening'] as const;
export type AdverseEventSeverity = (typeof adverseEventSeverities)[number];

export const severityLabels: Record<AdverseEventSeverity, string> = {
  mild: 'Mild: no intervention needed',
  moderate: 'Moderate: intervention needed',
  severe: 'Severe: significant intervention, dose stopped',
  'life-threatening': 'Life-threatening: emergency response',
};

export const adverseEventOutcomes = ['resolved', 'resolving', 'ongoing', 'transferred', 'unknown'] as const;
export type AdverseEventOutcome = (typeof adverseEventOutcomes)[number];

export const outcomeLabels: Record<AdverseEventOutcome, string> = {
  resolved: 'Resolved',
  resolving: 'Resolving',
  ongoing: 'Ongoing',
  transferred: 'Transferred to emergency care',
  unknown: 'Not known yet',
};

export interface AdverseEventFormValues {
  severity: AdverseEventSeverity | '';
  description: string;
  actionTaken: string;
  outcome: AdverseEventOutcome | '';
  serious: boolean;
  /** `datetime-local` */
  occurredAt: string;
  /** Only for an amendment. */
  amendmentReason: string;
}

export interface AdverseEventSubmission {
  id: string;
  severity: AdverseEventSeverity;
  description: string;
  actionTaken: string;
  outcome: AdverseEventOutcome;
  serious: boolean;
  occurredAt: string;
  amendmentReason?: string;
}

/**
 * A severe or life-threatening event, or a transfer to emergency care, is serious for follow-up; the nurse
 * may also flag a milder one. The form proposes the flag, it never clears one the nurse set.
 */
export function suggestedSerious(values: Pick<AdverseEventFormValues, 'severity' | 'outcome'>): boolean {
  return (
    values.severity === 'severe' || values.severity === 'life-threatening' || values.outcome === 'transferred'
  );
}

export function toAdverseEventSubmission(
  values: AdverseEventFormValues,
  id: string,
  options: { amendment: boolean } = { amendment: false },
): { submission: AdverseEventSubmission | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!values.severity) errors.severity = 'Choose the severity.';
  if (!values.description.trim()) errors.description = 'Describe what happened.';
  if (!values.actionTaken.trim()) errors.actionTaken = 'Say what was done (or “observation only”).';
  if (!values.outcome) errors.outcome = 'Choose the outcome so far.';
  const occurred = new Date(values.occurredAt);
  if (!values.occurredAt || Number.isNaN(occurred.getTime())) errors.occurredAt = 'Enter when it happened.';
  if (options.amendment && !values.amendmentReason.trim())
    errors.amendmentReason = 'Say why the record is amended.';
  if (Object.keys(errors).length > 0) return { submission: null, errors };
  return {
    submission: {
      id,
      severity: values.severity as AdverseEventSeverity,
      description: values.description.trim(),
      actionTaken: values.actionTaken.trim(),
      outcome: values.outcome as AdverseEventOutcome,
      serious: values.serious || suggestedSerious(values),
      occurredAt: occurred.toISOString(),
      ...(options.amendment ? { amendmentReason: values.amendmentReason.trim() } : {}),
    },
    errors,
  };
}
