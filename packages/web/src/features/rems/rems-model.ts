/**
 * The SPRAVATO REMS dashboard's pure parts. A Patient Monitoring Form is due after every session and must be
 * submitted within 7 days (clinical-reference 2.6, SPRAVATO REMS); the server holds the deadline, this model
 * says how it stands today and orders the list so the nearest deadline comes first.
 */

export interface RemsFormSummary {
  id: string;
  sessionId: string;
  patient: { id: string; name: string };
  treatmentDate: string;
  dueAt: string;
  status: 'due' | 'submitted';
  complete: boolean;
  missing: string[];
  submittedAt: string | null;
}

export type DeadlineStanding =
  | { kind: 'overdue'; days: number; label: string }
  | { kind: 'due-today'; days: 0; label: string }
  | { kind: 'due-soon'; days: number; label: string }
  | { kind: 'due'; days: number; label: string };

const dayMs = 24 * 60 * 60 * 1000;

/** Two days or less left is "soon" (the form is late after 7 days; the REMS gives no warning period). */
export const dueSoonDays = 2;

export function deadlineStanding(dueAt: string, now: Date): DeadlineStanding {
  const due = new Date(dueAt).getTime();
  const diff = due - now.getTime();
  if (diff < 0) {
    const days = Math.max(1, Math.floor(-diff / dayMs));
    return { kind: 'overdue', days, label: `Overdue by ${days} ${days === 1 ? 'day' : 'days'}` };
  }
  const days = Math.floor(diff / dayMs);
  if (days === 0) return { kind: 'due-today', days: 0, label: 'Due within 24 hours' };
  const label = `${days} ${days === 1 ? 'day' : 'days'} left`;
  return days <= dueSoonDays ? { kind: 'due-soon', days, label } : { kind: 'due', days, label };
}

export const standingColor: Record<DeadlineStanding['kind'], string> = {
  overdue: 'red',
  'due-today': 'orange',
  'due-soon': 'yellow',
  due: 'gray',
};

/** Nearest deadline first; incomplete forms before complete ones on the same deadline. */
export function orderForms<T extends Pick<RemsFormSummary, 'dueAt' | 'complete'>>(forms: readonly T[]): T[] {
  return [...forms].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || Number(a.complete) - Number(b.complete));
}

export interface MarkSubmittedValues {
  /** `date` input: when it was submitted on spravatorems.com or by fax. */
  submittedOn: string;
  channel: 'online' | 'fax' | '';
  confirmation: string;
}

export interface MarkSubmittedBody {
  id: string;
  submittedAt: string;
  channel: 'online' | 'fax';
  confirmation: string | null;
}

export function toMarkSubmitted(
  values: MarkSubmittedValues,
  id: string,
  now: Date,
): { body: MarkSubmittedBody | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.submittedOn))
    errors.submittedOn = 'Enter the date it was submitted.';
  else {
    const pad = (n: number) => String(n).padStart(2, '0');
    const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    if (values.submittedOn > today) errors.submittedOn = 'The submission date cannot be in the future.';
  }
  if (!values.channel) errors.channel = 'Say how it was submitted.';
  if (Object.keys(errors).length > 0) return { body: null, errors };
  return {
    body: {
      id,
      // Noon UTC keeps the calendar day whatever the clinic's zone.
      submittedAt: `${values.submittedOn}T12:00:00.000Z`,
      channel: values.channel as 'online' | 'fax',
      confirmation: values.confirmation.trim() || null,
    },
    errors,
  };
}
