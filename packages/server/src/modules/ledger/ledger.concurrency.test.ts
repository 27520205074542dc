import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { Role, StaffActor } from '../../context.ts';
import { type DatabaseHandle, openDatabase } from '../../db/client.ts';
import { ledgerEntry } from '../../db/schema/index.ts';
import { Conflict } from '../../errors.ts';
import { runUnitOfWork } from '../../http/unit-of-work.ts';
import { testEngine } from '../../testing/database.ts';
import { createClinic, createPatient, createStaffUser, testPassword } from '../../testing/factories.ts';
import {
  createLocation,
  createProduct,
  drawForAdministration,
  recordReceipt,
  recordWaste,
} from './ledger.service.ts';

/**
 * Many administrations and wastes against one lot at the same time, each in its own transaction on its own
 * PostgreSQL connection: the balance never goes below zero, no accepted entry is lost, and each entry's
 * balance follows from the one before. PGlite has a single connection (nothing runs concurrently there), so
 * this file runs on PostgreSQL only.
 */
const postgres = testEngine() === 'postgres';
let database: DatabaseHandle;
let url: string;
let clinicId: string;
let locationId: string;
let productId: string;
let patientId: string;
const actors: Record<string, StaffActor> = {};
const clock = new ManualClock('2026-06-01T15:00:00Z');
const meta = { requestId: null, ip: null, userAgent: null };

const as = <T>(who: string, work: Parameters<typeof runUnitOfWork<T>>[4]) =>
  runUnitOfWork(database.db, actors[who]!, meta, clock, work);

async function staff(key: string, roles: Role[]) {
  const user = await createStaffUser(database.db, clinicId, roles, { displayName: key });
  actors[key] = {
    kind: 'staff',
    userId: user.id,
    clinicId,
    sessionId: randomUUID(),
    email: user.email,
    displayName: key,
    roles,
  };
}

async function stock(containers: number): Promise<string> {
  const { entry } = await as('admin', (ctx) =>
    recordReceipt(ctx, {
      id: randomUUID(),
      locationId,
      productId,
      lotNumber: `C${randomUUID().slice(0, 8)}`,
      expiresOn: '2027-12-31',
      containers,
      supplier: { name: 'Acme Wholesale', address: '5 Depot Road', deaNumber: 'RA1234567' },
      invoiceNumber: 'INV-C',
      receivedAt: '2026-06-01T09:00:00Z',
    }),
  );
  return entry.lot.id;
}

async function entriesOf(lotId: string) {
  return database.db
    .select({
      id: ledgerEntry.id,
      kind: ledgerEntry.kind,
      quantity: ledgerEntry.quantity,
      balanceAfter: ledgerEntry.balanceAfter,
    })
    .from(ledgerEntry)
    .where(eq(ledgerEntry.lotId, lotId));
}

/** Each entry's balance is the previous entry's balance plus its own change: the entries were applied one by one. */
function expectOneChain(entries: { quantity: number; balanceAfter: number }[]) {
  const ordered = [...entries].sort((a, b) => b.balanceAfter - a.balanceAfter);
  let balance = 0;
  for (const [i, entry] of ordered.entries()) {
    if (i === 0) {
      balance = entry.balanceAfter;
      continue;
    }
    expect(entry.balanceAfter).toBeCloseTo(balance + entry.quantity, 6);
    balance = entry.balanceAfter;
  }
  for (const entry of entries) expect(entry.balanceAfter).toBeGreaterThanOrEqual(0);
}

beforeAll(async () => {
  if (!postgres) return;
  url = inject('postgresTestUrl')!;
  database = await openDatabase({ kind: 'postgres', url, poolSize: 24 });
  clinicId = (await createClinic(database.db, { name: 'Concurrency' })).id;
  await staff('admin', ['admin']);
  await staff('nurse', ['nurse']);
  await staff('witness', ['nurse']);
  patientId = (await createPatient(database.db, clinicId)).id;
  locationId = (
    await as('admin', (ctx) =>
      createLocation(ctx, { name: 'Main', address: '1 Main Street', deaRegistration: 'BC1234563' }),
    )
  ).id;
  productId = (
    await as('admin', (ctx) =>
      createProduct(ctx, {
        product: 'ketamine-racemic',
        name: 'Ketamine HCl injection 50 mg/mL',
        ndc: '42023-113-10',
        form: 'vial',
        concentrationMgPerUnit: 50,
        containerSize: 10,
      }),
    )
  ).id;
});
afterAll(async () => {
  await database?.close();
});

