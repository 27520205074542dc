import { classifyMedication } from '../medications.ts';
import type { Citation, RuleMetadata } from '../types.ts';

/**
 * The SPRAVATO REMS Patient Monitoring Form (clinical-reference 2.6): what an outpatient healthcare setting
 * completes after every esketamine session and submits within 7 days. Pure: the server assembles the data
 * from the session record (and the few answers only a clinician can give) and these functions judge it.
 */

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

const formCitation = cite(
  '2.6',
  'SPRAVATO REMS Patient Monitoring Form, revision 11/2021 (required fields marked *); spravatorems.com',
);

export interface BloodPressure {
  systolic: number;
  diastolic: number;
  /** Minutes from the start of administration (the first device); negative or 0 = before the dose. */
  atMinutes: number;
}

/** Every field of the form; `null` means not known (yet). */
export interface SpravatoMonitoringFormData {
  patient: {
    firstName: string | null;
    middleInitial: string | null;
    lastName: string | null;
    /** YYYY-MM-DD */
    dateOfBirth: string | null;
    sex: 'female' | 'male' | null;
    /** This is the patient's first SPRAVATO treatment. */
    firstTreatment: boolean | null;
    /** The patient is enrolled in the REMS (if not, the Patient Enrollment Form is submitted too). */
    enrolledInRems: boolean | null;
  };
  /** Concomitant medication that may cause sedation or a change in blood pressure (Y/N each). */
  concomitantMedications: {
    benzodiazepines: boolean | null;
    nonBenzodiazepineSedativeHypnotics: boolean | null;
    psychostimulants: boolean | null;
    maois: boolean | null;
    /** Named by the newer (video) version of the form. */
    opioids: boolean | null;
  };
  /** The healthcare provider who did the monitoring. */
  monitoringHcp: {
    firstName: string | null;
    lastName: string | null;
    telephone: string | null;
    email: string | null;
  };
  /** The certified healthcare setting. */
  setting: {
    name: string | null;
    address1: string | null;
    address2: string | null;
    city: string | null;
    state: string | null;
    zip: string | null;
  };
  session: {
    /** YYYY-MM-DD, in the clinic's time zone. */
    treatmentDate: string | null;
    /** Total esketamine given in the session, in mg (the form offers 56, 84 or other). */
    doseMg: number | null;
    lotNumbers: string[];
    /** From the first device to the end of monitoring, in minutes. */
    totalMinutes: number | null;
    /** The REMS evaluation question: without the 2-hour rule, when would the patient have been ready to leave (minutes from the start of administration)? */
    readyToLeaveMinutes: number | null;
  };
  vitals: {
    acceptableBeforeAdministration: boolean | null;
    acceptableBeforeCompletion: boolean | null;
    beforeAdministration: BloodPressure | null;
    fortyMinutesAfter: BloodPressure | null;
    beforeCompletion: BloodPressure | null;
  };
  /** Did the patient experience these during the session (the form's wording is UNCONFIRMED, see 2.6)? */
  observed: {
    sedation: boolean | null;
    dissociation: boolean | null;
    respiratoryDepression: boolean | null;
  };
  seriousAdverseEvents: { occurred: boolean | null; descriptions: string[] };
}

export interface RemsFormField {
  /** Dotted path into SpravatoMonitoringFormData, e.g. 'patient.dateOfBirth'. */
  field: string;
  label: string;
  /**
   * 'rems-form': marked required (*) on the form itself. 'session-record': on the form without a star, but part
   * of a complete monitoring record in Kapstone (issue 5: dose, lot, duration, BP, sedation, dissociation, SAEs).
   */
  requiredBy: 'rems-form' | 'session-record';
}

