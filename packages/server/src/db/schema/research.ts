// Tables for de-identified research exports (helper: research export).
import type { InstrumentId } from '@kapstone/clinical';
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { userAccount } from './identity.ts';
import { patient } from './patients.ts';

export const researchExportFormats = ['csv', 'ndjson'] as const;
export type ResearchExportFormat = (typeof researchExportFormats)[number];

/** Rows per exported file, once the export is built. */
export type ResearchExportRowCounts = Record<string, number>;

/**
 * One de-identified research export (Safe Harbor, @kapstone/clinical research/deidentify.ts): what was asked
 * (instruments, the real-date range of the data, the formats), by whom, and the background job that builds
 * it. The record stays for good; its files may be deleted by an admin (`files_deleted_at`), which is audited.
 * Holds no patient data: only counts.
 */
export const researchExport = pgTable(
  'research_export',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    requestedBy: uuid('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    instruments: text('instruments').array().$type<InstrumentId[]>().notNull(),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    toDate: date('to_date', { mode: 'string' }).notNull(),
    formats: text('formats').array().$type<ResearchExportFormat[]>().notNull(),
    jobId: uuid('job_id').notNull(),
    /** Set when the files were written (by the job). */
    completedAt: timestamp('completed_at', { withTimezone: true }),
    patientCount: integer('patient_count'),
    rowCounts: jsonb('row_counts').$type<ResearchExportRowCounts>(),
    filesDeletedAt: timestamp('files_deleted_at', { withTimezone: true }),
    filesDeletedBy: uuid('files_deleted_by'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('research_export_id_key').on(t.id),
    foreignKey({
      columns: [t.clinicId, t.requestedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.filesDeletedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    index('research_export_clinic_idx').on(t.clinicId, t.requestedAt),
    check('research_export_dates', sql`${t.fromDate} <= ${t.toDate}`),
    check('research_export_deleted', sql`(${t.filesDeletedAt} IS NULL) = (${t.filesDeletedBy} IS NULL)`),
  ],
);

/**
 * The re-identification key of one export (45 CFR 164.514(c)): each patient's random research id and date
 * shift. Kept inside Kapstone so a retried job and an audit can explain the files; never exported, never
 * shown by any route, and deleted with the files.
 */
export const researchExportSubject = pgTable(
  'research_export_subject',
  {
    clinicId: uuid('clinic_id').notNull(),
    exportId: uuid('export_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    researchId: text('research_id').notNull(),
    shiftDays: integer('shift_days').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.exportId, t.patientId] }),
    unique('research_export_subject_research_id_key').on(t.clinicId, t.exportId, t.researchId),
    foreignKey({
      columns: [t.clinicId, t.exportId],
      foreignColumns: [researchExport.clinicId, researchExport.id],
    }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    check('research_export_subject_shift', sql`${t.shiftDays} <> 0`),
  ],
);

/**
 * One file of an export, stored in the database (text) so exports work the same on PGlite and PostgreSQL and
 * need no file store. Deleted when an admin deletes the export's files.
 */
export const researchExportFile = pgTable(
  'research_export_file',
  {
    clinicId: uuid('clinic_id').notNull(),
    exportId: uuid('export_id').notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    content: text('content').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    rowCount: integer('row_count').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.exportId, t.name] }),
    foreignKey({
      columns: [t.clinicId, t.exportId],
      foreignColumns: [researchExport.clinicId, researchExport.id],
    }),
  ],
);
