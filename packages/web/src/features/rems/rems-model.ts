/**
 * The SPRAVATO REMS dashboard's pure parts. A Patient Monitoring Form is due after every session and is
 * submitted within 7 days (clinical-reference 2.6, SPRAVATO REMS). The server counts the deadline in the
 * clinic's calendar (treatment date + 7 days); this model words it, orders the list, and shapes the two
 * writes: the clinician's answers to the form and the record that it was submitted.
 */

import { localInputValue } from '../screening/vitals-form-model.ts';

export interface RemsDeadline {
  /** The last day to submit (YYYY-MM-DD, clinic calendar). */
  dueDate: string;
  /** Days from the clinic's today to the due date: 0 = today is the last day, negative = late. */
  daysLeft: number;
  overdue: boolean;
}

/** One line of the dashboard (modules/rems/rems.schemas.ts `remsFormSummaryView`). */
export interface RemsFormSummary {
  sessionId: string;
  patient: { id: string; displayName: string; mrn: string };
  treatmentDate: string;
  status: 'in-progress' | 'due' | 'submitted';
  deadline: RemsDeadline;
  complete: boolean;
  /** Labels of the missing fields, in the form's order. */
  missing: string[];
  submittedAt: string | null;
  pdfUrl: string;
}

export type DeadlineKind = 'overdue' | 'due-today' | 'due-soon' | 'due';

/** Two days or less is "soon"; the REMS itself gives no warning period, only the 7 days. */
export const dueSoonDays = 2;

export function deadlineStanding(deadline: RemsDeadline): { kind: DeadlineKind; label: string } {
  const { daysLeft } = deadline;
  if (deadline.overdue || daysLeft < 0) {
    const late = Math.max(1, -daysLeft);
    return { kind: 'overdue', label: `Overdue by ${late} ${late === 1 ? 'day' : 'days'}` };
  }
  if (daysLeft === 0) return { kind: 'due-today', label: 'Due today' };
  const label = `${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left`;
  return daysLeft <= dueSoonDays ? { kind: 'due-soon', label } : { kind: 'due', label };
}

export const standingColor: Record<DeadlineKind, string> = {
  overdue: 'red',
  'due-today': 'orange',
  'due-soon': 'yellow',
  due: 'gray',
};

/** Nearest deadline first; incomplete forms before complete ones on the same day. */
export function orderForms<T extends { deadline: Pick<RemsDeadline, 'dueDate'>; complete: boolean }>(
  forms: readonly T[],
): T[] {
  return [...forms].sort(
    (a, b) => a.deadline.dueDate.localeCompare(b.deadline.dueDate) || Number(a.complete) - Number(b.complete),
  );
}

// Marking a form submitted ------------------------------------------------------------------------------

export interface MarkSubmittedValues {
  /** `date` input: the day it was submitted at spravatorems.com or sent by fax. */
  submittedOn: string;
  method: 'online' | 'fax' | '';
  confirmation: string;
}

export interface MarkSubmittedBody {
  id: string;
  submittedAt: string;
  method: 'online' | 'fax';
  confirmation: string | null;
}

/** The local calendar day of an instant, YYYY-MM-DD. */
export function localDate(instant: Date): string {
  return localInputValue(instant).slice(0, 10);
}

export function toMarkSubmitted(
  values: MarkSubmittedValues,
  id: string,
  context: { now: Date; treatmentDate: string },
): { body: MarkSubmittedBody | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.submittedOn))
    errors.submittedOn = 'Enter the date it was submitted.';
  else if (values.submittedOn > localDate(context.now))
    errors.submittedOn = 'The submission date cannot be in the future.';
  else if (values.submittedOn < context.treatmentDate)
    errors.submittedOn = 'The form cannot be submitted before the session.';
  if (!values.method) errors.method = 'Say how it was submitted.';
  if (Object.keys(errors).length > 0) return { body: null, errors };
  const today = values.submittedOn === localDate(context.now);
  return {
    body: {
      id,
      // Today: the moment it is marked. An earlier day: noon of that day, which keeps its date in any zone.
      submittedAt: today
        ? context.now.toISOString()
        : new Date(`${values.submittedOn}T12:00:00`).toISOString(),
      method: values.method as 'online' | 'fax',
      confirmation: values.confirmation.trim() || null,
    },
    errors,
  };
}

// The clinician's answers -------------------------------------------------------------------------------

export type YesNo = 'yes' | 'no' | '';

/** The yes/no questions only a clinician can answer (or correct), in the form's order. */
export const yesNoQuestions = [
  { key: 'enrolledInRems', label: 'The patient is enrolled in the SPRAVATO REMS' },
  { key: 'firstTreatment', label: 'This is the patient’s first SPRAVATO treatment' },
  { key: 'benzodiazepines', label: 'Concomitant benzodiazepines' },
  { key: 'nonBenzodiazepineSedativeHypnotics', label: 'Concomitant non-benzodiazepine sedative hypnotics' },
  { key: 'psychostimulants', label: 'Concomitant psychostimulants' },
  { key: 'maois', label: 'Concomitant MAOIs' },
  { key: 'opioids', label: 'Concomitant opioids' },
  { key: 'vitalsAcceptableBeforeAdministration', label: 'Vital signs acceptable before administration' },
  { key: 'vitalsAcceptableBeforeCompletion', label: 'Vital signs acceptable before the session ended' },
  { key: 'sedation', label: 'Sedation observed' },
  { key: 'dissociation', label: 'Dissociation observed' },
  { key: 'respiratoryDepression', label: 'Respiratory depression observed' },
] as const;
export type YesNoKey = (typeof yesNoQuestions)[number]['key'];