/** The fields a complete form holds, in the form's order. */
export const remsFormFields: readonly RemsFormField[] = [
  { field: 'patient.firstName', label: 'Patient first name', requiredBy: 'rems-form' },
  { field: 'patient.lastName', label: 'Patient last name', requiredBy: 'rems-form' },
  { field: 'patient.dateOfBirth', label: 'Patient date of birth', requiredBy: 'rems-form' },
  { field: 'patient.sex', label: 'Patient sex', requiredBy: 'rems-form' },
  { field: 'patient.firstTreatment', label: 'First treatment (yes/no)', requiredBy: 'session-record' },
  { field: 'patient.enrolledInRems', label: 'Patient enrolled in the REMS', requiredBy: 'session-record' },
  {
    field: 'concomitantMedications.benzodiazepines',
    label: 'Concomitant benzodiazepines',
    requiredBy: 'rems-form',
  },
  {
    field: 'concomitantMedications.nonBenzodiazepineSedativeHypnotics',
    label: 'Concomitant non-benzodiazepine sedative hypnotics',
    requiredBy: 'rems-form',
  },
  {
    field: 'concomitantMedications.psychostimulants',
    label: 'Concomitant psychostimulants',
    requiredBy: 'rems-form',
  },
  { field: 'concomitantMedications.maois', label: 'Concomitant MAOIs', requiredBy: 'rems-form' },
  { field: 'concomitantMedications.opioids', label: 'Concomitant opioids', requiredBy: 'session-record' },
  { field: 'monitoringHcp.firstName', label: 'Monitoring HCP first name', requiredBy: 'rems-form' },
  { field: 'monitoringHcp.lastName', label: 'Monitoring HCP last name', requiredBy: 'rems-form' },
  { field: 'monitoringHcp.telephone', label: 'Monitoring HCP telephone', requiredBy: 'rems-form' },
  { field: 'monitoringHcp.email', label: 'Monitoring HCP email', requiredBy: 'rems-form' },
  { field: 'setting.name', label: 'Healthcare setting name', requiredBy: 'rems-form' },
  { field: 'setting.address1', label: 'Healthcare setting address', requiredBy: 'rems-form' },
  { field: 'setting.city', label: 'Healthcare setting city', requiredBy: 'rems-form' },
  { field: 'setting.state', label: 'Healthcare setting state', requiredBy: 'rems-form' },
  { field: 'setting.zip', label: 'Healthcare setting ZIP', requiredBy: 'rems-form' },
  { field: 'session.treatmentDate', label: 'Treatment date', requiredBy: 'rems-form' },
  { field: 'session.doseMg', label: 'Dose given', requiredBy: 'rems-form' },
  { field: 'session.lotNumbers', label: 'Lot number', requiredBy: 'session-record' },
  { field: 'session.totalMinutes', label: 'Total monitoring time (minutes)', requiredBy: 'session-record' },
  {
    field: 'session.readyToLeaveMinutes',
    label: 'Without the 2-hour minimum, when the patient would have been ready to leave (minutes)',
    requiredBy: 'session-record',
  },
  {
    field: 'vitals.acceptableBeforeAdministration',
    label: 'Vital signs acceptable before administration',
    requiredBy: 'session-record',
  },
  {
    field: 'vitals.acceptableBeforeCompletion',
    label: 'Vital signs acceptable before session completion',
    requiredBy: 'session-record',
  },
  {
    field: 'vitals.beforeAdministration',
    label: 'Blood pressure before administration',
    requiredBy: 'session-record',
  },
  {
    field: 'vitals.fortyMinutesAfter',
    label: 'Blood pressure 40 minutes after administration',
    requiredBy: 'session-record',
  },
  {
    field: 'vitals.beforeCompletion',
    label: 'Blood pressure before session completion',
    requiredBy: 'session-record',
  },
  { field: 'observed.sedation', label: 'Sedation observed (yes/no)', requiredBy: 'session-record' },
  { field: 'observed.dissociation', label: 'Dissociation observed (yes/no)', requiredBy: 'session-record' },
  {
    field: 'observed.respiratoryDepression',
    label: 'Respiratory depression observed (yes/no)',
    requiredBy: 'session-record',
  },
  {
    field: 'seriousAdverseEvents.occurred',
    label: 'Serious adverse events (yes/no)',
    requiredBy: 'session-record',
  },
];

/** The REMS objective: monitoring for at least two hours (clinical-reference 2.6). */
export const remsMinimumMonitoringMinutes = 120;
/** The form is submitted within 7 days of the session (clinical-reference 2.6). */
export const remsSubmissionDays = 7;

export interface RemsFormCompleteness {
  complete: boolean;
  missing: RemsFormField[];
  /** Complete but worth a second look (never a reason the form cannot be submitted: it records what happened). */
  warnings: { field: string; message: string }[];
  citation: Citation;
}

function valueAt(form: SpravatoMonitoringFormData, path: string): unknown {
  let value: unknown = form;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | null)?.[key];
  return value;
}

const blank = (value: unknown) =>
  value === null ||
  value === undefined ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/**
 * Whether the monitoring form holds every field it needs (clinical-reference 2.6), each missing one named, in
 * the form's order. Warnings: monitoring shorter than the REMS's 2 hours, a "yes" to serious adverse events
 * without a description, and blood pressures that do not follow the session's timeline.
 */
export function remsFormCompleteness(form: SpravatoMonitoringFormData): RemsFormCompleteness {
  const missing = remsFormFields.filter((f) => blank(valueAt(form, f.field)));
  const warnings: RemsFormCompleteness['warnings'] = [];
  const total = form.session.totalMinutes;
  if (total !== null && total < remsMinimumMonitoringMinutes)
    warnings.push({
      field: 'session.totalMinutes',
      message: `Monitored ${total} minutes: the REMS requires at least ${remsMinimumMonitoringMinutes} minutes (2 hours).`,
    });
  if (form.seriousAdverseEvents.occurred === true && form.seriousAdverseEvents.descriptions.length === 0)
    warnings.push({
      field: 'seriousAdverseEvents.descriptions',
      message: 'A serious adverse event is reported without a description.',
    });
  const ready = form.session.readyToLeaveMinutes;
  if (ready !== null && total !== null && ready > total)
    warnings.push({
      field: 'session.readyToLeaveMinutes',
      message: `Ready to leave at ${ready} minutes, after the end of monitoring at ${total} minutes.`,
    });
  const { beforeAdministration, fortyMinutesAfter, beforeCompletion } = form.vitals;
  if (beforeAdministration && beforeAdministration.atMinutes > 0)
    warnings.push({
      field: 'vitals.beforeAdministration',
      message: 'The pre-dose blood pressure was taken after administration began.',
    });
  if (fortyMinutesAfter && beforeCompletion && beforeCompletion.atMinutes < fortyMinutesAfter.atMinutes)
    warnings.push({
      field: 'vitals.beforeCompletion',
      message: 'The blood pressure before completion was taken before the 40-minute reading.',
    });
  return { complete: missing.length === 0, missing, warnings, citation: formCitation };
}

