import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { backgroundJob } from '../db/schema/index.ts';
import { createTestDatabase, testEngine } from '../testing/database.ts';
import { createClinic } from '../testing/factories.ts';
import { enqueueJob, getJob } from './queue.ts';
import { defaultRunnerPolicy, JobRunner, jobBackoffMs, LostClaim } from './runner.ts';
import { runSystemWork } from './system-work.ts';
import type { JobEnvironment, JobHandler, RecurringTask } from './types.ts';

/**
 * The runner against the real table. Each test uses job kinds of its own (the PostgreSQL test database is
 * shared by the test files, and a runner claims only the kinds it has handlers for).
 */
let database: DatabaseHandle;
let clinicId: string;
const clock = new ManualClock('2026-03-02T10:00:00Z');
let env: JobEnvironment;

beforeAll(async () => {
  database = await createTestDatabase();
  clinicId = (await createClinic(database.db, { name: 'Runner Clinic' })).id;
  env = {
    database: database.db,
    clock,
    config: loadConfig({}),
    log: { info: () => {}, warn: () => {}, error: () => {} },
  };
});
afterAll(async () => {
  await database?.close();
});

const kindOf = (name: string) => `test.${name}.${randomUUID().slice(0, 8)}`;
const enqueue = (
  kind: string,
  payload: unknown = null,
  extra: { maxAttempts?: number; dedupeKey?: string } = {},
) => runSystemWork(env, clinicId, 'test', (ctx) => enqueueJob(ctx, { kind, payload, ...extra }));
const jobOf = (id: string) => runSystemWork(env, clinicId, 'test', (ctx) => getJob(ctx, id));

