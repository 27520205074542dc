import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import { backgroundJob, type JobStatus } from '../db/schema/index.ts';
import { Invalid, NotFound } from '../errors.ts';

/** Attempts before a job is given up as failed, when neither the caller nor its handler says otherwise. */
export const defaultMaxAttempts = 5;

export interface EnqueueJobInput {
  kind: string;
  payload: unknown;
  /** Not before this time (default: now). */
  runAt?: Date;
  /**
   * While a job of this kind with this key is queued or running in the clinic, asking again returns that
   * job's id instead of queuing a second one.
   */
  dedupeKey?: string;
  /** Attempts for this job when its handler names no `maxAttempts` (the handler's own figure wins). */
  maxAttempts?: number;
}

/**
 * Queues a job in the caller's transaction: it exists exactly when the change that asked for it commits,
 * and a runner sees it only after that commit. Returns the job's id (the existing one on a dedupe hit).
 */
export async function enqueueJob(ctx: ServiceContext, input: EnqueueJobInput): Promise<string> {
  if (!input.kind) throw new Invalid('A job needs a kind.');
  const maxAttempts = input.maxAttempts ?? defaultMaxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Invalid('maxAttempts must be at least 1.');
  const now = ctx.clock.now();
  for (let tries = 0; tries < 3; tries++) {
    const id = randomUUID();
    const inserted = await ctx.tx
      .insert(backgroundJob)
      .values({
        id,
        clinicId: ctx.clinicId,
        kind: input.kind,
        payload: input.payload ?? null,
        maxAttempts,
        runAt: input.runAt ?? now,
        dedupeKey: input.dedupeKey ?? null,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: backgroundJob.id });
    if (inserted.length === 1) return id;
    // A job with the same dedupe key is queued or running: answer with it.
    const [existing] = await ctx.tx
      .select({ id: backgroundJob.id })
      .from(backgroundJob)
      .where(
        and(
          eq(backgroundJob.clinicId, ctx.clinicId),
          eq(backgroundJob.kind, input.kind),
          eq(backgroundJob.dedupeKey, input.dedupeKey ?? ''),
          inArray(backgroundJob.status, ['queued', 'running']),
        ),
      )
      .limit(1);
    if (existing) return existing.id;
    // It finished between the insert and the look-up: try the insert again.
  }
  throw new Error('could not queue the job');
}

export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** One job of the caller's clinic, or NotFound. */
export async function getJob(ctx: ServiceContext, id: string): Promise<JobView> {
  const [row] = await ctx.tx
    .select({
      id: backgroundJob.id,
      kind: backgroundJob.kind,
      status: backgroundJob.status,
      progress: backgroundJob.progress,
      attempts: backgroundJob.attempts,
      lastError: backgroundJob.lastError,
      createdAt: backgroundJob.createdAt,
      finishedAt: backgroundJob.finishedAt,
    })
    .from(backgroundJob)
    .where(and(eq(backgroundJob.clinicId, ctx.clinicId), eq(backgroundJob.id, id)));
  if (!row) throw new NotFound('No such job.');
  return row;
}

/** Jobs of one kind and dedupe key in the caller's clinic, newest first (for a handler's own status view). */
export async function findJobsByKey(
  ctx: ServiceContext,
  kind: string,
  dedupeKey: string,
): Promise<JobView[]> {
  return ctx.tx
    .select({
      id: backgroundJob.id,
      kind: backgroundJob.kind,
      status: backgroundJob.status,
      progress: backgroundJob.progress,
      attempts: backgroundJob.attempts,
      lastError: backgroundJob.lastError,
      createdAt: backgroundJob.createdAt,
      finishedAt: backgroundJob.finishedAt,
    })
    .from(backgroundJob)
    .where(
      and(
        eq(backgroundJob.clinicId, ctx.clinicId),
        eq(backgroundJob.kind, kind),
        eq(backgroundJob.dedupeKey, dedupeKey),
      ),
    )
    .orderBy(sql`${backgroundJob.createdAt} desc`);
}