const medicationKeys = [
  'benzodiazepines',
  'nonBenzodiazepineSedativeHypnotics',
  'psychostimulants',
  'maois',
  'opioids',
] as const;

export const textQuestions = [
  { key: 'hcpFirstName', label: 'Monitoring HCP first name', group: 'monitoringHcp', field: 'firstName' },
  { key: 'hcpLastName', label: 'Monitoring HCP last name', group: 'monitoringHcp', field: 'lastName' },
  { key: 'hcpTelephone', label: 'Monitoring HCP telephone', group: 'monitoringHcp', field: 'telephone' },
  { key: 'hcpEmail', label: 'Monitoring HCP email', group: 'monitoringHcp', field: 'email' },
  { key: 'settingName', label: 'Healthcare setting name', group: 'setting', field: 'name' },
  { key: 'settingAddress1', label: 'Healthcare setting address', group: 'setting', field: 'address1' },
  { key: 'settingAddress2', label: 'Address line 2', group: 'setting', field: 'address2' },
  { key: 'settingCity', label: 'Healthcare setting city', group: 'setting', field: 'city' },
  { key: 'settingState', label: 'Healthcare setting state', group: 'setting', field: 'state' },
  { key: 'settingZip', label: 'Healthcare setting ZIP', group: 'setting', field: 'zip' },
] as const;
export type TextKey = (typeof textQuestions)[number]['key'];

export type RemsAnswersValues = Record<YesNoKey, YesNo> &
  Record<TextKey, string> & { readyToLeaveMinutes: string };

/** The part of the server's form data the answers concern (`remsFormDataView`). */
export interface RemsFormData {
  patient: { firstTreatment: boolean | null; enrolledInRems: boolean | null };
  concomitantMedications: Record<(typeof medicationKeys)[number], boolean | null>;
  monitoringHcp: {
    firstName: string | null;
    lastName: string | null;
    telephone: string | null;
    email: string | null;
  };
  setting: {
    name: string | null;
    address1: string | null;
    address2: string | null;
    city: string | null;
    state: string | null;
    zip: string | null;
  };
  session: { readyToLeaveMinutes: number | null };
  vitals: { acceptableBeforeAdministration: boolean | null; acceptableBeforeCompletion: boolean | null };
  observed: { sedation: boolean | null; dissociation: boolean | null; respiratoryDepression: boolean | null };
}

const yesNo = (value: boolean | null | undefined): YesNo =>
  value === true ? 'yes' : value === false ? 'no' : '';

/** The form as it stands, as the values of the answers dialog. */
export function answersFromForm(form: RemsFormData): RemsAnswersValues {
  const text = Object.fromEntries(
    textQuestions.map((q) => [
      q.key,
      ((form[q.group] as Record<string, string | null>)[q.field] ?? '') as string,
    ]),
  ) as Record<TextKey, string>;
  return {
    enrolledInRems: yesNo(form.patient.enrolledInRems),
    firstTreatment: yesNo(form.patient.firstTreatment),
    benzodiazepines: yesNo(form.concomitantMedications.benzodiazepines),
    nonBenzodiazepineSedativeHypnotics: yesNo(form.concomitantMedications.nonBenzodiazepineSedativeHypnotics),
    psychostimulants: yesNo(form.concomitantMedications.psychostimulants),
    maois: yesNo(form.concomitantMedications.maois),
    opioids: yesNo(form.concomitantMedications.opioids),
    vitalsAcceptableBeforeAdministration: yesNo(form.vitals.acceptableBeforeAdministration),
    vitalsAcceptableBeforeCompletion: yesNo(form.vitals.acceptableBeforeCompletion),
    sedation: yesNo(form.observed.sedation),
    dissociation: yesNo(form.observed.dissociation),
    respiratoryDepression: yesNo(form.observed.respiratoryDepression),
    readyToLeaveMinutes:
      form.session.readyToLeaveMinutes === null ? '' : String(form.session.readyToLeaveMinutes),
    ...text,
  };
}

export interface RemsAnswersBody {
  id: string;
  answers: Record<string, unknown>;
}

/**
 * Only what the clinician changed goes to the server: an unchanged value stays as the record derived it, so
 * the form keeps saying where each field came from. A cleared answer is sent as null (unknown).
 */
export function toRemsAnswers(
  values: RemsAnswersValues,
  initial: RemsAnswersValues,
  id: string,
): { body: RemsAnswersBody | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const answers: Record<string, unknown> = {};
  const bool = (v: YesNo) => (v === 'yes' ? true : v === 'no' ? false : null);
  for (const { key } of yesNoQuestions) {
    if (values[key] === initial[key]) continue;
    if ((medicationKeys as readonly string[]).includes(key)) {
      answers.concomitantMedications = {
        ...(answers.concomitantMedications as object),
        [key]: bool(values[key]),
      };
    } else answers[key] = bool(values[key]);
  }
  if (values.readyToLeaveMinutes.trim() !== initial.readyToLeaveMinutes.trim()) {
    const text = values.readyToLeaveMinutes.trim();
    const minutes = Number(text);
    if (text === '') answers.readyToLeaveMinutes = null;
    else if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440)
      errors.readyToLeaveMinutes = 'Whole minutes from the start of administration (0–1,440).';
    else answers.readyToLeaveMinutes = minutes;
  }
  for (const q of textQuestions) {
    if (values[q.key].trim() === initial[q.key].trim()) continue;
    const group = (answers[q.group] as Record<string, unknown> | undefined) ?? {};
    group[q.field] = values[q.key].trim() || null;
    answers[q.group] = group;
  }
  if (Object.keys(errors).length > 0) return { body: null, errors };
  if (Object.keys(answers).length === 0) return { body: null, errors: { form: 'Nothing has changed.' } };
  return { body: { id, answers }, errors };
}
