import { and, eq, sql } from 'drizzle-orm';
import { backgroundJob } from '../db/schema/index.ts';
import type { JobEnvironment, JobHandler, QueuedJob, RecurringTask } from './types.ts';

export interface RunnerPolicy {
  /** How long a claim holds a job; progress reports extend it. A runner that dies frees the job after it. */
  leaseMs: number;
  /** Wait after a job's first failure; doubles with each further failure, up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Jobs claimed per statement. */
  batchSize: number;
  /** Time between rounds when started. */
  pollIntervalMs: number;
  /**
   * While a handler runs, the runner renews its lease this often (real time), so a long job that reports no
   * progress is not taken over by another server while it still runs. Well under `leaseMs`.
   */
  heartbeatMs: number;
}

/**
 * Operational numbers, not clinical ones: retries after 30 s, 1, 2, 4... minutes up to an hour; a lease of
 * ten minutes (a handler that runs longer reports progress, which renews it); a round every five seconds.
 */
export const defaultRunnerPolicy: RunnerPolicy = {
  leaseMs: 10 * 60_000,
  baseBackoffMs: 30_000,
  maxBackoffMs: 60 * 60_000,
  batchSize: 5,
  pollIntervalMs: 5_000,
  heartbeatMs: 60_000,
};

/**
 * Thrown to a handler by `reportProgress` when its claim is no longer its runner's (its lease ran out and
 * another server took the job over): the handler should stop, the other server does the work.
 */