/**
 * Picks the form's three blood pressures from the session's readings (minutes from the start of
 * administration). Before administration: the last reading at or before minute 0. Forty minutes after: of the
 * readings that count for the 40-minute slot of the SPRAVATO schedule (from halfway between the dose and
 * minute 40, the window `nextReadingDue` uses), the one closest to 40. Before completion: the last reading
 * after that one. A slot without a reading is null: the form says so instead of borrowing another reading.
 */
export function remsBloodPressures(
  readings: readonly BloodPressure[],
): Pick<
  SpravatoMonitoringFormData['vitals'],
  'beforeAdministration' | 'fortyMinutesAfter' | 'beforeCompletion'
> {
  const sorted = [...readings].sort((a, b) => a.atMinutes - b.atMinutes);
  const before = sorted.filter((r) => r.atMinutes <= 0).at(-1) ?? null;
  const slotStart = 40 / 2;
  let forty: BloodPressure | null = null;
  for (const r of sorted) {
    if (r.atMinutes < slotStart) continue;
    if (!forty || Math.abs(r.atMinutes - 40) < Math.abs(forty.atMinutes - 40)) forty = r;
  }
  const last = sorted.at(-1) ?? null;
  const beforeCompletion = forty && last && last.atMinutes > forty.atMinutes ? last : null;
  return { beforeAdministration: before, fortyMinutesAfter: forty, beforeCompletion };
}

/**
 * The form's concomitant-medication answers from the patient's current medications, by class
 * (classifyMedication, clinical-reference 3.3 and 4.6). A medication that matches no class counts as none of
 * them: the clinician confirms the answers on the form before it is submitted.
 */
export function remsConcomitantMedications(
  medications: readonly { name: string }[],
): SpravatoMonitoringFormData['concomitantMedications'] {
  const classes = new Set(medications.flatMap((m) => classifyMedication(m.name)));
  return {
    benzodiazepines: classes.has('benzodiazepine'),
    nonBenzodiazepineSedativeHypnotics: classes.has('sedative-hypnotic'),
    psychostimulants: classes.has('psychostimulant'),
    maois: classes.has('maoi'),
    opioids: classes.has('opioid'),
  };
}

/** Adds whole days to a calendar date (YYYY-MM-DD), without time zones. */
function addDays(date: string, days: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date)
    throw new RangeError(`not a calendar date: ${date}`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  addDays(from, 0);
  addDays(to, 0);
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface RemsDeadline {
  /** The last day to submit (YYYY-MM-DD, the clinic's calendar): the treatment date plus 7 days. */
  dueDate: string;
  /** Whole days from today to the due date (0 = due today; negative = overdue). */
  daysLeft: number;
  overdue: boolean;
}

/**
 * The submission deadline of a monitoring form: within 7 days of the treatment (clinical-reference 2.6). Dates
 * are the clinic's calendar dates, so "today" is computed by the caller in the clinic's time zone.
 */
export function remsSubmissionDeadline(treatmentDate: string, today: string): RemsDeadline {
  const dueDate = addDays(treatmentDate, remsSubmissionDays);
  const daysLeft = daysBetween(today, dueDate);
  return { dueDate, daysLeft, overdue: daysLeft < 0 };
}

export const remsRules: RuleMetadata[] = [
  {
    id: 'monitoring.rems-form-complete',
    area: 'monitoring',
    title: 'SPRAVATO REMS Patient Monitoring Form: every required field, checked at discharge',
    citation: formCitation,
  },
  {
    id: 'monitoring.rems-form-deadline',
    area: 'monitoring',
    title: 'SPRAVATO REMS Patient Monitoring Form: submit within 7 days of the session',
    citation: cite('2.6', 'SPRAVATO REMS (REMS@FDA, REMS id 386; spravatorems.com): submit within 7 days'),
  },
  {
    id: 'monitoring.rems-two-hours',
    area: 'monitoring',
    title: 'SPRAVATO REMS: monitoring for at least 2 hours (a shorter time is flagged on the form)',
    citation: cite('2.6', 'FDA REMS@FDA, REMS id 386: "monitored for at least two hours"'),
  },
  {
    id: 'monitoring.rems-form-blood-pressures',
    area: 'monitoring',
    title:
      'REMS form blood pressures: before administration, the reading closest to 40 min (from 20 min on), the last one',
    citation: cite('4.1', 'SPRAVATO US PI: BP before dosing and ~40 min after, then as warranted'),
  },
];
