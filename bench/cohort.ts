import { randomUUID } from 'node:crypto';
import { type InstrumentScore, instruments, scoreInstrument } from '@kapstone/clinical';
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../packages/server/src/db/client.ts';
import {
  consentTemplate,
  consentTemplateVersion,
  consentWithdrawal,
  roleAssignment,
  userAccount,
} from '../packages/server/src/db/schema/index.ts';
import { addMonths } from '../packages/server/src/modules/outcomes/outcomes.course.ts';
import { answersFor } from '../packages/server/src/modules/outcomes/outcomes.fixture.ts';
import { hashPassword } from '../packages/server/src/security/passwords.ts';
import { generatePractice } from './practice.ts';

/**
 * A synthetic cohort for the issue-6 benchmarks, written straight to the tables with `unnest` (the service
 * path would take minutes), with rows the services would accept: one clinic, a prescriber on every care
 * team, an admin, and per patient a portal account, a signed treatment plan (IM racemic ketamine), six
 * discharged dosing sessions twice a week with one dose and two vital-sign readings each, and a measure
 * schedule of PHQ-9 and GAD-7 (baseline, before doses 3 and 5, end of course, 1- and 3-month follow-up),
 * each assignment completed by a response scored with `scoreInstrument` and its total observation. Most
 * patients signed the research consent; a few withdrew it.
 *
 * Not written: controlled-substance ledger entries (`dose_administration.ledger_entry_id` is a random id; no
 * foreign key), session observations, adverse events, journal entries.
 */
export interface Cohort {
  clinicId: string;
  password: string;
  prescriberEmail: string;
  adminEmail: string;
  patientIds: string[];
  consented: number;
  rows: Record<string, number>;
}

const day = 86_400_000;
type Column = [name: string, type: string];

/** Inserts rows column-wise through `unnest`, in chunks (one statement per chunk). */
async function bulkInsert(db: Database, table: string, columns: Column[], rows: unknown[][]): Promise<void> {
  const names = sql.raw(columns.map(([name]) => name).join(', '));
  for (let start = 0; start < rows.length; start += 4000) {
    const chunk = rows.slice(start, start + 4000);
    const arrays: SQL[] = columns.map(
      ([, type], i) =>
        sql`${sql.param(chunk.map((row) => (row[i] === undefined ? null : row[i])))}::${sql.raw(type)}[]`,
    );
    await db.execute(
      sql`INSERT INTO ${sql.raw(table)} (${names}) SELECT * FROM unnest(${sql.join(arrays, sql`, `)})`,
    );
  }
}

