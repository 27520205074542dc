import {
  dateShiftRange,
  daysBetween,
  exportedAge,
  type InstrumentId,
  instruments,
  type Product,
  type Route,
  shiftDay,
} from '@kapstone/clinical';
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import {
  consentSignature,
  consentTemplate,
  consentTemplateVersion,
  consentWithdrawal,
  doseAdministration,
  dosingSession,
  measureAssignment,
  observation,
  patient,
  questionnaireResponse,
  treatmentPlan,
} from '../../db/schema/index.ts';
import type { SexAtBirth } from '../../db/schema/patients.ts';
import { csvCell } from '../audit/audit.routes.ts';
import { localParts } from '../scheduling/clinic-time.ts';

/*
 * What a research export reads and how it turns it into files. Every query names its columns: nothing
 * identifying is ever selected (no name, MRN, contact, address, free text; psychotherapy notes are not read
 * at all), so nothing identifying can reach a file by mistake. The files carry research ids, coded values,
 * numbers and dates that are relative (days since day zero) or shifted per patient.
 */

/**
 * Patients of the clinic whose latest signature on the clinic's research consent form stands (not
 * withdrawn). A withdrawal ends the consent; a later new signature gives it again.
 */
export async function findResearchConsentedPatients(ctx: ServiceContext): Promise<string[]> {
  const rows = await ctx.tx
    .select({
      patientId: consentSignature.patientId,
      signedAt: consentSignature.signedAt,
      withdrawnAt: consentWithdrawal.withdrawnAt,
    })
    .from(consentSignature)
    .innerJoin(
      consentTemplateVersion,
      and(
        eq(consentTemplateVersion.clinicId, consentSignature.clinicId),
        eq(consentTemplateVersion.id, consentSignature.templateVersionId),
      ),
    )
    .innerJoin(
      consentTemplate,
      and(
        eq(consentTemplate.clinicId, consentTemplateVersion.clinicId),
        eq(consentTemplate.id, consentTemplateVersion.templateId),
      ),
    )
    .leftJoin(
      consentWithdrawal,
      and(
        eq(consentWithdrawal.clinicId, consentSignature.clinicId),
        eq(consentWithdrawal.signatureId, consentSignature.id),
      ),
    )
    .where(and(eq(consentSignature.clinicId, ctx.clinicId), eq(consentTemplate.kind, 'research')))
    .orderBy(asc(consentSignature.patientId), asc(consentSignature.signedAt), asc(consentSignature.id));
  const latest = new Map<string, boolean>();
  for (const row of rows) latest.set(row.patientId, row.withdrawnAt === null);
  return [...latest].filter(([, standing]) => standing).map(([id]) => id);
}

export interface ExportRequest {
  instruments: InstrumentId[];
  /** Real calendar days in the clinic's time zone; the data's own dates must fall within them. */
  fromDate: string;
  toDate: string;
}

