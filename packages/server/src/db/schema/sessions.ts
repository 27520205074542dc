// Tables for dosing sessions: the lifecycle, the pre-dose checklist, doses, observations and discharge
// (helper: sessions-core). Vital signs of a session live in `vital_signs` (context 'session').
import type {
  DischargeInput,
  DoseCalculation,
  PreDoseGateInput,
  Product,
  Route,
  SessionEventKind,
  SessionState,
} from '@kapstone/clinical';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { userAccount } from './identity.ts';
import { patient } from './patients.ts';
import { treatmentPlan } from './plans.ts';
import { appointment } from './scheduling.ts';

/**
 * One dosing session, one per booked dosing appointment: created at check-in from the appointment (its
 * plan, protocol, route and product are copied so the session keeps what it was booked under). `state` is
 * the current state of @kapstone/clinical's session lifecycle; every change of it is a row of
 * `dosing_session_event` written in the same transaction, so the history is never lost.
 */
export const dosingSession = pgTable(
  'dosing_session',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    appointmentId: uuid('appointment_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    planId: uuid('plan_id').notNull(),
    protocolId: text('protocol_id').notNull(),
    route: text('route').$type<Route>().notNull(),
    product: text('product').$type<Product>().notNull(),
    state: text('state').$type<SessionState>().notNull(),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }).notNull(),
    checkedInBy: uuid('checked_in_by').notNull(),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
    /** Start of the first dose: the clock of the observation schedule and of discharge. */
    dosingStartedAt: timestamp('dosing_started_at', { withTimezone: true }),
    monitoringStartedAt: timestamp('monitoring_started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    abortReason: text('abort_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('dosing_session_id_key').on(t.id),
    unique('dosing_session_appointment_key').on(t.clinicId, t.appointmentId),
    foreignKey({
      columns: [t.clinicId, t.appointmentId],
      foreignColumns: [appointment.clinicId, appointment.id],
    }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({
      columns: [t.clinicId, t.planId],
      foreignColumns: [treatmentPlan.clinicId, treatmentPlan.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.checkedInBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    index('dosing_session_patient_idx').on(t.clinicId, t.patientId, t.checkedInAt),
    index('dosing_session_state_idx').on(t.clinicId, t.state),
    check(
      'dosing_session_state_check',
      sql`${t.state} IN ('scheduled', 'checked-in', 'cleared-to-dose', 'dosing', 'monitoring', 'discharged', 'aborted')`,
    ),
    check('dosing_session_abort_reason', sql`(${t.state} = 'aborted') = (${t.abortReason} IS NOT NULL)`),
    check(
      'dosing_session_ended',
      sql`(${t.state} IN ('discharged', 'aborted')) = (${t.endedAt} IS NOT NULL)`,
    ),
  ],
);

/** Every transition of a session: who, when, from and to, and why. Append-only (trigger). */
export const dosingSessionEvent = pgTable(
  'dosing_session_event',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    kind: text('kind').$type<SessionEventKind>().notNull(),
    fromState: text('from_state').$type<SessionState>().notNull(),
    toState: text('to_state').$type<SessionState>().notNull(),
    reason: text('reason'),
    /** Ids of what the transition rests on (checklist, override, administration, discharge record). */
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
    actorId: uuid('actor_id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('dosing_session_event_id_key').on(t.id),
    foreignKey({
      columns: [t.clinicId, t.sessionId],
      foreignColumns: [dosingSession.clinicId, dosingSession.id],
    }),
    foreignKey({ columns: [t.clinicId, t.actorId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
    index('dosing_session_event_session_idx').on(t.clinicId, t.sessionId, t.occurredAt),
  ],
);

/** What the nurse recorded at the pre-dose checklist (the rest comes from the chart). */
export interface PreDoseChecklistAnswers {
  hoursSinceFood: number | null;
  hoursSinceLiquids: number | null;
  pregnant: boolean | null;
  pregnancyTestNegative: boolean | null;
  medicationChanges: { name: string }[];
  suicideRiskAssessedToday: boolean;
  escortPresent: boolean;
  note: string | null;
}

/** Where each fact the gate was fed came from (ids and times). */
export interface PreDoseChecklistSources {
  baselineVitalsId: string | null;
  baselineMoaasObservationId: string | null;
  rideHomeId: string | null;
  noDrivingAcknowledgementId: string | null;
  scores: { instrument: string; respondedAt: string }[];
  preparationNoteId: string | null;
  preparationVersion: number | null;
  intentions: string[];
}

/**
 * One run of the pre-dose checklist: the answers, the exact input preDoseGate saw and its result.
 * Append-only (trigger); running it again adds a row, the newest counts.
 */
export const preDoseChecklist = pgTable(
  'pre_dose_checklist',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    answers: jsonb('answers').$type<PreDoseChecklistAnswers>().notNull(),
    gateInput: jsonb('gate_input').$type<PreDoseGateInput>().notNull(),
    sources: jsonb('sources').$type<PreDoseChecklistSources>().notNull(),
    blockers: jsonb('blockers').$type<string[]>().notNull(),
    cautions: jsonb('cautions').$type<string[]>().notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('pre_dose_checklist_id_key').on(t.id),
    foreignKey({
      columns: [t.clinicId, t.sessionId],
      foreignColumns: [dosingSession.clinicId, dosingSession.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.recordedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    index('pre_dose_checklist_session_idx').on(t.clinicId, t.sessionId, t.recordedAt),
  ],
);

/**
 * A prescriber's override of the cautions of one checklist run, with a rationale and a password re-entry
 * (signature). Only cautions: the lifecycle refuses an override of a blocker. Append-only (trigger).
 */
export const preDoseOverride = pgTable(
  'pre_dose_override',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    checklistId: uuid('checklist_id').notNull(),
    cautions: jsonb('cautions').$type<string[]>().notNull(),
    rationale: text('rationale').notNull(),
    prescriberId: uuid('prescriber_id').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('pre_dose_override_id_key').on(t.id),
    unique('pre_dose_override_checklist_key').on(t.clinicId, t.checklistId),
    foreignKey({
      columns: [t.clinicId, t.sessionId],
      foreignColumns: [dosingSession.clinicId, dosingSession.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.checklistId],
      foreignColumns: [preDoseChecklist.clinicId, preDoseChecklist.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.prescriberId],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    check('pre_dose_override_rationale', sql`length(trim(${t.rationale})) > 0`),
  ],
);

/**
 * One dose given (the first or an additional one). The id is the client's, so a retried request finds its
 * own row. Product, lot, concentration and expiry are copied from the ledger lot at the moment of the draw,
 * and `ledger_entry_id` is the ledger's administration entry written in the same transaction.
 * Append-only (trigger): a mistaken record is corrected in the ledger by a reversing entry, never here.
 */
export const doseAdministration = pgTable(
  'dose_administration',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** 1 for the first dose of the session, 2... for additional doses. */
    sequence: integer('sequence').notNull(),
    product: text('product').$type<Product>().notNull(),
    route: text('route').$type<Route>().notNull(),
    site: text('site'),
    lotId: uuid('lot_id').notNull(),
    lotNumber: text('lot_number').notNull(),
    lotExpiry: text('lot_expiry').notNull(),
    /** As the lot states it, e.g. 50 mg/mL, or 28 mg per device. */
    concentration: numeric('concentration', { mode: 'number' }).notNull(),
    concentrationUnit: text('concentration_unit').notNull(),
    doseMg: numeric('dose_mg', { mode: 'number' }).notNull(),
    /** mL for a solution; null for devices and tablets. */
    volumeMl: numeric('volume_ml', { mode: 'number' }),
    /** Esketamine devices (28 mg each). */
    devices: smallint('devices'),
    /** The quantity drawn from the ledger, in the lot's unit. */
    quantity: numeric('quantity', { mode: 'number' }).notNull(),
    calculation: jsonb('calculation').$type<DoseCalculation>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    administeredBy: uuid('administered_by').notNull(),
    secondSignerId: uuid('second_signer_id'),
    ledgerEntryId: uuid('ledger_entry_id').notNull(),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('dose_administration_id_key').on(t.id),
    unique('dose_administration_sequence_key').on(t.clinicId, t.sessionId, t.sequence),
    foreignKey({
      columns: [t.clinicId, t.sessionId],
      foreignColumns: [dosingSession.clinicId, dosingSession.id],
    }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({
      columns: [t.clinicId, t.administeredBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.secondSignerId],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    index('dose_administration_session_idx').on(t.clinicId, t.sessionId, t.startedAt),
    check('dose_administration_positive', sql`${t.doseMg} > 0 AND ${t.quantity} > 0`),
    check(
      'dose_administration_second_signer',
      sql`${t.secondSignerId} IS NULL OR ${t.secondSignerId} <> ${t.administeredBy}`,
    ),
    check('dose_administration_times', sql`${t.endedAt} IS NULL OR ${t.endedAt} >= ${t.startedAt}`),
  ],
);

export const sessionObservationKinds = ['moaas', 'cadss6', 'side-effects'] as const;
export type SessionObservationKind = (typeof sessionObservationKinds)[number];

/** The side effects the console offers (issue 5), a fixed list so they can be counted. */
export const sideEffects = [
  'nausea',
  'vomiting',
  'dizziness',
  'headache',
  'anxiety',
  'confusion',
  'perceptual-changes',
] as const;
export type SideEffect = (typeof sideEffects)[number];

/**
 * An observation during the session: sedation (MOAA/S 0–5), dissociation (CADSS-6 answers and total, scored
 * by @kapstone/clinical) or side effects. Client-generated id (idempotent retry). Append-only (trigger).
 */
export const sessionObservation = pgTable(
  'session_observation',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    kind: text('kind').$type<SessionObservationKind>().notNull(),
    moaas: smallint('moaas'),
    cadss6Answers: jsonb('cadss6_answers').$type<number[]>(),
    cadss6Total: smallint('cadss6_total'),
    sideEffects: jsonb('side_effects').$type<SideEffect[]>(),
    note: text('note'),
    observedAt: timestamp('observed_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('session_observation_id_key').on(t.id),
    foreignKey({
      columns: [t.clinicId, t.sessionId],
      foreignColumns: [dosingSession.clinicId, dosingSession.id],
    }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({
      columns: [t.clinicId, t.recordedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    index('session_observation_session_idx').on(t.clinicId, t.sessionId, t.observedAt),
    check('session_observation_kind_check', sql`${t.kind} IN ('moaas', 'cadss6', 'side-effects')`),
    check(
      'session_observation_shape',
      sql`(${t.kind} = 'moaas' AND ${t.moaas} BETWEEN 0 AND 5 AND ${t.cadss6Total} IS NULL AND ${t.sideEffects} IS NULL)
        OR (${t.kind} = 'cadss6' AND ${t.moaas} IS NULL AND ${t.cadss6Total} BETWEEN 0 AND 24 AND ${t.cadss6Answers} IS NOT NULL AND ${t.sideEffects} IS NULL)
        OR (${t.kind} = 'side-effects' AND ${t.moaas} IS NULL AND ${t.cadss6Total} IS NULL AND ${t.sideEffects} IS NOT NULL)`,
    ),
  ],
);

/**
 * How the session ended well: the dischargeReadiness snapshot (its input and result), the prescriber's
 * override rationale when a criterion was unmet, the escort and the instructions given. One per session;
 * append-only (trigger).
 */
export const sessionDischarge = pgTable(
  'session_discharge',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    readinessInput: jsonb('readiness_input').$type<DischargeInput>().notNull(),
    ready: boolean('ready').notNull(),
    unmet: jsonb('unmet').$type<string[]>().notNull(),
    overrideRationale: text('override_rationale'),
    overriddenBy: uuid('overridden_by'),
    escortName: text('escort_name'),
    /** The discharge instructions were given to the patient and escort (required to discharge). */
    instructionsGiven: boolean('instructions_given').notNull(),
    note: text('note'),
    dischargedBy: uuid('discharged_by').notNull(),
    dischargedAt: timestamp('discharged_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('session_discharge_id_key').on(t.id),
    unique('session_discharge_session_key').on(t.clinicId, t.sessionId),
    foreignKey({
      columns: [t.clinicId, t.sessionId],
      foreignColumns: [dosingSession.clinicId, dosingSession.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.dischargedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.overriddenBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    check('session_discharge_instructions', sql`${t.instructionsGiven}`),
    check(
      'session_discharge_override',
      sql`${t.ready} OR (${t.overrideRationale} IS NOT NULL AND length(trim(${t.overrideRationale})) > 0 AND ${t.overriddenBy} IS NOT NULL)`,
    ),
  ],
);
