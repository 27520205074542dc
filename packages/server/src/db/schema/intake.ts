// Tables for the patient's intake questionnaire, drafts and versions (helper: intake).
import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinic } from './clinic.ts';
import { userAccount } from './identity.ts';
import { patient } from './patients.ts';

export const intakeStatuses = ['draft', 'submitted'] as const;
export type IntakeStatus = (typeof intakeStatuses)[number];
/** draft: a save before submission; submission: the patient (or staff with them) submits it complete;
 * correction: staff change a submitted intake (with a reason). */
export const intakeVersionKinds = ['draft', 'submission', 'correction'] as const;
export type IntakeVersionKind = (typeof intakeVersionKinds)[number];

/**
 * One intake per patient: the head row, holding the current answers and the version they are at. Every
 * change of the answers is also written to intake_version (append-only), so the head is only a cache of the
 * latest version that the row lock (`SELECT ... FOR UPDATE`) and the version check serialise.
 */
export const intake = pgTable(
  'intake',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinic.id),
    patientId: uuid('patient_id').notNull(),
    status: text('status').$type<IntakeStatus>().notNull().default('draft'),
    /** The number of the latest intake_version (0 before the first save). */
    version: integer('version').notNull().default(0),
    /** The current answers (an IntakeDraft; complete once submitted). */
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
    /** The portal step the patient was on when they last saved, to resume there. */
    resumeSection: text('resume_section'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    /** The version of the latest submission or correction. */
    submittedVersion: integer('submitted_version'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('intake_id_key').on(t.id),
    unique('intake_clinic_patient_key').on(t.clinicId, t.patientId),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    check('intake_status_check', sql`${t.status} IN ('draft', 'submitted')`),
    check(
      'intake_submitted_check',
      sql`(${t.status} = 'submitted') = (${t.submittedAt} IS NOT NULL AND ${t.submittedVersion} IS NOT NULL)`,
    ),
  ],
);

/**
 * Every save of an intake: the full answers at that version, who saved it (the patient's account or a staff
 * user), when, the answer paths that changed, and for a staff correction after submission the reason.
 * Append-only: UPDATE and DELETE are rejected by a trigger (migration intake_append_only).
 */
export const intakeVersion = pgTable(
  'intake_version',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    intakeId: uuid('intake_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    version: integer('version').notNull(),
    kind: text('kind').$type<IntakeVersionKind>().notNull(),
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull(),
    /** Dot paths of the answers that differ from the previous version (never the values). */
    changedPaths: jsonb('changed_paths').$type<string[]>().notNull(),
    savedBy: uuid('saved_by').notNull(),
    savedByKind: text('saved_by_kind').$type<'patient' | 'staff'>().notNull(),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull(),
    reason: text('reason'),
    /** The client-generated id of the save, so a retried request is answered without a second version. */
    clientSaveId: uuid('client_save_id'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('intake_version_id_key').on(t.id),
    unique('intake_version_number_key').on(t.clinicId, t.intakeId, t.version),
    unique('intake_version_client_save_key').on(t.clinicId, t.intakeId, t.clientSaveId),
    foreignKey({ columns: [t.clinicId, t.intakeId], foreignColumns: [intake.clinicId, intake.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({ columns: [t.clinicId, t.savedBy], foreignColumns: [userAccount.clinicId, userAccount.id] }),
    check('intake_version_kind_check', sql`${t.kind} IN ('draft', 'submission', 'correction')`),
    check('intake_version_saved_by_kind_check', sql`${t.savedByKind} IN ('patient', 'staff')`),
    check('intake_version_positive_check', sql`${t.version} > 0`),
    check(
      'intake_version_correction_reason_check',
      sql`${t.kind} <> 'correction' OR (${t.reason} IS NOT NULL AND length(btrim(${t.reason})) > 0)`,
    ),
    check(
      'intake_version_correction_by_staff_check',
      sql`${t.kind} <> 'correction' OR ${t.savedByKind} = 'staff'`,
    ),
  ],
);