/** A small deterministic generator, so every run builds the same cohort. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function generateCohort(db: Database, patients: number): Promise<Cohort> {
  const practice = await generatePractice(db, 1, patients);
  const home = practice.clinics[0]!;
  const clinicId = home.id;
  const now = new Date();
  const [prescriber] = await db
    .execute(
      sql`SELECT id FROM user_account WHERE clinic_id = ${clinicId} AND email = ${home.prescriberEmail}`,
    )
    .then((r) => (r as unknown as { rows: { id: string }[] }).rows);
  const prescriberId = prescriber!.id;
  const passwordHash = await hashPassword(practice.password);

  const adminId = randomUUID();
  const adminEmail = `admin-${clinicId.slice(0, 8)}@bench.example`;
  await db.insert(userAccount).values({
    id: adminId,
    clinicId,
    email: adminEmail,
    displayName: 'Bench Admin',
    kind: 'staff',
    passwordHash,
    passwordChangedAt: now,
    createdAt: now,
  });
  await db.insert(roleAssignment).values({ clinicId, userId: adminId, role: 'admin', grantedAt: now });

  const templateId = randomUUID();
  const templateVersionId = randomUUID();
  const consentPublished = new Date('2025-12-01T12:00:00Z');
  await db.insert(consentTemplate).values({
    id: templateId,
    clinicId,
    kind: 'research',
    title: 'Research use of de-identified data',
    required: false,
    routes: [],
    createdAt: consentPublished,
    createdBy: adminId,
  });
  await db.insert(consentTemplateVersion).values({
    id: templateVersionId,
    clinicId,
    templateId,
    version: 1,
    title: 'Research use of de-identified data',
    body: 'I, {{patientName}}, agree that my de-identified data may be used for research.',
    publishedAt: consentPublished,
    publishedBy: adminId,
  });

  const random = prng(20261202);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const scores = new Map<string, InstrumentScore>();
  const scoreOf = (instrument: 'phq9' | 'gad7', total: number) => {
    const key = `${instrument}:${total}`;
    let score = scores.get(key);
    if (!score) {
      score = scoreInstrument(instrument, answersFor(instrument, total));
      if (score.total !== total) throw new Error(`answers for ${key} score ${score.total}`);
      scores.set(key, score);
    }
    return score;
  };
  const calc = JSON.stringify({ doseMg: 35, level: 'ok', messages: [] });
  const doseCalc = JSON.stringify({ doseMg: 35, volumeMl: 0.7, level: 'ok', messages: [] });
  const rows = {
    accounts: [] as unknown[][],
    plans: [] as unknown[][],
    appointments: [] as unknown[][],
    sessions: [] as unknown[][],
    doses: [] as unknown[][],
    vitals: [] as unknown[][],
    assignments: [] as unknown[][],
    responses: [] as unknown[][],
    observations: [] as unknown[][],
    signatures: [] as unknown[][],
  };
  const withdrawals: (typeof consentWithdrawal.$inferInsert)[] = [];
  let consented = 0;

  home.patientIds.forEach((patientId, i) => {
    const accountId = randomUUID();
    rows.accounts.push([
      accountId,
      clinicId,
      `patient-${i}-${clinicId.slice(0, 8)}@bench.example`,
      `Bench Patient ${i}`,
      'patient',
      patientId,
      passwordHash,
      now.toISOString(),
      now.toISOString(),
    ]);
    // First doses spread over Jan–Aug 2026, so the 3-month follow-ups lie before today (Dec 2026).
    const firstDose = new Date(Date.UTC(2026, 0, 5, 14, 0) + (i % 230) * day);
    const doseTimes = [0, 3, 7, 10, 14, 17].map((d) => new Date(firstDose.getTime() + d * day));
    const lastDose = doseTimes.at(-1)!;
    const planId = randomUUID();
    const planCreated = new Date(firstDose.getTime() - 10 * day).toISOString();
    const indication =
      i % 4 === 3
        ? ['F43.10', 'Post-traumatic stress disorder, unspecified']
        : ['F33.2', 'Major depressive disorder, recurrent severe without psychotic features'];
    rows.plans.push([
      planId,
      clinicId,
      patientId,
      planId,
      1,
      'signed',
      indication[0],
      indication[1],
      'kap-im',
      'im',
      'ketamine-racemic',
      firstDose.toISOString().slice(0, 10),
      6,
      '{}',
      'mg',
      35,
      70,
      calc,
      calc,
      '[]',
      '[]',
      '[]',
      planCreated,
      prescriberId,
      planCreated,
      prescriberId,
      planCreated,
      prescriberId,
      randomUUID(),
    ]);
    for (const start of doseTimes) {
      const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000).toISOString();
      const appointmentId = randomUUID();
      const sessionId = randomUUID();
      rows.appointments.push([appointmentId, clinicId, patientId, 'dosing', at(-30), at(150), planCreated]);
      rows.sessions.push([
        sessionId,
        clinicId,
        appointmentId,
        patientId,
        planId,
        'kap-im',
        'im',
        'ketamine-racemic',
        'discharged',
        at(-25),
        prescriberId,
        at(-5),
        start.toISOString(),
        at(5),
        at(125),
        at(125),
      ]);
      rows.doses.push([
        randomUUID(),
        clinicId,
        sessionId,
        patientId,
        1,
        'ketamine-racemic',
        'im',
        'deltoid',
        randomUUID(),
        'LOT-BENCH-1',
        '2027-12-31',
        50,
        'mg/mL',
        35,
        0.7,
        0.7,
        doseCalc,
        start.toISOString(),
        prescriberId,
        randomUUID(),
        start.toISOString(),
      ]);
      for (const [minutes, systolic, diastolic, heartRate] of [
        [-10, 124, 78, 72],
        [40, 138 + int(0, 20), 84 + int(0, 10), 80 + int(0, 15)],
      ] as const) {
        rows.vitals.push([
          randomUUID(),
          clinicId,
          patientId,
          'session',
          sessionId,
          systolic,
          diastolic,
          heartRate,
          int(95, 99),
          at(minutes),
          at(minutes),
          prescriberId,
        ]);
      }
    }
    // The schedule: where each answer sits, when it was given, and the fraction of the way to the patient's
    // end point (responders, partial responders and non-responders in turn).
    const schedule: [reason: string, key: string, at: Date, progress: number][] = [
      ['baseline', 'baseline', new Date(firstDose.getTime() - 3 * day), 0],
      ['pre-dose', 'dose:3', new Date(doseTimes[2]!.getTime() - 3_600_000), 0.4],
      ['pre-dose', 'dose:5', new Date(doseTimes[4]!.getTime() - 3_600_000), 0.7],
      ['end-of-course', 'end-of-course', new Date(lastDose.getTime() + 7 * day), 1],
      ['follow-up', 'follow-up:1m', addMonths(lastDose, 1), 0.95],
      ['follow-up', 'follow-up:3m', addMonths(lastDose, 3), 0.85],
    ];
    const endFraction = [0.3, 0.6, 0.95][i % 3]!;
    for (const [instrument, low, high] of [
      ['phq9', 12, 24],
      ['gad7', 10, 21],
    ] as const) {
      const baseline = int(low, high);
      const end = Math.round(baseline * endFraction);
      for (const [reason, scheduleKey, at, progress] of schedule) {
        const total = Math.max(
          0,
          Math.min(high, Math.round(baseline + (end - baseline) * progress) + int(-1, 1)),
        );
        const score = scoreOf(instrument, total);
        const assignmentId = randomUUID();
        const responseId = randomUUID();
        const definition = instruments[instrument];
        const assignedAt = new Date(at.getTime() - 2 * day).toISOString();
        rows.assignments.push([
          assignmentId,
          clinicId,
          patientId,
          instrument,
          reason,
          'patient',
          at.toISOString().slice(0, 10),
          'completed',
          assignedAt,
          prescriberId,
          at.toISOString(),
          responseId,
          planId,
          scheduleKey,
        ]);
        rows.responses.push([
          responseId,
          clinicId,
          patientId,
          assignmentId,
          instrument,
          JSON.stringify(answersFor(instrument, total)),
          JSON.stringify(score),
          '{}',
          'patient',
          accountId,
          at.toISOString(),
        ]);
        rows.observations.push([
          randomUUID(),
          clinicId,
          patientId,
          responseId,
          instrument,
          'total',
          definition.loinc?.total ? 'http://loinc.org' : null,
          definition.loinc?.total ?? null,
          `${definition.shortName} total score`,
          score.total,
          score.band,
          at.toISOString(),
        ]);
      }
    }
    if (i % 5 !== 4) {
      const signatureId = randomUUID();
      const signedAt = new Date(firstDose.getTime() - 12 * day);
      rows.signatures.push([
        signatureId,
        clinicId,
        patientId,
        templateVersionId,
        accountId,
        `Bench Patient ${i}`,
        true,
        signedAt.toISOString(),
        `I, Bench Patient ${i}, agree that my de-identified data may be used for research.`,
        'a'.repeat(64),
      ]);
      if (i % 50 === 1) {
        withdrawals.push({
          id: randomUUID(),
          clinicId,
          signatureId,
          recordedBy: accountId,
          recordedByKind: 'patient',
          withdrawnAt: new Date(signedAt.getTime() + 30 * day),
          reason: null,
        });
      } else consented++;
    }
  });

  const u = 'uuid';
  const t = 'text';
  const ts = 'timestamptz';
  await bulkInsert(
    db,
    'user_account',
    [
      ['id', u],
      ['clinic_id', u],
      ['email', t],
      ['display_name', t],
      ['kind', t],
      ['patient_id', u],
      ['password_hash', t],
      ['password_changed_at', ts],
      ['created_at', ts],
    ],
    rows.accounts,
  );
  await bulkInsert(
    db,
    'treatment_plan',
    [
      ['id', u],
      ['clinic_id', u],
      ['patient_id', u],
      ['series_id', u],
      ['version', 'int4'],
      ['status', t],
      ['indication_icd10', t],
      ['indication_description', t],
      ['protocol_id', t],
      ['route', t],
      ['product', t],
      ['start_date', 'date'],
      ['dosing_sessions', 'int4'],
      ['course_options', 'jsonb'],
      ['dose_unit', t],
      ['starting_dose', 'numeric'],
      ['maximum_dose', 'numeric'],
      ['starting_dose_calculation', 'jsonb'],
      ['maximum_dose_calculation', 'jsonb'],
      ['planned_course', 'jsonb'],
      ['goals', 'jsonb'],
      ['intentions', 'jsonb'],
      ['created_at', ts],
      ['created_by', u],
      ['updated_at', ts],
      ['updated_by', u],
      ['signed_at', ts],
      ['signed_by', u],
      ['signature_id', u],
    ],
    rows.plans,
  );
  await bulkInsert(
    db,
    'appointment',
    [
      ['id', u],
      ['clinic_id', u],
      ['patient_id', u],
      ['kind', t],
      ['starts_at', ts],
      ['ends_at', ts],
      ['created_at', ts],
    ],
    rows.appointments,
  );
  await bulkInsert(
    db,
    'dosing_session',
    [
      ['id', u],
      ['clinic_id', u],
      ['appointment_id', u],
      ['patient_id', u],
      ['plan_id', u],
      ['protocol_id', t],
      ['route', t],
      ['product', t],
      ['state', t],
      ['checked_in_at', ts],
      ['checked_in_by', u],
      ['cleared_at', ts],
      ['dosing_started_at', ts],
      ['monitoring_started_at', ts],
      ['ended_at', ts],
      ['updated_at', ts],
    ],
    rows.sessions,
  );
  await bulkInsert(
    db,
    'dose_administration',
    [
      ['id', u],
      ['clinic_id', u],
      ['session_id', u],
      ['patient_id', u],
      ['sequence', 'int4'],
      ['product', t],
      ['route', t],
      ['site', t],
      ['lot_id', u],
      ['lot_number', t],
      ['lot_expiry', t],
      ['concentration', 'numeric'],
      ['concentration_unit', t],
      ['dose_mg', 'numeric'],
      ['volume_ml', 'numeric'],
      ['quantity', 'numeric'],
      ['calculation', 'jsonb'],
      ['started_at', ts],
      ['administered_by', u],
      ['ledger_entry_id', u],
      ['recorded_at', ts],
    ],
    rows.doses,
  );
  await bulkInsert(
    db,
    'vital_signs',
    [
      ['id', u],
      ['clinic_id', u],
      ['patient_id', u],
      ['context', t],
      ['session_id', u],
      ['systolic', 'int4'],
      ['diastolic', 'int4'],
      ['heart_rate', 'int4'],
      ['spo2', 'int4'],
      ['measured_at', ts],
      ['recorded_at', ts],
      ['recorded_by', u],
    ],
    rows.vitals,
  );
  await bulkInsert(
    db,
    'measure_assignment',
    [
      ['id', u],
      ['clinic_id', u],
      ['patient_id', u],
      ['instrument', t],
      ['reason', t],
      ['respondent', t],
      ['due_date', 'date'],
      ['status', t],
      ['assigned_at', ts],
      ['assigned_by', u],
      ['completed_at', ts],
      ['response_id', u],
      ['plan_id', u],
      ['schedule_key', t],
    ],
    rows.assignments,
  );
  await bulkInsert(
    db,
    'questionnaire_response',
    [
      ['id', u],
      ['clinic_id', u],
      ['patient_id', u],
      ['assignment_id', u],
      ['instrument', t],
      ['answers', 'jsonb'],
      ['score', 'jsonb'],
      ['score_context', 'jsonb'],
      ['source', t],
      ['entered_by', u],
      ['authored_at', ts],
    ],
    rows.responses,
  );
  await bulkInsert(
    db,
    'observation',
    [
      ['id', u],
      ['clinic_id', u],
      ['patient_id', u],
      ['response_id', u],
      ['instrument', t],
      ['key', t],
      ['code_system', t],
      ['code', t],
      ['display', t],
      ['value', 'int4'],
      ['band', t],
      ['effective_at', ts],
    ],
    rows.observations,
  );
  await bulkInsert(
    db,
    'consent_signature',
    [
      ['id', u],
      ['clinic_id', u],
      ['patient_id', u],
      ['template_version_id', u],
      ['signed_by', u],
      ['typed_name', t],
      ['agreed', 'bool'],
      ['signed_at', ts],
      ['rendered_text', t],
      ['text_sha256', t],
    ],
    rows.signatures,
  );
  if (withdrawals.length > 0) await db.insert(consentWithdrawal).values(withdrawals);
  await db.execute(sql`ANALYZE`);

  return {
    clinicId,
    password: practice.password,
    prescriberEmail: home.prescriberEmail,
    adminEmail,
    patientIds: home.patientIds,
    consented,
    rows: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.length])),
  };
}
