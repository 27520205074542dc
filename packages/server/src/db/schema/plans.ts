// Tables for treatment plans and preparation notes (helper: plans).
import type { DoseCalculation, PlannedEvent, Product, ProtocolId, Route } from '@kapstone/clinical';
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { userAccount } from './identity.ts';
import { patient, patientCondition } from './patients.ts';

/** A goal or an intention of a plan, optionally carried over from a preparation note (by the note's item id). */
export interface PlanGoal {
  text: string;
  preparationNoteId: string | null;
  preparationItemId: string | null;
}

/** Options handed to `planCourse` (stored so the same course can be shown and checked again). */
export interface PlanCourseOptions {
  dosingSessions?: number;
  maintenanceDoses?: number;
  maintenanceEveryWeeks?: 1 | 2;
}

export const treatmentPlanEndReasons = ['course-complete', 'stopped'] as const;
export type TreatmentPlanEndReason = (typeof treatmentPlanEndReasons)[number];

/**
 * One version of a treatment plan. Versions of the same plan share `series_id` (the id of version 1); a
 * later version `amends_id` the one before it, with a reason. A draft may be edited (optimistic `revision`);
 * once signed, the row is immutable (trigger in the plans migration): superseding and ending are recorded in
 * `treatment_plan_event`, never by changing the signed row. The dose calculations and the planned course are
 * the output of @kapstone/clinical, stored so that what the prescriber signed is preserved.
 */
