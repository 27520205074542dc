import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import type { StaffActor } from '../context.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { auditEvent, backgroundJob } from '../db/schema/index.ts';
import { runUnitOfWork } from '../http/unit-of-work.ts';
import { verifyAuditChain } from '../modules/audit/audit-chain.ts';
import { createTestDatabase } from '../testing/database.ts';
import { createClinic, createStaffUser } from '../testing/factories.ts';
import { enqueueJob, getJob } from './queue.ts';
import { forEachClinic, runSystemWork, systemUserId } from './system-work.ts';
import type { JobEnvironment } from './types.ts';

let database: DatabaseHandle;
let actor: StaffActor;
let otherClinicId: string;
const clock = new ManualClock('2026-03-02T10:00:00Z');
const meta = { requestId: null, ip: null, userAgent: null };
let env: JobEnvironment;
const logged: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const clinic = await createClinic(database.db, { name: 'Queue Clinic' });
  otherClinicId = (await createClinic(database.db, { name: 'Other Queue Clinic' })).id;
  const staff = await createStaffUser(database.db, clinic.id, ['admin']);
  actor = {
    kind: 'staff',
    userId: staff.id,
    clinicId: clinic.id,
    sessionId: staff.id,
    email: staff.email,
    displayName: 'Admin',
    roles: ['admin'],
  };
  env = {
    database: database.db,
    clock,
    config: loadConfig({}),
    log: { info: () => {}, warn: () => {}, error: (m) => logged.push(m) },
  };
});
afterAll(async () => {
  await database?.close();
});

const work = <T>(fn: Parameters<typeof runUnitOfWork<T>>[4]) =>
  runUnitOfWork(database.db, actor, meta, clock, fn);

describe('enqueueJob / getJob', () => {
  it('queues a job in the caller transaction and shows it', async () => {
    const id = await work((ctx) => enqueueJob(ctx, { kind: 'test.echo', payload: { n: 1 } }));
    const job = await work((ctx) => getJob(ctx, id));
    expect(job).toMatchObject({ id, kind: 'test.echo', status: 'queued', progress: 0, attempts: 0 });
    expect(job.lastError).toBeNull();
    expect(job.finishedAt).toBeNull();
    expect(job.createdAt.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('leaves no job behind when the transaction that asked for it rolls back', async () => {
    let id = '';
    await expect(
      work(async (ctx) => {
        id = await enqueueJob(ctx, { kind: 'test.rollback', payload: null });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await database.db.select().from(backgroundJob).where(eq(backgroundJob.id, id));
    expect(rows).toHaveLength(0);
  });

  it('answers a second request with the same dedupe key with the first job, and queues again once it finished', async () => {
    const first = await work((ctx) =>
      enqueueJob(ctx, { kind: 'test.dedupe', payload: { a: 1 }, dedupeKey: 'patient-1' }),
    );
    const second = await work((ctx) =>
      enqueueJob(ctx, { kind: 'test.dedupe', payload: { a: 2 }, dedupeKey: 'patient-1' }),
    );
    expect(second).toBe(first);
    const otherKey = await work((ctx) =>
      enqueueJob(ctx, { kind: 'test.dedupe', payload: null, dedupeKey: 'patient-2' }),
    );
    expect(otherKey).not.toBe(first);
    await database.db
      .update(backgroundJob)
      .set({ status: 'succeeded', finishedAt: clock.now() })
      .where(eq(backgroundJob.id, first));
    const third = await work((ctx) =>
      enqueueJob(ctx, { kind: 'test.dedupe', payload: null, dedupeKey: 'patient-1' }),
    );
    expect(third).not.toBe(first);
  });

  it('does not show another clinic its jobs', async () => {
    const id = await work((ctx) => enqueueJob(ctx, { kind: 'test.scope', payload: null }));
    await expect(runSystemWork(env, otherClinicId, 'test', (ctx) => getJob(ctx, id))).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('runSystemWork', () => {
  it('records its audit events with no actor and the role system, in an intact chain', async () => {
    await runSystemWork(env, actor.clinicId, 'queue-test', async (ctx) => {
      expect(ctx.actor.userId).toBe(systemUserId);
      expect(ctx.actor.kind).toBe('staff');
      ctx.audit.record({ action: 'test.system-work', resourceType: 'test' });
    });
    const [event] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, actor.clinicId), eq(auditEvent.action, 'test.system-work')));
    expect(event).toMatchObject({ actorId: null, actorRole: 'system', requestId: 'task:queue-test' });
    expect((await verifyAuditChain(database.db, actor.clinicId)).ok).toBe(true);
  });

  it('rolls back the work and its audit together', async () => {
    await expect(
      runSystemWork(env, actor.clinicId, 'queue-test', async (ctx) => {
        await enqueueJob(ctx, { kind: 'test.system-rollback', payload: null });
        ctx.audit.record({ action: 'test.system-rollback', resourceType: 'test' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const jobs = await database.db
      .select()
      .from(backgroundJob)
      .where(eq(backgroundJob.kind, 'test.system-rollback'));
    expect(jobs).toHaveLength(0);
  });
});

describe('forEachClinic', () => {
  it('visits every clinic and carries on past one that fails', async () => {
    const seen: string[] = [];
    const result = await forEachClinic(env, async (clinicId) => {
      seen.push(clinicId);
      if (clinicId === otherClinicId) throw new Error('this clinic fails');
    });
    expect(seen).toContain(actor.clinicId);
    expect(seen).toContain(otherClinicId);
    expect(result.failed).toBe(1);
    expect(logged.some((m) => m.includes(otherClinicId))).toBe(true);
    const sorted = [...seen].sort();
    expect(seen).toEqual(sorted);
  });
});
