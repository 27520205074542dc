import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { measureAssignment } from './measures.ts';
import { patient } from './patients.ts';

export type ReminderChannel = 'email' | 'sms';

/**
 * One reminder sent for one due measure: append-only (trigger). `(clinic, assignment, sequence, channel)` is
 * unique, so two servers running the reminder task in the same minute send each reminder once: the one whose
 * insert lands sends, the other's insert does nothing. The mail itself goes through the outbox (`mail_id`),
 * the text message through a queued job (`job_id`), each with its own retries.
 */
export const measureReminder = pgTable(
  'measure_reminder',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    assignmentId: uuid('assignment_id').notNull(),
    /** 1 for the first reminder of this assignment, 2 for the next... */
    sequence: integer('sequence').notNull(),
    channel: text('channel').$type<ReminderChannel>().notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    mailId: uuid('mail_id'),
    jobId: uuid('job_id'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('measure_reminder_once').on(t.clinicId, t.assignmentId, t.sequence, t.channel),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({
      columns: [t.clinicId, t.assignmentId],
      foreignColumns: [measureAssignment.clinicId, measureAssignment.id],
    }),
    check('measure_reminder_channel_check', sql`${t.channel} in ('email', 'sms')`),
    check('measure_reminder_sequence_check', sql`${t.sequence} >= 1`),
    index('measure_reminder_assignment_idx').on(t.clinicId, t.assignmentId, t.sentAt),
  ],
);
