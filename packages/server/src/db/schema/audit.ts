import {
  bigint,
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinic } from './clinic.ts';

/**
 * The audit trail: append-only (UPDATE, DELETE and TRUNCATE are rejected by triggers) and hash-chained per
 * clinic: each event stores the hash of the clinic's previous event, and its own hash covers its fields
 * and that previous hash, so an edited, removed or reordered event breaks the chain.
 */
export const auditEvent = pgTable(
  'audit_event',
  {
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinic.id),
    /** 1, 2, 3... per clinic, without gaps. */
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    id: uuid('id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id'),
    patientId: uuid('patient_id'),
    outcome: text('outcome').$type<'success' | 'denied' | 'failure'>().notNull(),
    breakGlass: boolean('break_glass').notNull().default(false),
    requestId: text('request_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.sequence] }),
    index('audit_event_patient_idx').on(t.clinicId, t.patientId, t.sequence),
    index('audit_event_actor_idx').on(t.clinicId, t.actorId, t.sequence),
    index('audit_event_time_idx').on(t.clinicId, t.occurredAt),
  ],
);

/**
 * The head of each clinic's chain: the last sequence and hash. Updated in the same transaction as each
 * insert; its row lock is the short per-clinic lock that orders the chain. It also lets the verifier detect
 * a truncated tail (events removed from the end leave the head pointing past them).
 */
export const auditChainHead = pgTable('audit_chain_head', {
  clinicId: uuid('clinic_id')
    .primaryKey()
    .references(() => clinic.id),
  lastSequence: bigint('last_sequence', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
});
