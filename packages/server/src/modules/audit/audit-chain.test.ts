import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../context.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { createTestDatabase } from '../../testing/database.ts';
import { createClinic, databaseError } from '../../testing/factories.ts';
import { appendAuditEvents, verifyAuditChain } from './audit-chain.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const request = { requestId: 'req-1', ip: '127.0.0.1', userAgent: 'vitest' };

async function clinicWithEvents(count: number) {
  const clinic = await createClinic(database.db);
  const actor: Actor = {
    kind: 'staff',
    userId: crypto.randomUUID(),
    clinicId: clinic.id,
    sessionId: crypto.randomUUID(),
    email: 'a@test.example',
    displayName: 'A',
    roles: ['nurse'],
  };
  for (let i = 0; i < count; i++) {
    await database.db.transaction((tx) =>
      appendAuditEvents(
        tx,
        clinic.id,
        actor,
        [
          {
            action: 'patient.read',
            resourceType: 'patient',
            resourceId: `r${i}`,
            detail: { b: 2, a: [1, { z: 1, y: 2 }] },
          },
        ],
        request,
        new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      ),
    );
  }
  return clinic.id;
}

/** Tampering needs the triggers out of the way, as an attacker with database access would do. */
async function asSuperuser(statement: ReturnType<typeof sql>) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    await tx.execute(statement);
  });
}

describe('audit chain', () => {
  it('verifies an untouched chain, with sequences 1..n linked by hashes', async () => {
    const clinicId = await clinicWithEvents(5);
    const result = await verifyAuditChain(database.db, clinicId);
    expect(result).toEqual({ clinicId, events: 5, ok: true, problems: [] });
  });

  it('keeps one gap-free chain when several events are written in one unit of work', async () => {
    const clinic = await createClinic(database.db);
    await database.db.transaction((tx) =>
      appendAuditEvents(
        tx,
        clinic.id,
        null,
        [
          { action: 'a', resourceType: 'x' },
          { action: 'b', resourceType: 'x' },
          { action: 'c', resourceType: 'x' },
        ],
        request,
        new Date('2026-02-01T00:00:00Z'),
      ),
    );
    const rows = await database.db.execute(
      sql`SELECT sequence, action FROM audit_event WHERE clinic_id = ${clinic.id} ORDER BY sequence`,
    );
    expect(
      (rows as unknown as { rows: { sequence: number | string; action: string }[] }).rows.map((r) => [
        Number(r.sequence),
        r.action,
      ]),
    ).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    expect((await verifyAuditChain(database.db, clinic.id)).ok).toBe(true);
  });

  it('hashes non-ASCII content the same way in the database and in the verifier', async () => {
    const clinic = await createClinic(database.db);
    await database.db.transaction((tx) =>
      appendAuditEvents(
        tx,
        clinic.id,
        null,
        [
          {
            action: 'patient.read',
            resourceType: 'patient',
            detail: { field: 'apellido', note: 'Núñez – “ok” ✓ 患者', n: 1.5 },
          },
          { action: 'x', resourceType: 'y', detail: { quote: 'a"b\\c\nnext' } },
        ],
        { requestId: 'r', ip: '::1', userAgent: 'Mozilla/5.0 (X11; Linux) – ü' },
        new Date('2026-02-02T02:02:02.123Z'),
      ),
    );
    expect(await verifyAuditChain(database.db, clinic.id)).toMatchObject({ ok: true, events: 2 });
  });

  it('rejects UPDATE, DELETE and TRUNCATE of audit events in the database itself', async () => {
    const clinicId = await clinicWithEvents(1);
    expect(
      await databaseError(
        database.db.execute(sql`UPDATE audit_event SET action = 'x' WHERE clinic_id = ${clinicId}`),
      ),
    ).toMatch(/append-only/);
    expect(
      await databaseError(database.db.execute(sql`DELETE FROM audit_event WHERE clinic_id = ${clinicId}`)),
    ).toMatch(/append-only/);
    expect(await databaseError(database.db.execute(sql`TRUNCATE audit_event`))).toMatch(/append-only/);
    expect(
      await databaseError(
        database.db.execute(sql`DELETE FROM audit_chain_head WHERE clinic_id = ${clinicId}`),
      ),
    ).toMatch(/append-only/);
    expect(
      await databaseError(
        database.db.execute(sql`UPDATE audit_chain_head SET last_sequence = 0 WHERE clinic_id = ${clinicId}`),
      ),
    ).toMatch(/forward/);
  });

  it('detects an edited event', async () => {
    const clinicId = await clinicWithEvents(4);
    await asSuperuser(
      sql`UPDATE audit_event SET action = 'patient.update' WHERE clinic_id = ${clinicId} AND sequence = 2`,
    );
    const result = await verifyAuditChain(database.db, clinicId);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ sequence: 2, problem: expect.stringContaining('edited') });
  });

  it('detects an edited detail, even one nested in JSON', async () => {
    const clinicId = await clinicWithEvents(2);
    await asSuperuser(
      sql`UPDATE audit_event SET detail = '{"a":[1,{"y":2,"z":9}],"b":2}' WHERE clinic_id = ${clinicId} AND sequence = 1`,
    );
    expect((await verifyAuditChain(database.db, clinicId)).problems[0]).toMatchObject({ sequence: 1 });
  });

  it('detects a deleted event in the middle', async () => {
    const clinicId = await clinicWithEvents(4);
    await asSuperuser(sql`DELETE FROM audit_event WHERE clinic_id = ${clinicId} AND sequence = 3`);
    const result = await verifyAuditChain(database.db, clinicId);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.problem).join(' ')).toMatch(/missing/);
  });

  it('detects reordered events (sequences swapped)', async () => {
    const clinicId = await clinicWithEvents(4);
    await asSuperuser(
      sql`UPDATE audit_event SET sequence = -2 WHERE clinic_id = ${clinicId} AND sequence = 2`,
    );
    await asSuperuser(
      sql`UPDATE audit_event SET sequence = 2 WHERE clinic_id = ${clinicId} AND sequence = 3`,
    );
    await asSuperuser(
      sql`UPDATE audit_event SET sequence = 3 WHERE clinic_id = ${clinicId} AND sequence = -2`,
    );
    const result = await verifyAuditChain(database.db, clinicId);
    expect(result.ok).toBe(false);
    expect(result.problems.some((p) => p.problem.includes('previous event'))).toBe(true);
  });

  it('detects a truncated tail through the chain head', async () => {
    const clinicId = await clinicWithEvents(4);
    await asSuperuser(sql`DELETE FROM audit_event WHERE clinic_id = ${clinicId} AND sequence >= 3`);
    const result = await verifyAuditChain(database.db, clinicId);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ sequence: 4, problem: expect.stringContaining('truncated') });
  });

  it('detects a wholly deleted log', async () => {
    const clinicId = await clinicWithEvents(2);
    await asSuperuser(sql`DELETE FROM audit_event WHERE clinic_id = ${clinicId}`);
    expect((await verifyAuditChain(database.db, clinicId)).ok).toBe(false);
  });
});