/** A patient's facts before de-identification (kept in memory only while the job runs). */
export interface SubjectFacts {
  patientId: string;
  dateOfBirth: string;
  sexAtBirth: SexAtBirth;
  /** The clinic-local day of the first dose ever given, if any. */
  firstDoseDay: string | null;
  observations: {
    instrument: InstrumentId;
    key: string;
    codeSystem: string | null;
    code: string | null;
    value: number | null;
    band: string | null;
    reason: string | null;
    scheduleKey: string | null;
    day: string;
  }[];
  sessions: {
    number: number;
    day: string;
    product: Product;
    route: Route;
    protocolId: string;
    indicationIcd10: string | null;
    outcome: 'discharged' | 'aborted' | 'in-progress';
    minutesToEnd: number | null;
    doses: { sequence: number; doseMg: number; product: Product; route: Route; day: string }[];
    maxSystolic: number | null;
    maxDiastolic: number | null;
    maxHeartRate: number | null;
    minSpo2: number | null;
    minMoaas: number | null;
    maxCadss6: number | null;
    adverseEvents: number;
    seriousAdverseEvents: number;
    adverseEventCategories: string[];
  }[];
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Reads the facts of a batch of consented patients (one query per kind of record, never in parallel). */
export async function loadSubjectFacts(
  ctx: ServiceContext,
  timeZone: string,
  patientIds: string[],
  request: ExportRequest,
): Promise<SubjectFacts[]> {
  if (patientIds.length === 0) return [];
  const dayOf = (instant: Date) => localParts(instant, timeZone).date;
  const inRange = (day: string) => day >= request.fromDate && day <= request.toDate;
  const people = await ctx.tx
    .select({ id: patient.id, dateOfBirth: patient.dateOfBirth, sexAtBirth: patient.sexAtBirth })
    .from(patient)
    .where(and(eq(patient.clinicId, ctx.clinicId), inArray(patient.id, patientIds)));

  // Responses superseded by a correction are left out: the correction stands for them.
  const superseding = sql`EXISTS (SELECT 1 FROM questionnaire_response c
    WHERE c.clinic_id = ${questionnaireResponse.clinicId} AND c.supersedes_id = ${questionnaireResponse.id})`;
  const observations =
    request.instruments.length === 0
      ? []
      : await ctx.tx
          .select({
            patientId: observation.patientId,
            instrument: observation.instrument,
            key: observation.key,
            codeSystem: observation.codeSystem,
            code: observation.code,
            value: observation.value,
            band: observation.band,
            effectiveAt: observation.effectiveAt,
            reason: measureAssignment.reason,
            scheduleKey: measureAssignment.scheduleKey,
          })
          .from(observation)
          .innerJoin(
            questionnaireResponse,
            and(
              eq(questionnaireResponse.clinicId, observation.clinicId),
              eq(questionnaireResponse.id, observation.responseId),
            ),
          )
          .leftJoin(
            measureAssignment,
            and(
              eq(measureAssignment.clinicId, questionnaireResponse.clinicId),
              eq(measureAssignment.id, questionnaireResponse.assignmentId),
            ),
          )
          .where(
            and(
              eq(observation.clinicId, ctx.clinicId),
              inArray(observation.patientId, patientIds),
              inArray(observation.instrument, request.instruments),
              sql`NOT ${superseding}`,
            ),
          )
          .orderBy(asc(observation.effectiveAt), asc(observation.key));

  const sessions = await ctx.tx
    .select({
      id: dosingSession.id,
      patientId: dosingSession.patientId,
      product: dosingSession.product,
      route: dosingSession.route,
      protocolId: dosingSession.protocolId,
      state: dosingSession.state,
      dosingStartedAt: dosingSession.dosingStartedAt,
      endedAt: dosingSession.endedAt,
      indicationIcd10: treatmentPlan.indicationIcd10,
      maxSystolic: sql<
        number | null
      >`(SELECT max(v.systolic) FROM vital_signs v WHERE v.clinic_id = ${dosingSession.clinicId}
        AND v.session_id = ${dosingSession.id} AND NOT v.entered_in_error
        AND NOT EXISTS (SELECT 1 FROM vital_signs c WHERE c.clinic_id = v.clinic_id AND c.supersedes_id = v.id))`,
      maxDiastolic: sql<
        number | null
      >`(SELECT max(v.diastolic) FROM vital_signs v WHERE v.clinic_id = ${dosingSession.clinicId}
        AND v.session_id = ${dosingSession.id} AND NOT v.entered_in_error
        AND NOT EXISTS (SELECT 1 FROM vital_signs c WHERE c.clinic_id = v.clinic_id AND c.supersedes_id = v.id))`,
      maxHeartRate: sql<
        number | null
      >`(SELECT max(v.heart_rate) FROM vital_signs v WHERE v.clinic_id = ${dosingSession.clinicId}
        AND v.session_id = ${dosingSession.id} AND NOT v.entered_in_error
        AND NOT EXISTS (SELECT 1 FROM vital_signs c WHERE c.clinic_id = v.clinic_id AND c.supersedes_id = v.id))`,
      minSpo2: sql<
        number | null
      >`(SELECT min(v.spo2) FROM vital_signs v WHERE v.clinic_id = ${dosingSession.clinicId}
        AND v.session_id = ${dosingSession.id} AND NOT v.entered_in_error
        AND NOT EXISTS (SELECT 1 FROM vital_signs c WHERE c.clinic_id = v.clinic_id AND c.supersedes_id = v.id))`,
      minMoaas: sql<number | null>`(SELECT min(o.moaas) FROM session_observation o
        WHERE o.clinic_id = ${dosingSession.clinicId} AND o.session_id = ${dosingSession.id} AND o.kind = 'moaas')`,
      maxCadss6: sql<number | null>`(SELECT max(o.cadss6_total) FROM session_observation o
        WHERE o.clinic_id = ${dosingSession.clinicId} AND o.session_id = ${dosingSession.id} AND o.kind = 'cadss6')`,
      // Adverse events by their current version (the one no later version amends).
      adverseEvents: sql<
        string | null
      >`(SELECT string_agg(a.category || ':' || a.serious::text, ',' ORDER BY a.category)
        FROM adverse_event a WHERE a.clinic_id = ${dosingSession.clinicId} AND a.session_id = ${dosingSession.id}
        AND NOT EXISTS (SELECT 1 FROM adverse_event n WHERE n.clinic_id = a.clinic_id AND n.amends_id = a.id))`,
    })
    .from(dosingSession)
    .leftJoin(
      treatmentPlan,
      and(eq(treatmentPlan.clinicId, dosingSession.clinicId), eq(treatmentPlan.id, dosingSession.planId)),
    )
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        inArray(dosingSession.patientId, patientIds),
        isNotNull(dosingSession.dosingStartedAt),
      ),
    )
    .orderBy(asc(dosingSession.dosingStartedAt), asc(dosingSession.id));

  const doses =
    sessions.length === 0
      ? []
      : await ctx.tx
          .select({
            sessionId: doseAdministration.sessionId,
            sequence: doseAdministration.sequence,
            doseMg: doseAdministration.doseMg,
            product: doseAdministration.product,
            route: doseAdministration.route,
            startedAt: doseAdministration.startedAt,
          })
          .from(doseAdministration)
          .where(
            and(
              eq(doseAdministration.clinicId, ctx.clinicId),
              inArray(doseAdministration.patientId, patientIds),
            ),
          )
          .orderBy(asc(doseAdministration.startedAt), asc(doseAdministration.sequence));

  const dosesBySession = new Map<string, typeof doses>();
  for (const dose of doses) {
    const list = dosesBySession.get(dose.sessionId) ?? [];
    list.push(dose);
    dosesBySession.set(dose.sessionId, list);
  }

  return people.map((person): SubjectFacts => {
    const own = sessions.filter((s) => s.patientId === person.id);
    const firstDose = doses.find((d) => own.some((s) => s.id === d.sessionId));
    const firstDoseDay = firstDose
      ? dayOf(firstDose.startedAt)
      : own[0]?.dosingStartedAt
        ? dayOf(own[0].dosingStartedAt)
        : null;
    return {
      patientId: person.id,
      dateOfBirth: person.dateOfBirth,
      sexAtBirth: person.sexAtBirth,
      firstDoseDay,
      observations: observations
        .filter((o) => o.patientId === person.id)
        .map((o) => ({
          instrument: o.instrument,
          key: o.key,
          codeSystem: o.codeSystem,
          code: o.code,
          value: o.value,
          band: o.band,
          reason: o.reason,
          scheduleKey: o.scheduleKey,
          day: dayOf(o.effectiveAt),
        }))
        .filter((o) => inRange(o.day)),
      // Sessions are numbered over the whole course, then limited to the range.
      sessions: own
        .map((s, index) => {
          const events = (s.adverseEvents ?? '').split(',').filter(Boolean);
          const started = s.dosingStartedAt!;
          return {
            number: index + 1,
            day: dayOf(started),
            product: s.product,
            route: s.route,
            protocolId: s.protocolId,
            indicationIcd10: s.indicationIcd10,
            outcome:
              s.state === 'discharged'
                ? ('discharged' as const)
                : s.state === 'aborted'
                  ? ('aborted' as const)
                  : ('in-progress' as const),
            minutesToEnd: s.endedAt ? Math.round((s.endedAt.getTime() - started.getTime()) / 60_000) : null,
            doses: (dosesBySession.get(s.id) ?? []).map((d) => ({
              sequence: d.sequence,
              doseMg: Number(d.doseMg),
              product: d.product,
              route: d.route,
              day: dayOf(d.startedAt),
            })),
            maxSystolic: num(s.maxSystolic),
            maxDiastolic: num(s.maxDiastolic),
            maxHeartRate: num(s.maxHeartRate),
            minSpo2: num(s.minSpo2),
            minMoaas: num(s.minMoaas),
            maxCadss6: num(s.maxCadss6),
            adverseEvents: events.length,
            seriousAdverseEvents: events.filter((e) => e.endsWith(':true')).length,
            adverseEventCategories: [...new Set(events.map((e) => e.split(':')[0]!))],
          };
        })
        .filter((s) => inRange(s.day)),
    };
  });
}

