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
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinic } from './clinic.ts';
import { userAccount } from './identity.ts';
import { patient } from './patients.ts';

/** 'cancelled': withdrawn before delivery (its invitation was revoked or replaced while the mail waited). */
export const mailStatuses = ['queued', 'sent', 'failed', 'cancelled'] as const;
export type MailStatus = (typeof mailStatuses)[number];

/**
 * Mail the clinic sends, written in the transaction of the change that causes it (so a mail exists if and
 * only if that change committed) and delivered afterwards by the dispatcher (modules/mail). A row is claimed
 * by setting `claimed_until` (a lease), never by holding a transaction open while talking to the SMTP server.
 * Outside demo mode the bodies are removed once the mail is sent or given up (they carry sign-up links).
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinic.id),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    /** Null once removed after delivery (see `bodyRemovedAt`). */
    textBody: text('text_body'),
    htmlBody: text('html_body'),
    status: text('status').$type<MailStatus>().notNull().default('queued'),
    /** Delivery attempts started (counted when a dispatcher claims the mail). */
    attempts: integer('attempts').notNull().default(0),
    /** When a queued mail is next due. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** A dispatcher holds the mail until then; a crashed one's claim simply runs out. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    /** The Message-ID the transport reported. */
    messageId: text('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    bodyRemovedAt: timestamp('body_removed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('mail_outbox_id_key').on(t.id),
    check('mail_outbox_status_check', sql`${t.status} in ('queued', 'sent', 'failed', 'cancelled')`),
    index('mail_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
    index('mail_outbox_clinic_created_idx').on(t.clinicId, t.createdAt),
  ],
);

/**
 * A single-use, expiring link that lets a patient create their portal account. Only the SHA-256 of the
 * random token is stored; the token itself exists only in the mail. Rows are never deleted: a resend revokes
 * the old invitation (reason 'resent') and creates a new one that `replaces` it.
 */
export const invitation = pgTable(
  'invitation',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** Stored lower-cased: the portal account's sign-in email. */
    email: text('email').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedUserId: uuid('accepted_user_id'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by'),
    revokedReason: text('revoked_reason').$type<'revoked' | 'resent'>(),
    /** The invitation this one was sent in place of (a resend). */
    replacesId: uuid('replaces_id'),
    /** The mail that carried the link. */
    mailId: uuid('mail_id'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('invitation_id_key').on(t.id),
    uniqueIndex('invitation_token_hash_key').on(t.tokenHash),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    foreignKey({
      columns: [t.clinicId, t.createdBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.acceptedUserId],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.revokedBy],
      foreignColumns: [userAccount.clinicId, userAccount.id],
    }),
    foreignKey({ columns: [t.clinicId, t.replacesId], foreignColumns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.mailId], foreignColumns: [mailOutbox.clinicId, mailOutbox.id] }),
    check('invitation_accepted_or_revoked', sql`${t.acceptedAt} is null or ${t.revokedAt} is null`),
    check('invitation_accepted_by_account', sql`(${t.acceptedAt} is null) = (${t.acceptedUserId} is null)`),
    index('invitation_patient_idx').on(t.clinicId, t.patientId, t.createdAt),
  ],
);