describe('JobRunner', () => {
  it('runs a queued job once and marks it succeeded with full progress', async () => {
    const kind = kindOf('once');
    const seen: unknown[] = [];
    const handler: JobHandler<{ n: number }> = {
      kind,
      async run(job) {
        seen.push({ payload: job.payload, attempt: job.attempt, clinicId: job.clinicId });
      },
    };
    const id = await enqueue(kind, { n: 7 });
    const runner = new JobRunner(env, [handler as JobHandler<unknown>], []);
    expect(await runner.runOnce()).toMatchObject({ succeeded: 1, retried: 0, failed: 0 });
    expect(await runner.runOnce()).toMatchObject({ succeeded: 0 });
    expect(seen).toEqual([{ payload: { n: 7 }, attempt: 1, clinicId }]);
    const job = await jobOf(id);
    expect(job).toMatchObject({ status: 'succeeded', progress: 100, attempts: 1, lastError: null });
    expect(job.finishedAt?.toISOString()).toBe(clock.now().toISOString());
  });

  it('does not run a job before its run-at time', async () => {
    const kind = kindOf('later');
    let runs = 0;
    const runner = new JobRunner(env, [{ kind, run: async () => void runs++ }], []);
    const id = await runSystemWork(env, clinicId, 'test', (ctx) =>
      enqueueJob(ctx, { kind, payload: null, runAt: new Date(clock.now().getTime() + 60_000) }),
    );
    await runner.runOnce();
    expect(runs).toBe(0);
    clock.advance(60_000);
    await runner.runOnce();
    expect(runs).toBe(1);
    expect((await jobOf(id)).status).toBe('succeeded');
  });

  it('retries a failing job after a backoff, then succeeds', async () => {
    const kind = kindOf('retry');
    let calls = 0;
    const handler: JobHandler = {
      kind,
      maxAttempts: 3,
      async run() {
        calls++;
        if (calls === 1) throw new Error('the mail server is down');
      },
    };
    const runner = new JobRunner(env, [handler], []);
    const id = await enqueue(kind);
    expect(await runner.runOnce()).toMatchObject({ retried: 1 });
    let job = await jobOf(id);
    expect(job).toMatchObject({ status: 'queued', attempts: 1, lastError: 'Error: the mail server is down' });
    // Not again before the backoff has passed.
    clock.advance(jobBackoffMs(defaultRunnerPolicy, 1) - 1);
    await runner.runOnce();
    expect(calls).toBe(1);
    clock.advance(1);
    expect(await runner.runOnce()).toMatchObject({ succeeded: 1 });
    job = await jobOf(id);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(calls).toBe(2);
  });

  it('marks a job failed after its last attempt, with the last error, and runs it no more', async () => {
    const kind = kindOf('fail');
    let calls = 0;
    const runner = new JobRunner(
      env,
      [
        {
          kind,
          async run() {
            calls++;
            throw new Error(`attempt ${calls} broke`);
          },
        },
      ],
      [],
    );
    const id = await enqueue(kind, null, { maxAttempts: 3 });
    for (let i = 0; i < 6; i++) {
      await runner.runOnce();
      clock.advance(defaultRunnerPolicy.maxBackoffMs);
    }
    expect(calls).toBe(3);
    const job = await jobOf(id);
    expect(job).toMatchObject({ status: 'failed', attempts: 3, lastError: 'Error: attempt 3 broke' });
    expect(job.finishedAt).not.toBeNull();
  });

  it("frees a crashed runner's job when its lease runs out, and counts that attempt", async () => {
    const kind = kindOf('lease');
    const id = await enqueue(kind, null, { maxAttempts: 2 });
    // A runner claims the job and dies before recording anything.
    const crashed = new JobRunner(env, [{ kind, run: async () => {} }], []);
    expect((await crashed.claim()).map((r) => r.id)).toEqual([id]);
    expect((await jobOf(id)).status).toBe('running');
    let runs = 0;
    const survivor = new JobRunner(env, [{ kind, run: async () => void runs++ }], []);
    await survivor.runOnce();
    expect(runs).toBe(0); // still leased
    clock.advance(defaultRunnerPolicy.leaseMs);
    expect(await survivor.runOnce()).toMatchObject({ succeeded: 1 });
    expect(runs).toBe(1);
    expect(await jobOf(id)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('fails a job whose last attempt crashed instead of running it past its attempts', async () => {
    const kind = kindOf('lease-last');
    const id = await enqueue(kind, null, { maxAttempts: 1 });
    const crashed = new JobRunner(env, [{ kind, run: async () => {} }], []);
    await crashed.claim();
    clock.advance(defaultRunnerPolicy.leaseMs);
    let runs = 0;
    const survivor = new JobRunner(env, [{ kind, run: async () => void runs++ }], []);
    expect(await survivor.runOnce()).toMatchObject({ failed: 1 });
    expect(runs).toBe(0);
    const job = await jobOf(id);
    expect(job.status).toBe('failed');
    expect(job.lastError).toMatch(/did not finish/);
  });

  it('stores the progress a handler reports, clamped to 0–100, and renews the lease', async () => {
    const kind = kindOf('progress');
    const seenProgress: number[] = [];
    let jobId = '';
    const handler: JobHandler = {
      kind,
      async run(job, _env, report) {
        await report(40);
        const [row] = await database.db.select().from(backgroundJob).where(eq(backgroundJob.id, job.id));
        seenProgress.push(row?.progress ?? -1);
        clock.advance(defaultRunnerPolicy.leaseMs - 1000);
        await report(250);
        const [after] = await database.db.select().from(backgroundJob).where(eq(backgroundJob.id, job.id));
        seenProgress.push(after?.progress ?? -1);
        expect(after?.leaseUntil?.getTime()).toBe(clock.now().getTime() + defaultRunnerPolicy.leaseMs);
        jobId = job.id;
      },
    };
    await enqueue(kind);
    await new JobRunner(env, [handler], []).runOnce();
    expect(seenProgress).toEqual([40, 100]);
    expect((await jobOf(jobId)).status).toBe('succeeded');
  });

  it('keeps the lease of a long job that reports no progress: no second runner takes it while it runs', async () => {
    const kind = kindOf('long');
    const id = await enqueue(kind);
    const policy = { leaseMs: 60_000, heartbeatMs: 10 };
    let runs = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const long = new JobRunner(env, [{ kind, run: async () => void runs++ }], [], policy);
    const slow = new JobRunner(
      env,
      [
        {
          kind,
          run: async () => {
            runs++;
            await gate;
          },
        },
      ],
      [],
      policy,
    );
    const leaseOf = async () =>
      (
        await database.db.select().from(backgroundJob).where(eq(backgroundJob.id, id))
      )[0]?.leaseUntil?.getTime();
    const round = slow.runOnce();
    await vi.waitFor(() => expect(runs).toBe(1));
    const claimedUntil = (await leaseOf()) as number;
    clock.advance(50_000);
    // The runner renews the lease by itself while the handler is busy.
    await vi.waitFor(async () => expect(await leaseOf()).toBe(clock.now().getTime() + policy.leaseMs));
    clock.advance(20_000);
    expect(clock.now().getTime()).toBeGreaterThan(claimedUntil);
    expect(await long.runOnce()).toMatchObject({ succeeded: 0 });
    expect(runs).toBe(1);
    release();
    expect(await round).toMatchObject({ succeeded: 1 });
    expect(await jobOf(id)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('renews the lease alongside a handler that works in transactions of its own (no deadlock on PGlite)', async () => {
    const kind = kindOf('beat-tx');
    const id = await enqueue(kind);
    let transactions = 0;
    const handler: JobHandler = {
      kind,
      async run(job, jobEnv, report) {
        for (let i = 0; i < 5; i++) {
          await runSystemWork(jobEnv, job.clinicId, 'test', async (ctx) => {
            await getJob(ctx, job.id);
            await new Promise((resolve) => setTimeout(resolve, 5));
            await getJob(ctx, job.id);
          });
          transactions++;
          await report(20 * (i + 1));
        }
      },
    };
    expect(await new JobRunner(env, [handler], [], { heartbeatMs: 1 }).runOnce()).toMatchObject({
      succeeded: 1,
    });
    expect(transactions).toBe(5);
    expect(await jobOf(id)).toMatchObject({ status: 'succeeded', progress: 100 });
  });

  it('tells a handler whose job another runner took over to stop, and leaves the outcome to that runner', async () => {
    const kind = kindOf('stolen');
    const id = await enqueue(kind);
    // No heartbeat within the test (a process stalled past its lease).
    const policy = { heartbeatMs: 3_600_000 };
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    let reportError: unknown = null;
    let afterReport = false;
    const stalled = new JobRunner(
      env,
      [
        {
          kind,
          run: async (_job, _env, report) => {
            started = true;
            await gate;
            try {
              await report(50);
            } catch (error) {
              reportError = error;
              throw error;
            }
            afterReport = true;
          },
        },
      ],
      [],
      policy,
    );
    const round = stalled.runOnce();
    await vi.waitFor(() => expect(started).toBe(true));
    clock.advance(defaultRunnerPolicy.leaseMs);
    let takeovers = 0;
    const other = new JobRunner(env, [{ kind, run: async () => void takeovers++ }], [], policy);
    expect(await other.runOnce()).toMatchObject({ succeeded: 1 });
    release();
    expect(await round).toMatchObject({ succeeded: 0, retried: 0, failed: 0 });
    expect(reportError).toBeInstanceOf(LostClaim);
    expect(afterReport).toBe(false);
    expect(takeovers).toBe(1);
    expect(await jobOf(id)).toMatchObject({ status: 'succeeded', attempts: 2, lastError: null });
  });

  it('queues a deduplicated job once while it waits, and again after it ran', async () => {
    const kind = kindOf('dedupe');
    let runs = 0;
    const runner = new JobRunner(env, [{ kind, run: async () => void runs++ }], []);
    const a = await enqueue(kind, null, { dedupeKey: 'export-1' });
    const b = await enqueue(kind, null, { dedupeKey: 'export-1' });
    expect(b).toBe(a);
    await runner.runOnce();
    expect(runs).toBe(1);
    const c = await enqueue(kind, null, { dedupeKey: 'export-1' });
    expect(c).not.toBe(a);
    await runner.runOnce();
    expect(runs).toBe(2);
  });

  it('leaves kinds it has no handler for to other servers', async () => {
    const known = kindOf('known');
    const unknown = kindOf('unknown');
    const id = await enqueue(unknown);
    await new JobRunner(env, [{ kind: known, run: async () => {} }], []).runOnce();
    expect((await jobOf(id)).status).toBe('queued');
  });

  it('runs each recurring task on its period, and a failing task does not stop the others', async () => {
    const runs: string[] = [];
    const tasks: RecurringTask[] = [
      {
        name: 'breaks',
        everyMs: 60_000,
        run: async () => {
          runs.push('breaks');
          throw new Error('no');
        },
      },
      { name: 'hourly', everyMs: 3_600_000, run: async () => void runs.push('hourly') },
    ];
    const errors: string[] = [];
    const runner = new JobRunner({ ...env, log: { ...env.log, error: (m) => errors.push(m) } }, [], tasks);
    await runner.runOnce();
    expect(runs).toEqual(['breaks', 'hourly']);
    clock.advance(59_000);
    await runner.runOnce();
    expect(runs).toHaveLength(2);
    clock.advance(1_000);
    await runner.runOnce();
    expect(runs).toEqual(['breaks', 'hourly', 'breaks']);
    clock.advance(3_600_000);
    await runner.runOnce();
    expect(runs.filter((r) => r === 'hourly')).toHaveLength(2);
    expect(errors[0]).toMatch(/breaks failed/);
  });

  it('start and stop: a started runner picks up a job by itself and stop waits for the round', async () => {
    const kind = kindOf('started');
    let resolveRun: () => void = () => {};
    const ran = new Promise<void>((resolve) => {
      resolveRun = resolve;
    });
    const runner = new JobRunner(env, [{ kind, run: async () => resolveRun() }], [], { pollIntervalMs: 10 });
    const id = await enqueue(kind);
    runner.start();
    await ran;
    await runner.stop();
    expect((await jobOf(id)).status).toBe('succeeded');
  });
});

describe.runIf(testEngine() === 'postgres')('two runners on PostgreSQL', () => {
  it('never run the same job twice: each of 30 jobs runs exactly once', async () => {
    const kind = kindOf('race');
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await enqueue(kind, { i }));
    const ranBy = new Map<string, string[]>();
    const handlerFor = (runnerName: string): JobHandler => ({
      kind,
      async run(job) {
        ranBy.set(job.id, [...(ranBy.get(job.id) ?? []), runnerName]);
        // Hold the claim for a moment so the other runner's claim overlaps it.
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    const first = new JobRunner(env, [handlerFor('a')], [], { batchSize: 3 });
    const second = new JobRunner(env, [handlerFor('b')], [], { batchSize: 3 });
    await Promise.all([first.runOnce(), second.runOnce(), first.runOnce(), second.runOnce()]);
    // Anything left (each round stops after 10 batches) is picked up by another pair of rounds.
    await Promise.all([first.runOnce(), second.runOnce()]);
    expect([...ranBy.keys()].sort()).toEqual([...ids].sort());
    for (const runners of ranBy.values()) expect(runners).toHaveLength(1);
    const byRunner = [...ranBy.values()].flat();
    expect(byRunner).toContain('a');
    expect(byRunner).toContain('b');
    const rows = await database.db
      .select({ status: backgroundJob.status, attempts: backgroundJob.attempts })
      .from(backgroundJob)
      .where(inArray(backgroundJob.id, ids));
    expect(rows.every((r) => r.status === 'succeeded' && r.attempts === 1)).toBe(true);
  });
});