export const treatmentPlan = pgTable(
  'treatment_plan',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    seriesId: uuid('series_id').notNull(),
    version: integer('version').notNull(),
    amendsId: uuid('amends_id'),
    amendmentReason: text('amendment_reason'),
    /** 'discarded': a draft amendment left unsigned when its plan ended; kept, never signed. */
    status: text('status').$type<'draft' | 'signed' | 'discarded'>().notNull().default('draft'),
    revision: integer('revision').notNull().default(1),
    indicationIcd10: text('indication_icd10').notNull(),
    indicationDescription: text('indication_description').notNull(),
    /** The active diagnosis the indication was taken from, when it is on the problem list. */
    indicationConditionId: uuid('indication_condition_id'),
    protocolId: text('protocol_id').$type<ProtocolId>().notNull(),
    route: text('route').$type<Route>().notNull(),
    product: text('product').$type<Product>().notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    dosingSessions: integer('dosing_sessions').notNull(),
    courseOptions: jsonb('course_options').$type<PlanCourseOptions>().notNull(),
    /** 'mg/kg' for IV and IM, 'mg' for the other routes (as calculateDose takes them). */
    doseUnit: text('dose_unit').$type<'mg/kg' | 'mg'>().notNull(),
    startingDose: numeric('starting_dose', { mode: 'number' }).notNull(),
    maximumDose: numeric('maximum_dose', { mode: 'number' }).notNull(),
    weightKg: numeric('weight_kg', { mode: 'number' }),
    startingDoseCalculation: jsonb('starting_dose_calculation').$type<DoseCalculation>().notNull(),
    maximumDoseCalculation: jsonb('maximum_dose_calculation').$type<DoseCalculation>().notNull(),
    plannedCourse: jsonb('planned_course').$type<PlannedEvent[]>().notNull(),
    goals: jsonb('goals').$type<PlanGoal[]>().notNull(),
    intentions: jsonb('intentions').$type<PlanGoal[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signedBy: uuid('signed_by'),
    /** The client-generated id of the signature request: a retried signature is answered, not repeated. */
    signatureId: uuid('signature_id'),
    /** The signer acknowledged the dose warnings of calculateDose (required when one is 'warning'). */
    doseWarningsAcknowledged: boolean('dose_warnings_acknowledged').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('treatment_plan_id_key').on(t.id),
    unique('treatment_plan_signature_id_key').on(t.signatureId),
    unique('treatment_plan_series_version_key').on(t.clinicId, t.seriesId, t.version),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({ columns: [t.clinicId, t.amendsId], foreignColumns: [t.clinicId, t.id] }),
    foreignKey({
      columns: [t.clinicId, t.indicationConditionId],
      foreignColumns: [patientCondition.clinicId, patientCondition.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.createdBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    foreignKey({ columns: [t.clinicId, t.signedBy], foreignColumns: [userAccount.clinicId, userAccount.id] }),
    /** At most one open draft amendment per plan. */
    uniqueIndex('treatment_plan_one_draft_amendment')
      .on(t.clinicId, t.seriesId)
      .where(sql`status = 'draft' AND amends_id IS NOT NULL`),
    index('treatment_plan_patient_idx').on(t.clinicId, t.patientId),
  ],
);

/**
 * What happens to a signed plan version after signing: it is superseded by a signed amendment, or the plan
 * ends (course complete or stopped). Append-only (trigger); each signed version closes at most once.
 */
export const treatmentPlanEvent = pgTable(
  'treatment_plan_event',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    planId: uuid('plan_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    kind: text('kind').$type<'superseded' | 'ended'>().notNull(),
    /** For 'ended': why the plan ended. */
    reason: text('reason').$type<TreatmentPlanEndReason>(),
    note: text('note'),
    /** For 'superseded': the signed version that replaced this one. */
    supersededById: uuid('superseded_by_id'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('treatment_plan_event_id_key').on(t.id),
    unique('treatment_plan_event_closes_once').on(t.clinicId, t.planId),
    foreignKey({
      columns: [t.clinicId, t.planId],
      foreignColumns: [treatmentPlan.clinicId, treatmentPlan.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.supersededById],
      foreignColumns: [treatmentPlan.clinicId, treatmentPlan.id],
    }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({ columns: [t.clinicId, t.actorId], foreignColumns: [userAccount.clinicId, userAccount.id] }),
  ],
);

export const psychoeducationTopics = [
  'what-it-feels-like',
  'dissociation',
  'nausea',
  'blood-pressure',
  'no-driving',
  'right-to-stop',
  'integration',
] as const;
export type PsychoeducationTopic = (typeof psychoeducationTopics)[number];

/** The content of a preparation session note (a progress note in the record, not a psychotherapy note). */
export interface PreparationContent {
  sessionDate: string | null;
  goals: { id: string; text: string }[];
  intentions: { id: string; text: string }[];
  concerns: string | null;
  psychoeducation: { topic: PsychoeducationTopic; covered: boolean; note: string | null }[];
  setAndSetting: {
    music: string | null;
    eyeMask: boolean | null;
    lighting: string | null;
    blanket: boolean | null;
    other: string | null;
  };
  supportPerson: { name: string; relationship: string; phone: string | null } | null;
  rideHome: { name: string; phone: string; relationship: string } | null;
}

/**
 * A preparation session note: the working copy while it is a draft. Signing writes version 1 into
 * `preparation_note_version`; every save after that is an amendment, a new signed version there.
 */
export const preparationNote = pgTable(
  'preparation_note',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    status: text('status').$type<'draft' | 'signed'>().notNull().default('draft'),
    revision: integer('revision').notNull().default(1),
    content: jsonb('content').$type<PreparationContent>().notNull(),
    latestVersion: integer('latest_version').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('preparation_note_id_key').on(t.id),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({
      columns: [t.clinicId, t.createdBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    index('preparation_note_patient_idx').on(t.clinicId, t.patientId),
  ],
);

/** Every signed version of a preparation note, the first and each amendment. Append-only (trigger). */
export const preparationNoteVersion = pgTable(
  'preparation_note_version',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    noteId: uuid('note_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    version: integer('version').notNull(),
    content: jsonb('content').$type<PreparationContent>().notNull(),
    /** Null for version 1; why the signed note was amended otherwise. */
    amendmentReason: text('amendment_reason'),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
    signedBy: uuid('signed_by').notNull(),
    /** The client-generated id of the save or signature: a retry is answered, not repeated. */
    requestId: uuid('request_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('preparation_note_version_id_key').on(t.id),
    unique('preparation_note_version_number_key').on(t.clinicId, t.noteId, t.version),
    unique('preparation_note_version_request_key').on(t.requestId),
    foreignKey({
      columns: [t.clinicId, t.noteId],
      foreignColumns: [preparationNote.clinicId, preparationNote.id],
    }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({ columns: [t.clinicId, t.signedBy], foreignColumns: [userAccount.clinicId, userAccount.id] }),
  ],
);