describe.skipIf(!postgres)('the ledger under concurrent draws and wastes (PostgreSQL)', () => {
  it('never takes a lot below zero and loses no accepted entry', async () => {
    const lotId = await stock(4); // 40 mL
    // 60 doses of 0.5 mL and 16 wastes of 1 mL: 46 mL asked of 40, all at once.
    const requests = [
      ...Array.from({ length: 60 }, () => ({
        kind: 'administration' as const,
        quantity: 0.5,
        id: randomUUID(),
      })),
      ...Array.from({ length: 16 }, () => ({ kind: 'waste' as const, quantity: 1, id: randomUUID() })),
    ].sort(() => Math.random() - 0.5);
    const outcomes = await Promise.allSettled(
      requests.map((request) =>
        request.kind === 'administration'
          ? as('nurse', (ctx) =>
              drawForAdministration(ctx, {
                lotId,
                quantity: request.quantity,
                sessionId: randomUUID(),
                administrationId: request.id,
                patientId,
                occurredAt: '2026-06-01T14:00:00Z',
              }),
            ).then((draw) => draw.entryId)
          : as('nurse', (ctx) =>
              recordWaste(ctx, {
                clientId: request.id,
                lotId,
                quantity: request.quantity,
                witness: { username: actors.witness!.email, password: testPassword },
                reason: 'Remainder after a dose',
              }),
            ).then((recorded) => recorded.entry.id),
      ),
    );
    const accepted = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o, i) =>
      o.status === 'rejected' ? [{ error: o.reason, request: requests[i]! }] : [],
    );
    // Every refusal is the service's 409 (not a deadlock, a serialization failure or a trigger error).
    for (const { error } of refused) expect(error).toBeInstanceOf(Conflict);
    const entries = await entriesOf(lotId);
    const outgoing = entries.filter((e) => e.kind !== 'receipt');
    // No lost entry: exactly the accepted requests are in the ledger, each once.
    expect(outgoing.map((e) => e.id).sort()).toEqual([...accepted].sort());
    expect(accepted.length + refused.length).toBe(requests.length);
    const taken = outgoing.reduce((sum, e) => sum - e.quantity, 0);
    const balance = Math.round((40 - taken) * 1000) / 1000;
    expect(balance).toBeGreaterThanOrEqual(0);
    expect(taken).toBeLessThanOrEqual(40);
    // Something was refused (46 mL asked of 40), and each refusal asked for more than was left at the end.
    expect(refused.length).toBeGreaterThan(0);
    for (const { request } of refused) expect(request.quantity).toBeGreaterThan(balance);
    // Balance identity: receipts − administrations − wastes.
    const of = (kind: string) => entries.filter((e) => e.kind === kind).reduce((s, e) => s + e.quantity, 0);
    expect(of('receipt') + of('administration') + of('waste')).toBeCloseTo(balance, 6);
    expectOneChain(entries);
    console.info(
      `ledger concurrency (service): ${requests.length} requests, ${accepted.length} accepted, ${refused.length} refused, ${balance} mL left`,
    );
  }, 120_000);

  it('refuses in the database itself: concurrent raw inserts past the service never overdraw a lot', async () => {
    const lotId = await stock(2); // 20 mL
    const clients = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        return client;
      }),
    );
    try {
      // Each connection opens a transaction and inserts 1 mL out, with no lock of its own: only the trigger
      // stands between 30 mL asked and 20 mL held.
      const results = await Promise.allSettled(
        clients.map(async (client, i) => {
          await client.query('BEGIN');
          try {
            await client.query(
              `INSERT INTO ledger_entry (id, clinic_id, location_id, lot_id, kind, quantity, quantity_mg, balance_after,
                 occurred_at, recorded_at, recorded_by, recorded_by_name, signed_by, reason, request_fingerprint)
               VALUES ($1, $2, $3, $4, 'adjustment', -1, 0, 0, now(), now(), $5, 'raw', $5, $6, $7)`,
              [randomUUID(), clinicId, locationId, lotId, actors.admin!.userId, `raw ${i}`, 'b'.repeat(64)],
            );
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        }),
      );
      const accepted = results.filter((r) => r.status === 'fulfilled').length;
      const refused = results.flatMap((r) =>
        r.status === 'rejected' ? [r.reason as { code?: string; constraint?: string }] : [],
      );
      expect(accepted).toBe(20);
      expect(refused).toHaveLength(10);
      for (const error of refused) {
        expect(error.code).toBe('23514');
        expect(error.constraint).toBe('ledger_entry_balance_nonnegative');
      }
      const entries = await entriesOf(lotId);
      expect(entries).toHaveLength(21);
      expect(entries.reduce((s, e) => s + e.quantity, 0)).toBe(0);
      expect(Math.min(...entries.map((e) => e.balanceAfter))).toBe(0);
      expectOneChain(entries);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  }, 120_000);
});
