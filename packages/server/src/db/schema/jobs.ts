import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinic } from './clinic.ts';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/**
 * Background work queued by a change (a research export, a reminder) and run by the job runner
 * (jobs/runner.ts) on whichever app server claims it first. Written in the transaction of the change that
 * asked for it, so a job exists exactly when that change committed. A claim is a lease (`lease_until`): a
 * runner that dies mid-job frees the job when the lease runs out. `dedupe_key` is unique per clinic and
 * kind while the job is not finished, so asking twice for the same work queues it once.
 */
export const backgroundJob = pgTable(
  'background_job',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinic.id),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<unknown>(),
    status: text('status').$type<JobStatus>().notNull().default('queued'),
    /** 0–100, reported by the handler. */
    progress: integer('progress').notNull().default(0),
    /** Attempts started (counted when a runner claims the job). */
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    /** When a queued job is next due. */
    runAt: timestamp('run_at', { withTimezone: true }).notNull(),
    /** A running job is held by its runner until then; after it, any runner may claim it again. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    dedupeKey: text('dedupe_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    check('background_job_status_check', sql`${t.status} in ('queued', 'running', 'succeeded', 'failed')`),
    check('background_job_progress_check', sql`${t.progress} between 0 and 100`),
    uniqueIndex('background_job_dedupe_key')
      .on(t.clinicId, t.kind, t.dedupeKey)
      .where(sql`${t.dedupeKey} is not null and ${t.status} in ('queued', 'running')`),
    index('background_job_due_idx').on(t.runAt).where(sql`${t.status} = 'queued'`),
    index('background_job_lease_idx').on(t.leaseUntil).where(sql`${t.status} = 'running'`),
  ],
);