/** A patient as exported: the research id and shift of this export, and the facts in relative form. */
export interface Subject {
  researchId: string;
  shiftDays: number;
  facts: SubjectFacts;
}

interface Column {
  name: string;
  type: 'string' | 'integer' | 'decimal' | 'date' | 'code';
  unit?: string;
  coding?: string;
  description: string;
  deidentification: string;
}

const researchIdColumn: Column = {
  name: 'research_id',
  type: 'string',
  description: 'Pseudonymous id of the patient in this export only',
  deidentification:
    'Replaces the MRN and every database id; drawn at random per patient per export, not derived from any identifier (45 CFR 164.514(c))',
};
const dayColumn: Column = {
  name: 'day',
  type: 'integer',
  unit: 'days',
  description: "Days since the patient's day zero (their first dose; see patients.csv day_zero)",
  deidentification: 'Relative day: carries no date (Safe Harbor 164.514(b)(2)(i)(C))',
};
const shiftedDateColumn: Column = {
  name: 'shifted_date',
  type: 'date',
  description: 'The day of the event moved by the patient’s date shift: for ordering and intervals only',
  deidentification: `Shifted by a random whole number of days (${dateShiftRange.minDays} to +${dateShiftRange.maxDays}, never 0) per patient per export; the shift is never exported. Not the real date`,
};
const kept = 'Coded value or number; not an identifier';