export class LostClaim extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} was taken over by another runner`);
    this.name = 'LostClaim';
  }
}

export function jobBackoffMs(policy: Pick<RunnerPolicy, 'baseBackoffMs' | 'maxBackoffMs'>, attempts: number) {
  return Math.min(policy.baseBackoffMs * 2 ** Math.max(0, attempts - 1), policy.maxBackoffMs);
}

interface ClaimedRow {
  id: string;
  clinic_id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

export interface RoundResult {
  succeeded: number;
  retried: number;
  failed: number;
  tasks: number;
}

/** A short, single-line error for the job's `last_error` (never logged: it may name what the job was about). */
function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 500);
}

/**
 * Runs queued jobs and recurring tasks from inside the server process.
 *
 * Jobs: each round claims due jobs in one statement (`FOR UPDATE SKIP LOCKED`, so several app servers claim
 * side by side without waiting for or doubling each other) and holds them by a lease, not by an open
 * transaction. A job is due when it is queued and its `run_at` has come, or when it is running but its
 * lease ran out (its runner died): the attempt is counted at the claim, so a job that keeps crashing its
 * process still runs out of attempts. Only kinds this runner has a handler for are claimed (a server of an
 * older release leaves newer kinds to the servers that know them). A handler that throws is retried with
 * backoff; after its last attempt the job is 'failed'. Outcomes are written only while the claim is still
 * this runner's (same attempt count, still running). While a handler runs its lease is renewed every
 * `heartbeatMs`; should the claim still be lost (the process stalled past the lease), the handler's next
 * progress report throws LostClaim so that it stops instead of doing the work a second time.
 *
 * Recurring tasks: each runs when its period has passed since this runner last started it (at once after
 * start). Two servers may run the same task in the same minute, so tasks must be idempotent.
 *
 * `runOnce` is the whole of one round, for tests (with a ManualClock); `start`/`stop` only schedule rounds.
 */
export class JobRunner {
  private readonly policy: RunnerPolicy;
  private readonly handlers: Map<string, JobHandler<unknown>>;
  private readonly lastTaskStart = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RoundResult> | null = null;
  private stopped = true;

  constructor(
    private readonly env: JobEnvironment,
    handlers: readonly JobHandler<unknown>[],
    private readonly tasks: readonly RecurringTask[],
    policy: Partial<RunnerPolicy> = {},
  ) {
    this.policy = { ...defaultRunnerPolicy, ...policy };
    this.handlers = new Map(handlers.map((h) => [h.kind, h]));
    if (this.handlers.size !== handlers.length) throw new Error('two job handlers share a kind');
  }

  /** One round: the due recurring tasks, then due jobs in batches until none is due (at most 10 batches). */
  runOnce(): Promise<RoundResult> {
    if (this.running) return this.running;
    this.running = this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<RoundResult> {
    const result: RoundResult = { succeeded: 0, retried: 0, failed: 0, tasks: 0 };
    for (const task of this.tasks) {
      const now = this.env.clock.now().getTime();
      const last = this.lastTaskStart.get(task.name);
      if (last !== undefined && now - last < task.everyMs) continue;
      this.lastTaskStart.set(task.name, now);
      result.tasks++;
      try {
        await task.run(this.env);
      } catch (error) {
        this.env.log.error(
          `recurring task ${task.name} failed (${error instanceof Error ? error.name : 'error'})`,
        );
      }
    }
    if (this.handlers.size === 0) return result;
    for (let batch = 0; batch < 10; batch++) {
      const claimed = await this.claim();
      for (const row of claimed) {
        const outcome = await this.execute(row);
        if (outcome === 'succeeded') result.succeeded++;
        else if (outcome === 'retry') result.retried++;
        else if (outcome === 'failed') result.failed++;
      }
      if (claimed.length < this.policy.batchSize) break;
    }
    return result;
  }

  /** Claims up to a batch of due jobs (queued and due, or running with a lapsed lease) of known kinds. */
  async claim(): Promise<ClaimedRow[]> {
    const now = this.env.clock.now();
    const leaseEnd = new Date(now.getTime() + this.policy.leaseMs).toISOString();
    const kinds = [...this.handlers.keys()];
    const kindList = sql.join(
      kinds.map((k) => sql`${k}`),
      sql`, `,
    );
    const result = await this.env.database.execute(sql`
      UPDATE background_job j
         SET status = 'running', attempts = j.attempts + 1, lease_until = ${leaseEnd}
        FROM (SELECT clinic_id, id FROM background_job
               WHERE kind IN (${kindList})
                 AND ((status = 'queued' AND run_at <= ${now.toISOString()})
                   OR (status = 'running' AND lease_until <= ${now.toISOString()}))
               ORDER BY run_at, id
               LIMIT ${this.policy.batchSize}
               FOR UPDATE SKIP LOCKED) due
       WHERE j.clinic_id = due.clinic_id AND j.id = due.id
      RETURNING j.id, j.clinic_id, j.kind, j.payload, j.attempts, j.max_attempts`);
    return (result as unknown as { rows: ClaimedRow[] }).rows.map((row) => ({
      ...row,
      attempts: Number(row.attempts),
      max_attempts: Number(row.max_attempts),
    }));
  }

  private claimIsOurs(row: ClaimedRow) {
    return and(
      eq(backgroundJob.clinicId, row.clinic_id),
      eq(backgroundJob.id, row.id),
      eq(backgroundJob.attempts, row.attempts),
      eq(backgroundJob.status, 'running'),
    );
  }

  private async execute(row: ClaimedRow): Promise<'succeeded' | 'retry' | 'failed' | 'lost-claim'> {
    // Claimed only for known kinds, so the handler is there.
    const handler = this.handlers.get(row.kind) as JobHandler<unknown>;
    const maxAttempts = handler.maxAttempts ?? row.max_attempts;
    const db = this.env.database;
    if (row.attempts > maxAttempts) {
      // Its last attempt's runner died (the lease ran out): give up without running it again.
      const updated = await db
        .update(backgroundJob)
        .set({
          status: 'failed',
          finishedAt: this.env.clock.now(),
          leaseUntil: null,
          lastError: 'The last attempt did not finish (its server stopped before the lease ran out).',
        })
        .where(this.claimIsOurs(row))
        .returning({ id: backgroundJob.id });
      return updated.length === 1 ? 'failed' : 'lost-claim';
    }
    const job: QueuedJob<unknown> = {
      id: row.id,
      clinicId: row.clinic_id,
      kind: row.kind,
      payload: row.payload,
      attempt: row.attempts,
    };
    let lost = false;
    const renew = async (progress?: number) => {
      const leaseUntil = new Date(this.env.clock.now().getTime() + this.policy.leaseMs);
      const renewed = await db
        .update(backgroundJob)
        .set(progress === undefined ? { leaseUntil } : { progress, leaseUntil })
        .where(this.claimIsOurs(row))
        .returning({ id: backgroundJob.id });
      if (renewed.length === 0) lost = true;
    };
    const reportProgress = async (percent: number) => {
      if (lost) throw new LostClaim(row.id);
      await renew(Math.max(0, Math.min(100, Math.round(Number.isFinite(percent) ? percent : 0))));
      if (lost) throw new LostClaim(row.id);
    };
    // Renew the lease while the handler runs, one renewal at a time.
    let beat: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(() => {
      beat = beat
        .then(() => (lost ? undefined : renew()))
        .catch((error: unknown) => {
          this.env.log.warn(
            `job ${row.id} lease renewal failed (${error instanceof Error ? error.name : 'error'})`,
          );
        });
    }, this.policy.heartbeatMs);
    heartbeat.unref();
    let changes: Partial<typeof backgroundJob.$inferInsert>;
    let outcome: 'succeeded' | 'retry' | 'failed';
    try {
      try {
        await handler.run(job, this.env, reportProgress);
      } finally {
        clearInterval(heartbeat);
        await beat;
      }
      outcome = 'succeeded';
      changes = { status: 'succeeded', progress: 100, finishedAt: this.env.clock.now(), leaseUntil: null };
    } catch (error) {
      // Another server took the job over: its outcome is that server's to write.
      if (lost || error instanceof LostClaim) return 'lost-claim';
      const now = this.env.clock.now();
      const lastError = describeError(error);
      if (row.attempts >= maxAttempts) {
        outcome = 'failed';
        changes = { status: 'failed', finishedAt: now, leaseUntil: null, lastError };
        this.env.log.warn(`job ${row.id} (${row.kind}) failed after ${row.attempts} attempts`);
      } else {
        outcome = 'retry';
        changes = {
          status: 'queued',
          runAt: new Date(now.getTime() + jobBackoffMs(this.policy, row.attempts)),
          leaseUntil: null,
          lastError,
        };
        this.env.log.warn(`job ${row.id} (${row.kind}) attempt ${row.attempts} failed; will retry`);
      }
    }
    const updated = await db
      .update(backgroundJob)
      .set(changes)
      .where(this.claimIsOurs(row))
      .returning({ id: backgroundJob.id });
    return updated.length === 1 ? outcome : 'lost-claim';
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runOnce()
        .catch((error: unknown) => {
          this.env.log.warn(`job round failed (${error instanceof Error ? error.name : 'error'})`);
        })
        .finally(() => this.schedule(this.policy.pollIntervalMs));
    }, delayMs);
    this.timer.unref();
  }

  /** Stops scheduling rounds and waits for the one in progress (so the database can close after it). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