const columns: Record<'patients.csv' | 'observations.csv' | 'sessions.csv', Column[]> = {
  'patients.csv': [
    researchIdColumn,
    {
      name: 'sex_at_birth',
      type: 'code',
      coding: 'female | male | intersex | unknown',
      description: 'Sex assigned at birth',
      deidentification: kept,
    },
    {
      name: 'age_at_day_zero',
      type: 'string',
      unit: 'years',
      description:
        'Age in whole years at day zero; "90+" when over 89 at day zero or on any later exported day',
      deidentification:
        'Computed from the date of birth, which is not exported; ages over 89 grouped as 90+, also when reached during the exported days (164.514(b)(2)(i)(C))',
    },
    {
      name: 'day_zero',
      type: 'code',
      coding: 'first-dose | first-measure',
      description:
        "What day 0 is: the patient's first dose, or (no dose given yet) the first exported measure",
      deidentification: kept,
    },
    {
      name: 'indication_icd10',
      type: 'code',
      coding: 'ICD-10-CM',
      description: 'Indication of the treatment plan of the first exported dosing session',
      deidentification: 'Code only; the plan’s free-text description is not exported',
    },
    {
      name: 'dosing_sessions',
      type: 'integer',
      description: 'Dosing sessions with a dose in the export’s date range',
      deidentification: kept,
    },
    {
      name: 'observations',
      type: 'integer',
      description: 'Rows of observations.csv for the patient',
      deidentification: kept,
    },
  ],
  'observations.csv': [
    researchIdColumn,
    {
      name: 'instrument',
      type: 'code',
      coding: 'Kapstone instrument id (phq9, gad7, ...)',
      description: 'Questionnaire or rating scale',
      deidentification: kept,
    },
    {
      name: 'measure',
      type: 'code',
      coding: "'total' or 'subscale:<name>'",
      description: 'Which score of the response',
      deidentification: kept,
    },
    {
      name: 'code_system',
      type: 'string',
      description: 'Code system of `code` (http://loinc.org), empty where no code is known',
      deidentification: kept,
    },
    {
      name: 'code',
      type: 'code',
      coding: 'LOINC',
      description: 'LOINC code of the score, where one is known',
      deidentification: kept,
    },
    { name: 'value', type: 'integer', unit: 'points', description: 'The score', deidentification: kept },
    {
      name: 'band',
      type: 'code',
      coding: 'The instrument’s severity bands (@kapstone/clinical)',
      description: 'Severity band of the score',
      deidentification: kept,
    },
    {
      name: 'reason',
      type: 'code',
      coding: 'baseline | pre-dose | weekly | end-of-course | follow-up | staff',
      description: 'Why the measure was due (empty when answered without an assignment)',
      deidentification: kept,
    },
    {
      name: 'schedule_key',
      type: 'code',
      coding: 'baseline | dose:<n> | week:<n> | end-of-course | follow-up:<m>m',
      description: 'Place in the plan’s measure schedule',
      deidentification: kept,
    },
    dayColumn,
    shiftedDateColumn,
  ],
  'sessions.csv': [
    researchIdColumn,
    {
      name: 'session_number',
      type: 'integer',
      description: 'Order of the dosing session in the patient’s record (1 = first dosed session)',
      deidentification: kept,
    },
    dayColumn,
    shiftedDateColumn,
    {
      name: 'product',
      type: 'code',
      coding: 'ketamine-racemic | esketamine',
      description: 'Product given',
      deidentification: kept,
    },
    {
      name: 'route',
      type: 'code',
      coding: 'iv | im | sublingual | oral | intranasal',
      description: 'Route',
      deidentification: kept,
    },
    {
      name: 'protocol',
      type: 'code',
      coding: 'Kapstone protocol id',
      description: 'Protocol of the plan',
      deidentification: kept,
    },
    {
      name: 'indication_icd10',
      type: 'code',
      coding: 'ICD-10-CM',
      description: 'Indication of the session’s treatment plan',
      deidentification: 'Code only; the free-text description is not exported',
    },
    {
      name: 'outcome',
      type: 'code',
      coding: 'discharged | aborted | in-progress',
      description: 'How the session ended',
      deidentification: 'Coded; the free-text abort reason is not exported',
    },
    {
      name: 'minutes_to_end',
      type: 'integer',
      unit: 'min',
      description: 'Minutes from the start of dosing to discharge or abort',
      deidentification: 'Duration only; no clock time',
    },
    { name: 'doses', type: 'integer', description: 'Doses given in the session', deidentification: kept },
    {
      name: 'total_dose_mg',
      type: 'decimal',
      unit: 'mg',
      description: 'Sum of the doses given',
      deidentification: 'Lot numbers and ledger ids are not exported',
    },
    {
      name: 'max_systolic',
      type: 'integer',
      unit: 'mm[Hg]',
      description: 'Highest systolic blood pressure of the session',
      deidentification: kept,
    },
    {
      name: 'max_diastolic',
      type: 'integer',
      unit: 'mm[Hg]',
      description: 'Highest diastolic blood pressure',
      deidentification: kept,
    },
    {
      name: 'max_heart_rate',
      type: 'integer',
      unit: '/min',
      description: 'Highest heart rate',
      deidentification: kept,
    },
    { name: 'min_spo2', type: 'integer', unit: '%', description: 'Lowest SpO₂', deidentification: kept },
    {
      name: 'min_moaas',
      type: 'integer',
      unit: 'points (0–5)',
      description: 'Deepest sedation (lowest MOAA/S)',
      deidentification: kept,
    },
    {
      name: 'max_cadss6',
      type: 'integer',
      unit: 'points (0–24)',
      description: 'Highest CADSS-6 dissociation total',
      deidentification: kept,
    },
    {
      name: 'adverse_events',
      type: 'integer',
      description: 'Adverse events of the session (current versions)',
      deidentification: 'Counted; their descriptions and actions (free text) are not exported',
    },
    {
      name: 'serious_adverse_events',
      type: 'integer',
      description: 'Of which serious',
      deidentification: kept,
    },
    {
      name: 'adverse_event_categories',
      type: 'code',
      coding: 'Kapstone adverse-event categories, separated by ;',
      description: 'Categories of the adverse events',
      deidentification: kept,
    },
  ],
};

const ndjsonColumns: Column[] = [
  {
    name: 'Patient',
    type: 'string',
    description: 'FHIR R4 Patient: id = research_id, gender, extension age-at-day-zero',
    deidentification: 'No name, identifier, birthDate, address, telecom or contact',
  },
  {
    name: 'Observation',
    type: 'string',
    coding: 'LOINC',
    description: 'FHIR R4 Observation per row of observations.csv (valueInteger, effectiveDateTime shifted)',
    deidentification: 'Shifted date; extension days-since-day-zero; subject = Patient/research_id',
  },
  {
    name: 'MedicationAdministration',
    type: 'string',
    description: 'FHIR R4 MedicationAdministration per dose: product as text, route, dose in mg',
    deidentification:
      'Shifted date; no lot, no staff. No RxNorm code: @kapstone/clinical holds none for ketamine',
  },
];

/** Numbers as they are (a negative day stays a number); text through the audit CSV's formula-safe cell. */
const cell = (value: unknown) => (typeof value === 'number' ? String(value) : csvCell(value));
const row = (cells: unknown[]) => cells.map(cell).join(',');
const csv = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

export interface ExportFile {
  name: string;
  contentType: string;
  content: string;
  rowCount: number;
}

const extensionBase = 'https://kapstone.dev/fhir/StructureDefinition';
const fhirGender: Record<SexAtBirth, string> = {
  female: 'female',
  male: 'male',
  intersex: 'other',
  unknown: 'unknown',
};
const medicationText: Record<Product, string> = {
  'ketamine-racemic': 'ketamine (racemic)',
  esketamine: 'esketamine',
};

/**
 * Renders the files of an export from its de-identified subjects. Subjects are ordered by research id (random),
 * so the order of rows says nothing about MRNs or when patients joined the clinic.
 */
export function renderExportFiles(subjects: Subject[], formats: readonly ('csv' | 'ndjson')[]): ExportFile[] {
  const ordered = [...subjects].sort((a, b) => a.researchId.localeCompare(b.researchId));
  const prepared = ordered.map((s) => {
    const f = s.facts;
    const firstMeasure = [...f.observations].sort((a, b) => a.day.localeCompare(b.day))[0]?.day ?? null;
    const dayZero = f.firstDoseDay ?? firstMeasure ?? f.sessions[0]?.day ?? null;
    const kind = f.firstDoseDay ? 'first-dose' : 'first-measure';
    // The latest exported day: an 89-year-old at day zero who is 90 by then is exported as 90+.
    const lastDay = [...f.observations.map((o) => o.day), ...f.sessions.map((x) => x.day)].reduce(
      (latest, day) => (day > latest ? day : latest),
      dayZero ?? '',
    );
    const age = dayZero ? exportedAge(f.dateOfBirth, dayZero, lastDay) : null;
    const rel = (day: string) => (dayZero ? daysBetween(dayZero, day) : null);
    const shifted = (day: string) => shiftDay(day, s.shiftDays);
    return { s, f, dayZero, kind, age, rel, shifted };
  });

  const files: ExportFile[] = [];
  if (formats.includes('csv')) {
    const patients = [row(columns['patients.csv'].map((c) => c.name))];
    const observationLines = [row(columns['observations.csv'].map((c) => c.name))];
    const sessionLines = [row(columns['sessions.csv'].map((c) => c.name))];
    for (const { s, f, kind, age, rel, shifted } of prepared) {
      patients.push(
        row([
          s.researchId,
          f.sexAtBirth,
          age,
          kind,
          f.sessions[0]?.indicationIcd10 ?? null,
          f.sessions.length,
          f.observations.length,
        ]),
      );
      for (const o of f.observations)
        observationLines.push(
          row([
            s.researchId,
            o.instrument,
            o.key,
            o.codeSystem,
            o.code,
            o.value,
            o.band,
            o.reason,
            o.scheduleKey,
            rel(o.day),
            shifted(o.day),
          ]),
        );
      for (const x of f.sessions)
        sessionLines.push(
          row([
            s.researchId,
            x.number,
            rel(x.day),
            shifted(x.day),
            x.product,
            x.route,
            x.protocolId,
            x.indicationIcd10,
            x.outcome,
            x.minutesToEnd,
            x.doses.length,
            Math.round(x.doses.reduce((sum, d) => sum + d.doseMg, 0) * 1000) / 1000,
            x.maxSystolic,
            x.maxDiastolic,
            x.maxHeartRate,
            x.minSpo2,
            x.minMoaas,
            x.maxCadss6,
            x.adverseEvents,
            x.seriousAdverseEvents,
            x.adverseEventCategories.join(';'),
          ]),
        );
    }
    files.push(
      {
        name: 'patients.csv',
        contentType: 'text/csv',
        content: csv(patients),
        rowCount: patients.length - 1,
      },
      {
        name: 'observations.csv',
        contentType: 'text/csv',
        content: csv(observationLines),
        rowCount: observationLines.length - 1,
      },
      {
        name: 'sessions.csv',
        contentType: 'text/csv',
        content: csv(sessionLines),
        rowCount: sessionLines.length - 1,
      },
    );
  }
  if (formats.includes('ndjson')) {
    const resources: object[] = [];
    for (const { s, f, age } of prepared)
      resources.push({
        resourceType: 'Patient',
        id: s.researchId,
        gender: fhirGender[f.sexAtBirth],
        ...(age ? { extension: [{ url: `${extensionBase}/age-at-day-zero`, valueString: age }] } : {}),
      });
    for (const { s, f, rel, shifted } of prepared)
      f.observations.forEach((o, i) => {
        const name = `${instruments[o.instrument]?.shortName ?? o.instrument} ${o.key}`;
        resources.push({
          resourceType: 'Observation',
          id: `${s.researchId}-obs-${i + 1}`,
          status: 'final',
          category: [
            {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' },
              ],
            },
          ],
          code: {
            ...(o.code && o.codeSystem ? { coding: [{ system: o.codeSystem, code: o.code }] } : {}),
            text: name,
          },
          subject: { reference: `Patient/${s.researchId}` },
          effectiveDateTime: shifted(o.day),
          ...(o.value === null ? {} : { valueInteger: o.value }),
          ...(o.band ? { interpretation: [{ text: o.band }] } : {}),
          extension: [{ url: `${extensionBase}/days-since-day-zero`, valueInteger: rel(o.day) }],
        });
      });
    for (const { s, f, rel, shifted } of prepared)
      for (const x of f.sessions)
        for (const d of x.doses)
          resources.push({
            resourceType: 'MedicationAdministration',
            id: `${s.researchId}-dose-${x.number}-${d.sequence}`,
            status: 'completed',
            medicationCodeableConcept: { text: medicationText[d.product] },
            subject: { reference: `Patient/${s.researchId}` },
            effectiveDateTime: shifted(d.day),
            dosage: {
              route: { text: d.route },
              dose: { value: d.doseMg, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' },
            },
            extension: [{ url: `${extensionBase}/days-since-day-zero`, valueInteger: rel(d.day) }],
          });
    files.push({
      name: 'bundle.ndjson',
      contentType: 'application/fhir+ndjson',
      content: resources.map((r) => `${JSON.stringify(r)}\n`).join(''),
      rowCount: resources.length,
    });
  }
  files.push(dataDictionary(formats));
  return files;
}

/** Every column of every file: type, unit, coding system, and the de-identification applied. */
function dataDictionary(formats: readonly ('csv' | 'ndjson')[]): ExportFile {
  const lines = [row(['file', 'column', 'type', 'unit', 'coding_system', 'description', 'deidentification'])];
  const add = (file: string, list: Column[]) => {
    for (const c of list)
      lines.push(
        row([file, c.name, c.type, c.unit ?? '', c.coding ?? '', c.description, c.deidentification]),
      );
  };
  if (formats.includes('csv')) for (const [file, list] of Object.entries(columns)) add(file, list);
  if (formats.includes('ndjson')) add('bundle.ndjson', ndjsonColumns);
  return {
    name: 'data-dictionary.csv',
    contentType: 'text/csv',
    content: csv(lines),
    rowCount: lines.length - 1,
  };
}

/** The columns of each CSV file, as the data dictionary lists them (for tests). */
export const exportColumns = columns;
