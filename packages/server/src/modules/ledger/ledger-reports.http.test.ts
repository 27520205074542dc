import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import {
  auditEvent,
  ledgerCount,
  ledgerCountLine,
  ledgerEntry,
  ledgerSettings,
} from '../../db/schema/index.ts';
import { createTestDatabase, testEngine } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  databaseError,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import {
  addLedgerEntry,
  createLedgerLocation,
  createLedgerLot,
  createLedgerProduct,
} from './ledger-reports.fixture.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let nurse: SignedIn;
let admin: SignedIn;
let therapist: SignedIn;
let frontDesk: SignedIn;
let foreignNurse: SignedIn;
let nurseId: string;
let adminId: string;
let witnessId: string;
let foreignClinicId: string;
let foreignAdminId: string;
const clock = new ManualClock('2026-06-10T16:00:00Z');
/** A time after the clock's (the clock itself stays put, so sign-ins do not idle out). */
const later = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000).toISOString();

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  foreignClinicId = foreign.id;
  const nurseUser = await createStaffUser(database.db, clinicId, ['nurse'], { displayName: 'Nora Nurse' });
  nurseId = nurseUser.id;
  const adminUser = await createStaffUser(database.db, clinicId, ['admin'], { displayName: 'Ada Admin' });
  adminId = adminUser.id;
  witnessId = (await createStaffUser(database.db, clinicId, ['nurse'])).id;
  foreignAdminId = (await createStaffUser(database.db, foreign.id, ['admin'])).id;
  nurse = await signIn(app, nurseUser.email);
  admin = await signIn(app, adminUser.email);
  therapist = await signIn(app, (await createStaffUser(database.db, clinicId, ['therapist'])).email);
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  foreignNurse = await signIn(app, (await createStaffUser(database.db, foreign.id, ['nurse'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** A location with one 10 mL vial product (50 mg/mL) and a lot that received `received` mL on 1 June. */
async function stockedLocation(received = 20, name = 'Main clinic') {
  const location = await createLedgerLocation(database.db, clinicId, adminId, name);
  const product = await createLedgerProduct(database.db, clinicId, adminId);
  const lot = await createLedgerLot(database.db, clinicId, location.id, product.id);
  const receipt = await addLedgerEntry(database.db, lot, {
    kind: 'receipt',
    quantity: received,
    occurredAt: '2026-06-01T14:00:00Z',
    recordedBy: nurseId,
  });
  return { location, product, lot, receipt };
}

const post = (who: SignedIn, url: string, payload: object) => as(app, who)({ method: 'POST', url, payload });
const get = (who: SignedIn, url: string) => as(app, who)({ method: 'GET', url });

const countPayload = (
  locationId: string,
  lines: Record<string, unknown>[],
  overrides: Record<string, unknown> = {},
) => ({
  id: randomUUID(),
  locationId,
  kind: 'count',
  takenAt: '2026-06-10T15:00:00Z',
  lines,
  ...overrides,
});

async function auditActions(resourceId: string) {
  const rows = await database.db
    .select({ action: auditEvent.action })
    .from(auditEvent)
    .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.resourceId, resourceId)));
  return rows.map((r) => r.action);
}

describe('physical counts against the book balance', () => {
  it('a matching count: book balance from the entries up to the count, no discrepancy, audited', async () => {
    const { location, lot } = await stockedLocation(20);
    await addLedgerEntry(database.db, lot, {
      kind: 'administration',
      quantity: -1.5,
      occurredAt: '2026-06-05T15:00:00Z',
      recordedBy: nurseId,
      patientId: (await createPatient(database.db, clinicId)).id,
    });
    // After the count: not part of its book balance.
    await addLedgerEntry(database.db, lot, {
      kind: 'administration',
      quantity: -1,
      occurredAt: '2026-06-10T15:30:00Z',
      recordedBy: nurseId,
      patientId: (await createPatient(database.db, clinicId)).id,
    });
    const payload = countPayload(location.id, [
      { lotId: lot.id, sealedContainers: 1, openedContainers: 1, openedQuantity: 8.5 },
    ]);
    const response = await post(nurse, '/api/v1/ledger/counts', payload);
    expect(response.statusCode).toBe(201);
    const count = response.json();
    expect(count).toMatchObject({
      id: payload.id,
      kind: 'count',
      takenOn: '2026-06-10',
      countedBy: { name: 'Nora Nurse' },
      location: { id: location.id, deaRegistration: location.deaRegistration },
      summary: { lots: 1, discrepancies: 0, open: 0 },
      retainedUntil: '2028-06-10',
    });
    expect(count.lines[0]).toMatchObject({
      countedQuantity: 18.5,
      countedMg: 925,
      bookBalance: 18.5,
      difference: 0,
      status: 'none',
      discrepancy: { kind: 'match', actions: [] },
    });
    expect(await auditActions(payload.id)).toContain('ledger.count.record');
    const read = await get(admin, `/api/v1/ledger/counts/${payload.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().lines[0].bookBalance).toBe(18.5);
    expect(await auditActions(payload.id)).toContain('ledger.count.read');
  });

  it('a shortage is a discrepancy pointing to an adjustment or a loss report; the balance is not touched', async () => {
    const { location, lot } = await stockedLocation(20);
    const response = await post(
      nurse,
      '/api/v1/ledger/counts',
      countPayload(location.id, [
        { lotId: lot.id, sealedContainers: 1, openedContainers: 1, openedQuantity: 8 },
      ]),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().lines[0]).toMatchObject({
      bookBalance: 20,
      countedQuantity: 18,
      difference: -2,
      status: 'open',
      unresolvedQuantity: -2,
      discrepancy: { kind: 'shortage', actions: ['adjustment', 'loss-report'] },
    });
    expect(response.json().lines[0].discrepancy.citation.source).toContain('1301.76(b)');
    const [balance] = await database.db
      .select({ sum: sql<string>`SUM(${ledgerEntry.quantity})` })
      .from(ledgerEntry)
      .where(and(eq(ledgerEntry.clinicId, clinicId), eq(ledgerEntry.lotId, lot.id)));
    expect(Number(balance!.sum)).toBe(20);
  });

  it('an overage points to an adjustment', async () => {
    const { location, lot } = await stockedLocation(10);
    const response = await post(
      nurse,
      '/api/v1/ledger/counts',
      countPayload(location.id, [
        { lotId: lot.id, sealedContainers: 1, openedContainers: 1, openedQuantity: 0.5 },
      ]),
    );
    expect(response.json().lines[0]).toMatchObject({
      difference: 0.5,
      discrepancy: { kind: 'overage', actions: ['adjustment'] },
    });
  });

  it('is idempotent by the client id: the same count again returns the first; other content is a 409', async () => {
    const { location, lot } = await stockedLocation(10);
    const payload = countPayload(location.id, [{ lotId: lot.id, sealedContainers: 1 }]);
    expect((await post(nurse, '/api/v1/ledger/counts', payload)).statusCode).toBe(201);
    const again = await post(nurse, '/api/v1/ledger/counts', payload);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(payload.id);
    const changed = await post(nurse, '/api/v1/ledger/counts', {
      ...payload,
      lines: [{ lotId: lot.id, sealedContainers: 0 }],
    });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().errors).toEqual([expect.objectContaining({ path: 'id' })]);
    const rows = await database.db.select().from(ledgerCount).where(eq(ledgerCount.id, payload.id));
    expect(rows).toHaveLength(1);
  });

  it('refuses bad input with field paths', async () => {
    const { location, lot } = await stockedLocation(10);
    const other = await stockedLocation(10, 'Annex');
    const cases: [Record<string, unknown>, string][] = [
      [countPayload(location.id, []), 'lines'],
      [countPayload(location.id, [{ lotId: lot.id, sealedContainers: -1 }]), 'lines.0.sealedContainers'],
      [
        countPayload(location.id, [{ lotId: lot.id, sealedContainers: 1, method: 'estimated' }]),
        'lines.0.method',
      ],
      [
        countPayload(location.id, [
          { lotId: lot.id, sealedContainers: 1 },
          { lotId: lot.id, sealedContainers: 1 },
        ]),
        'lines.1.lotId',
      ],
      [countPayload(location.id, [{ lotId: other.lot.id, sealedContainers: 1 }]), 'lines.0.lotId'],
      [
        countPayload(location.id, [
          { lotId: lot.id, sealedContainers: 0, openedContainers: 1, openedQuantity: 12 },
        ]),
        'lines.0.openedQuantity',
      ],
      [
        countPayload(location.id, [{ lotId: lot.id, sealedContainers: 1 }], {
          takenAt: '2026-06-11T15:00:00Z',
        }),
        'takenAt',
      ],
      [countPayload(randomUUID(), [{ lotId: lot.id, sealedContainers: 1 }]), 'locationId'],
      [
        countPayload(location.id, [{ lotId: lot.id, sealedContainers: 1 }], { kind: 'initial-inventory' }),
        'businessTime',
      ],
      [{ ...countPayload(location.id, [{ lotId: lot.id, sealedContainers: 1 }]), extra: 1 }, ''],
    ];
    for (const [payload, path] of cases) {
      const response = await post(nurse, '/api/v1/ledger/counts', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      if (path) expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('counts whole devices', async () => {
    const location = await createLedgerLocation(database.db, clinicId, adminId, 'Spravato room');
    const product = await createLedgerProduct(database.db, clinicId, adminId, {
      product: 'esketamine',
      name: 'SPRAVATO 28 mg device',
      form: 'nasal-device',
      unit: 'device',
      concentrationMgPerUnit: 28,
      containerSize: 1,
    });
    const lot = await createLedgerLot(database.db, clinicId, location.id, product.id);
    await addLedgerEntry(database.db, lot, {
      kind: 'receipt',
      quantity: 6,
      occurredAt: '2026-06-01T14:00:00Z',
      recordedBy: nurseId,
    });
    const ok = await post(
      nurse,
      '/api/v1/ledger/counts',
      countPayload(location.id, [{ lotId: lot.id, sealedContainers: 6 }]),
    );
    expect(ok.json().lines[0]).toMatchObject({ countedQuantity: 6, countedMg: 168, difference: 0 });
  });

  it('wrong roles get 403; another clinic gets 404 for a count and 400 for its location', async () => {
    const { location, lot } = await stockedLocation(10);
    const payload = countPayload(location.id, [{ lotId: lot.id, sealedContainers: 1 }]);
    expect((await post(therapist, '/api/v1/ledger/counts', payload)).statusCode).toBe(403);
    expect((await post(frontDesk, '/api/v1/ledger/counts', payload)).statusCode).toBe(403);
    expect((await get(therapist, '/api/v1/ledger/counts')).statusCode).toBe(403);
    const created = await post(nurse, '/api/v1/ledger/counts', payload);
    expect(created.statusCode).toBe(201);
    const foreignRead = await get(foreignNurse, `/api/v1/ledger/counts/${payload.id}`);
    expect(foreignRead.statusCode).toBe(404);
    expect(foreignRead.body).not.toContain(location.deaRegistration);
    const foreignPost = await post(foreignNurse, '/api/v1/ledger/counts', {
      ...payload,
      id: randomUUID(),
    });
    expect(foreignPost.statusCode).toBe(400);
    expect(foreignPost.json().errors[0].path).toBe('locationId');
    const foreignList = await get(foreignNurse, '/api/v1/ledger/counts');
    expect(foreignList.json().items.map((c: { id: string }) => c.id)).not.toContain(payload.id);
    // The same id from another clinic does not reveal the first clinic's count.
    const sameId = await post(foreignNurse, '/api/v1/ledger/counts', payload);
    expect(sameId.statusCode).toBe(400);
  });

  it('lists counts newest first, filtered by kind', async () => {
    const { location, lot } = await stockedLocation(10);
    const payload = countPayload(location.id, [{ lotId: lot.id, sealedContainers: 1 }]);
    await post(nurse, '/api/v1/ledger/counts', payload);
    const list = await get(nurse, `/api/v1/ledger/counts?locationId=${location.id}&kind=count`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0]).toMatchObject({ id: payload.id, summary: { lots: 1 } });
    expect(list.json().items[0].lines).toBeUndefined();
  });

  it('the database refuses to change or remove a count', async () => {
    const { location, lot } = await stockedLocation(10);
    const payload = countPayload(location.id, [{ lotId: lot.id, sealedContainers: 1 }]);
    await post(nurse, '/api/v1/ledger/counts', payload);
    expect(
      await databaseError(
        database.db.update(ledgerCount).set({ note: 'changed' }).where(eq(ledgerCount.id, payload.id)),
      ),
    ).toMatch(/append-only/);
    expect(
      await databaseError(database.db.delete(ledgerCountLine).where(eq(ledgerCountLine.countId, payload.id))),
    ).toMatch(/append-only/);
  });
});

describe('resolving a discrepancy with an entry of its own', () => {
  async function shortCount(received = 20, counted = 8) {
    const stock = await stockedLocation(received);
    const response = await post(
      nurse,
      '/api/v1/ledger/counts',
      countPayload(stock.location.id, [
        { lotId: stock.lot.id, sealedContainers: 1, openedContainers: 1, openedQuantity: counted },
      ]),
    );
    expect(response.statusCode).toBe(201);
    return { ...stock, count: response.json() };
  }
  const resolve = (who: SignedIn, countId: string, lotId: string, entryId: string) =>
    post(who, `/api/v1/ledger/counts/${countId}/lots/${lotId}/resolutions`, { entryId });

  it('links an adjustment recorded after the count; the line is resolved; a retry is idempotent', async () => {
    const { lot, count } = await shortCount();
    const adjustment = await addLedgerEntry(database.db, lot, {
      kind: 'adjustment',
      quantity: -2,
      occurredAt: later(5),
      recordedBy: adminId,
      signedBy: adminId,
      reason: `Count ${count.takenOn}: spilled vial`,
    });
    const linked = await resolve(nurse, count.id, lot.id, adjustment.id);
    expect(linked.statusCode).toBe(201);
    expect(linked.json().lines[0]).toMatchObject({
      status: 'resolved',
      resolvedQuantity: -2,
      unresolvedQuantity: 0,
      resolutions: [{ entryId: adjustment.id, kind: 'adjustment', quantity: -2 }],
    });
    expect(linked.json().summary).toMatchObject({ discrepancies: 1, open: 0 });
    const again = await resolve(nurse, count.id, lot.id, adjustment.id);
    expect(again.statusCode).toBe(200);
    expect(await auditActions(count.id)).toContain('ledger.count.resolve');
    // The adjustment reversed by a correction accounts for nothing: the discrepancy is open again.
    await addLedgerEntry(database.db, lot, {
      kind: 'correction',
      quantity: 2,
      occurredAt: later(6),
      recordedBy: adminId,
      signedBy: adminId,
      reversesId: adjustment.id,
      reason: 'Adjusted the wrong lot',
    });
    const reopened = (await get(nurse, `/api/v1/ledger/counts/${count.id}`)).json().lines[0];
    expect(reopened).toMatchObject({ status: 'open', resolvedQuantity: 0, unresolvedQuantity: -2 });
    expect(reopened.resolutions[0].reversedById).toEqual(expect.any(String));
  });

  it('a loss report resolves part of it; the rest stays open', async () => {
    const { lot, count } = await shortCount(20, 7);
    const loss = await addLedgerEntry(database.db, lot, {
      kind: 'loss',
      quantity: -2,
      occurredAt: later(5),
      recordedBy: nurseId,
    });
    const linked = await resolve(nurse, count.id, lot.id, loss.id);
    expect(linked.json().lines[0]).toMatchObject({
      status: 'open',
      resolvedQuantity: -2,
      unresolvedQuantity: -1,
    });
  });

  it('refuses entries that cannot account for it', async () => {
    const { lot, count, location, product, receipt: before } = await shortCount();
    const otherLot = await createLedgerLot(database.db, clinicId, location.id, product.id);
    const at = later(5);
    const receipt = await addLedgerEntry(database.db, lot, {
      kind: 'receipt',
      quantity: 10,
      occurredAt: at,
      recordedBy: nurseId,
    });
    const tooMuch = await addLedgerEntry(database.db, lot, {
      kind: 'adjustment',
      quantity: -3,
      occurredAt: at,
      recordedBy: adminId,
      signedBy: adminId,
    });
    const elsewhere = await addLedgerEntry(database.db, otherLot, {
      kind: 'receipt',
      quantity: 5,
      occurredAt: at,
      recordedBy: nurseId,
    });
    for (const [entryId, message] of [
      [receipt.id, /shortage/i],
      [tooMuch.id, /more than/i],
      [elsewhere.id, /another lot/i],
      [before.id, /already in the book/i],
      [randomUUID(), /no such/i],
    ] as const) {
      const response = await resolve(nurse, count.id, lot.id, entryId);
      expect(response.statusCode, entryId).toBe(400);
      expect(response.json().detail).toMatch(message);
      expect(response.json().errors[0].path).toBe('entryId');
    }
    expect((await resolve(therapist, count.id, lot.id, tooMuch.id)).statusCode).toBe(403);
    expect((await resolve(foreignNurse, count.id, lot.id, tooMuch.id)).statusCode).toBe(404);
    expect((await resolve(nurse, count.id, otherLot.id, tooMuch.id)).statusCode).toBe(404);
  });

  it('a line without a discrepancy has nothing to resolve; an entry resolves one discrepancy only', async () => {
    const { location, lot } = await stockedLocation(10);
    const match = await post(
      nurse,
      '/api/v1/ledger/counts',
      countPayload(location.id, [{ lotId: lot.id, sealedContainers: 1 }]),
    );
    // Happened at 15:10 (after the count at 15:00), recorded after the count was.
    const adjustment = await addLedgerEntry(database.db, lot, {
      kind: 'adjustment',
      quantity: -1,
      occurredAt: '2026-06-10T15:10:00Z',
      recordedAt: later(1),
      recordedBy: adminId,
      signedBy: adminId,
    });
    const response = await resolve(nurse, match.json().id, lot.id, adjustment.id);
    expect(response.statusCode).toBe(409);
    // Two counts at 15:20, short by 1 (book 9, counted 8): one adjustment accounts for the first only.
    const shortLine = [{ lotId: lot.id, sealedContainers: 0, openedContainers: 1, openedQuantity: 8 }];
    const first = await post(
      nurse,
      '/api/v1/ledger/counts',
      countPayload(location.id, shortLine, { takenAt: '2026-06-10T15:20:00Z' }),
    );
    const second = await post(
      nurse,
      '/api/v1/ledger/counts',
      countPayload(location.id, shortLine, { takenAt: '2026-06-10T15:20:00Z' }),
    );
    expect(first.json().lines[0].difference).toBe(-1);
    const fix = await addLedgerEntry(database.db, lot, {
      kind: 'adjustment',
      quantity: -1,
      occurredAt: '2026-06-10T15:50:00Z',
      recordedAt: later(2),
      recordedBy: adminId,
      signedBy: adminId,
    });
    expect((await resolve(nurse, first.json().id, lot.id, fix.id)).statusCode).toBe(201);
    expect((await resolve(nurse, second.json().id, lot.id, fix.id)).statusCode).toBe(409);
  });
});

describe('initial and biennial inventories', () => {
  const inventory = (
    locationId: string,
    lines: Record<string, unknown>[],
    overrides: Record<string, unknown> = {},
  ) => countPayload(locationId, lines, { kind: 'initial-inventory', businessTime: 'opening', ...overrides });

  it('a zero initial inventory, then a biennial one; the schedule gives the next due date', async () => {
    const location = await createLedgerLocation(database.db, clinicId, adminId, 'New site');
    const status0 = await get(nurse, '/api/v1/ledger/inventory-status');
    expect(status0.statusCode).toBe(200);
    expect(
      status0.json().items.find((i: { location: { id: string } }) => i.location.id === location.id),
    ).toMatchObject({
      status: 'initial-due',
      initialInventory: null,
      nextDueDate: null,
    });
    const initial = await post(
      nurse,
      '/api/v1/ledger/counts',
      inventory(location.id, [], { takenAt: '2026-06-01T13:00:00Z' }),
    );
    expect(initial.statusCode).toBe(201);
    expect(initial.json()).toMatchObject({ kind: 'initial-inventory', businessTime: 'opening', lines: [] });
    expect(await auditActions(initial.json().id)).toContain('ledger.inventory.record');
    const status1 = (await get(nurse, '/api/v1/ledger/inventory-status')).json();
    expect(
      status1.items.find((i: { location: { id: string } }) => i.location.id === location.id),
    ).toMatchObject({
      status: 'current',
      initialInventory: { takenOn: '2026-06-01' },
      nextDueDate: '2028-06-01',
      intervalMonths: 24,
    });
    const second = await post(
      nurse,
      '/api/v1/ledger/counts',
      inventory(location.id, [], { takenAt: '2026-06-02T13:00:00Z' }),
    );
    expect(second.statusCode).toBe(409);
    const biennial = await post(
      nurse,
      '/api/v1/ledger/counts',
      inventory(location.id, [], {
        kind: 'biennial-inventory',
        businessTime: 'close',
        takenAt: '2026-06-09T22:00:00Z',
      }),
    );
    expect(biennial.statusCode).toBe(201);
    const earlier = await post(
      nurse,
      '/api/v1/ledger/counts',
      inventory(location.id, [], { kind: 'biennial-inventory', takenAt: '2026-06-05T13:00:00Z' }),
    );
    expect(earlier.statusCode).toBe(400);
    expect(earlier.json().errors[0].path).toBe('takenAt');
  });

  it('a biennial inventory needs the initial one first; an inventory lists every lot on hand', async () => {
    const { location, lot } = await stockedLocation(20, 'Stocked site');
    const biennial = await post(
      nurse,
      '/api/v1/ledger/counts',
      inventory(location.id, [{ lotId: lot.id, sealedContainers: 2 }], { kind: 'biennial-inventory' }),
    );
    expect(biennial.statusCode).toBe(400);
    expect(biennial.json().errors[0].path).toBe('kind');
    const missing = await post(nurse, '/api/v1/ledger/counts', inventory(location.id, []));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0]).toMatchObject({ path: 'lines' });
    expect(missing.json().errors[0].message).toContain(lot.lotNumber);
    const ok = await post(
      nurse,
      '/api/v1/ledger/counts',
      inventory(location.id, [
        { lotId: lot.id, sealedContainers: 1, openedContainers: 1, openedQuantity: 9.5, method: 'estimated' },
      ]),
    );
    expect(ok.statusCode).toBe(201);
    expect(ok.json().lines[0]).toMatchObject({ method: 'estimated', difference: -0.5, status: 'open' });
    const pdf = await get(nurse, `/api/v1/ledger/counts/${ok.json().id}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['cache-control']).toBe('no-store');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const csv = await get(nurse, `/api/v1/ledger/counts/${ok.json().id}/report.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[1]).toContain(`initial-inventory,2026-06-10`);
    expect(csv.body).toContain(',estimated,');
    expect(await auditActions(ok.json().id)).toContain('ledger.count.export');
    expect((await get(foreignNurse, `/api/v1/ledger/counts/${ok.json().id}/report.pdf`)).statusCode).toBe(
      404,
    );
  });
});

describe('ledger settings: jurisdiction, interval, retention', () => {
  it('defaults to federal rules and 2 years; an admin saves a stricter setup; the rules follow it', async () => {
    const own = await createClinic(database.db, { name: 'Iowa clinic' });
    const ownAdmin = await createStaffUser(database.db, own.id, ['admin']);
    const ownNurse = await createStaffUser(database.db, own.id, ['nurse']);
    const adminIn = await signIn(app, ownAdmin.email);
    const nurseIn = await signIn(app, ownNurse.email);
    const initial = await get(nurseIn, '/api/v1/ledger/settings');
    expect(initial.json()).toMatchObject({
      jurisdiction: 'federal',
      effectiveIntervalMonths: 24,
      retentionYears: 2,
      estimateToleranceQuantity: null,
      updatedAt: null,
    });
    const put = (who: SignedIn, payload: object) =>
      as(app, who)({ method: 'PUT', url: '/api/v1/ledger/settings', payload });
    expect((await put(nurseIn, { retentionYears: 5 })).statusCode).toBe(403);
    const tooShort = await put(adminIn, { retentionYears: 1 });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().errors[0].path).toBe('retentionYears');
    const longer = await put(adminIn, { inventoryIntervalMonths: 36 });
    expect(longer.statusCode).toBe(400);
    const saved = await put(adminIn, { jurisdiction: 'iowa', retentionYears: 5 });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      jurisdiction: 'iowa',
      effectiveIntervalMonths: 12,
      retentionYears: 5,
    });
    const [audit] = await database.db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, own.id), eq(auditEvent.action, 'ledger.settings.update')));
    expect(audit?.detail).toMatchObject({ changed: ['jurisdiction', 'retentionYears'] });

    // Iowa: an opened vial is counted exactly; the next inventory is due in a year.
    const location = await createLedgerLocation(database.db, own.id, ownAdmin.id);
    const product = await createLedgerProduct(database.db, own.id, ownAdmin.id);
    const lot = await createLedgerLot(database.db, own.id, location.id, product.id);
    await addLedgerEntry(database.db, lot, {
      kind: 'receipt',
      quantity: 10,
      occurredAt: '2026-06-01T14:00:00Z',
      recordedBy: ownNurse.id,
    });
    const estimated = await post(
      nurseIn,
      '/api/v1/ledger/counts',
      countPayload(
        location.id,
        [
          {
            lotId: lot.id,
            sealedContainers: 0,
            openedContainers: 1,
            openedQuantity: 10,
            method: 'estimated',
          },
        ],
        {
          kind: 'initial-inventory',
          businessTime: 'close',
        },
      ),
    );
    expect(estimated.statusCode).toBe(400);
    expect(estimated.json().errors[0].path).toBe('lines.0.method');
    const exact = await post(
      nurseIn,
      '/api/v1/ledger/counts',
      countPayload(
        location.id,
        [{ lotId: lot.id, sealedContainers: 0, openedContainers: 1, openedQuantity: 10 }],
        {
          kind: 'initial-inventory',
          businessTime: 'close',
        },
      ),
    );
    expect(exact.statusCode).toBe(201);
    expect(exact.json().retainedUntil).toBe('2031-06-10');
    const status = (await get(nurseIn, '/api/v1/ledger/inventory-status')).json();
    expect(status.items[0]).toMatchObject({ nextDueDate: '2027-06-10', intervalMonths: 12 });
  });

  it('the database refuses a retention under 2 years, whatever writes it', async () => {
    const own = await createClinic(database.db);
    const ownAdmin = await createStaffUser(database.db, own.id, ['admin']);
    expect(
      await databaseError(
        database.db.insert(ledgerSettings).values({
          clinicId: own.id,
          values: { retentionYears: 1 },
          updatedAt: new Date(),
          updatedBy: ownAdmin.id,
        }),
      ),
    ).toMatch(/ledger_settings_retention_check/);
  });
});

describe('the dispensing log', () => {
  async function loggedLocation() {
    const { location, lot, product } = await stockedLocation(20, 'Log site');
    const withAddress = await createPatient(database.db, clinicId, {
      givenName: 'Robin',
      familyName: 'Example',
      address: { line1: '12 Elm St', city: 'Springfield', region: 'IL', postalCode: '62704', country: 'US' },
    });
    const withoutAddress = await createPatient(database.db, clinicId, {
      givenName: 'Sam',
      familyName: 'Nohome',
    });
    // Before the period: part of the opening balance.
    await addLedgerEntry(database.db, lot, {
      kind: 'administration',
      quantity: -2,
      occurredAt: '2026-06-02T15:00:00Z',
      recordedBy: nurseId,
      patientId: withAddress.id,
    });
    // 3 June 23:30 in New York is 4 June 03:30 UTC: inside a 3 June period.
    await addLedgerEntry(database.db, lot, {
      kind: 'administration',
      quantity: -1.5,
      occurredAt: '2026-06-04T03:30:00Z',
      recordedBy: nurseId,
      recordedByName: 'Nora Nurse',
      patientId: withAddress.id,
    });
    await addLedgerEntry(database.db, lot, {
      kind: 'waste',
      quantity: -0.5,
      occurredAt: '2026-06-04T03:40:00Z',
      recordedBy: nurseId,
      witnessId,
      reason: 'Remainder of the vial after the dose',
    });
    await addLedgerEntry(database.db, lot, {
      kind: 'administration',
      quantity: -1,
      occurredAt: '2026-06-05T15:00:00Z',
      recordedBy: nurseId,
      patientId: withoutAddress.id,
    });
    await addLedgerEntry(database.db, lot, {
      kind: 'transfer',
      quantity: -5,
      occurredAt: '2026-06-06T15:00:00Z',
      recordedBy: nurseId,
    });
    // After the period.
    await addLedgerEntry(database.db, lot, {
      kind: 'loss',
      quantity: -1,
      occurredAt: '2026-06-08T15:00:00Z',
      recordedBy: nurseId,
    });
    return { location, lot, product, withAddress, withoutAddress };
  }

  it('per lot: the opening balance, every entry with its running balance and the 1304.22(c) fields, the closing balance', async () => {
    const { location, lot, withAddress, withoutAddress } = await loggedLocation();
    const response = await get(
      nurse,
      `/api/v1/ledger/dispensing-log?locationId=${location.id}&from=2026-06-03&to=2026-06-07`,
    );
    expect(response.statusCode).toBe(200);
    const log = response.json();
    expect(log).toMatchObject({
      location: { id: location.id },
      from: '2026-06-03',
      to: '2026-06-07',
      retentionYears: 2,
    });
    expect(log.lots).toHaveLength(1);
    const [entryLot] = log.lots;
    expect(entryLot).toMatchObject({
      lot: { id: lot.id, unit: 'mL', concentrationMgPerUnit: 50, containerSize: 10 },
      openingBalance: 18,
      closingBalance: 10,
      received: 0,
      administered: 2.5,
      wasted: 0.5,
      transferred: 5,
      lost: 0,
    });
    expect(entryLot.entries.map((e: { kind: string; balance: number }) => [e.kind, e.balance])).toEqual([
      ['administration', 16.5],
      ['waste', 16],
      ['administration', 15],
      ['transfer', 10],
    ]);
    expect(entryLot.entries[0]).toMatchObject({
      date: '2026-06-03',
      quantity: -1.5,
      quantityMg: -75,
      recordedBy: 'Nora Nurse',
      patient: { id: withAddress.id, name: 'Robin Example', address: '12 Elm St, Springfield, IL 62704, US' },
      gaps: [],
    });
    expect(entryLot.entries[1]).toMatchObject({
      witness: 'Test Witness',
      reason: 'Remainder of the vial after the dose',
    });
    expect(entryLot.entries[2]).toMatchObject({
      patient: { name: 'Sam Nohome', address: null },
      gaps: ['patient address'],
    });
    expect(entryLot.entries[3].counterparty).toMatchObject({
      name: 'Reverse Distributor Inc',
      dea: 'RR7654321',
    });
    expect(log.incompleteEntries).toBe(1);
    // Reading the log is audited, and so is each patient it names.
    const patientEvents = await database.db
      .select({ patientId: auditEvent.patientId })
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.clinicId, clinicId),
          eq(auditEvent.action, 'ledger.dispensing-log.read'),
          eq(auditEvent.resourceId, location.id),
        ),
      );
    expect(patientEvents.map((e) => e.patientId).sort()).toEqual(
      [null, withAddress.id, withoutAddress.id].sort(),
    );
  });

  it('names the patient and address as they were on the date of the dose, not as they are now', async () => {
    const { location, withAddress } = await loggedLocation();
    // The patient moves after the doses (the clock stands on 10 June): the front desk amends the chart.
    const moved = await as(
      app,
      frontDesk,
    )({
      method: 'PATCH',
      url: `/api/v1/patients/${withAddress.id}`,
      headers: { 'if-match': '"1"' },
      payload: {
        version: 1,
        address: { line1: '9 New Rd', city: 'Peoria', region: 'IL', postalCode: '61602', country: 'US' },
      },
    });
    expect(moved.statusCode).toBe(200);
    const log = (
      await get(
        nurse,
        `/api/v1/ledger/dispensing-log?locationId=${location.id}&from=2026-06-03&to=2026-06-07`,
      )
    ).json();
    expect(log.lots[0].entries[0].patient).toMatchObject({
      id: withAddress.id,
      name: 'Robin Example',
      address: '12 Elm St, Springfield, IL 62704, US',
    });
  });

  it('as CSV an inspector can open in a spreadsheet, and as a printable PDF', async () => {
    const { location } = await loggedLocation();
    const query = `locationId=${location.id}&from=2026-06-03&to=2026-06-07`;
    const csv = await get(admin, `/api/v1/ledger/dispensing-log.csv?${query}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      /attachment; filename="dispensing-log-Log-site-2026-06-03-to-2026-06-07.csv"/,
    );
    expect(csv.headers['cache-control']).toBe('no-store');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^location,dea_registration,substance,ndc,form/);
    expect(lines).toHaveLength(1 + 1 + 4 + 1);
    expect(lines[1]).toContain('Opening balance');
    expect(lines[2]).toContain('Administered');
    expect(lines[2]).toContain('"12 Elm St, Springfield, IL 62704, US"');
    expect(lines[2]).toContain('Robin Example');
    expect(lines[4]).toContain('patient address');
    expect(lines[6]).toContain('Closing balance');
    const pdf = await get(admin, `/api/v1/ledger/dispensing-log.pdf?${query}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const { PDFDocument } = await import('pdf-lib');
    const doc = await PDFDocument.load(pdf.rawPayload);
    expect(doc.getTitle()).toContain('dispensing log');
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    const exports = await database.db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.clinicId, clinicId),
          eq(auditEvent.action, 'ledger.dispensing-log.export'),
          eq(auditEvent.resourceId, location.id),
        ),
      );
    expect(exports.map((e) => (e.detail as { format: string }).format)).toEqual(
      expect.arrayContaining(['csv', 'pdf']),
    );
  });

  it('a long log paginates in the PDF', async () => {
    const { location, lot } = await stockedLocation(200, 'Busy site');
    for (let i = 0; i < 60; i++) {
      await addLedgerEntry(database.db, lot, {
        kind: 'administration',
        quantity: -1,
        occurredAt: new Date(Date.parse('2026-06-02T12:00:00Z') + i * 3_600_000).toISOString(),
        recordedBy: nurseId,
        patientId: (await createPatient(database.db, clinicId)).id,
      });
    }
    const pdf = await get(
      admin,
      `/api/v1/ledger/dispensing-log.pdf?locationId=${location.id}&from=2026-06-01&to=2026-06-09`,
    );
    const { PDFDocument } = await import('pdf-lib');
    expect((await PDFDocument.load(pdf.rawPayload)).getPageCount()).toBeGreaterThan(1);
  });

  it('validation, roles and clinics', async () => {
    const { location } = await stockedLocation(10, 'Checked site');
    const bad = await get(
      nurse,
      `/api/v1/ledger/dispensing-log?locationId=${location.id}&from=2026-06-07&to=2026-06-03`,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring.to');
    const noDate = await get(
      nurse,
      `/api/v1/ledger/dispensing-log?locationId=${location.id}&from=June&to=2026-06-03`,
    );
    expect(noDate.statusCode).toBe(400);
    expect(noDate.json().errors[0].path).toBe('querystring.from');
    const query = `locationId=${location.id}&from=2026-06-01&to=2026-06-10`;
    expect((await get(therapist, `/api/v1/ledger/dispensing-log?${query}`)).statusCode).toBe(403);
    expect((await get(frontDesk, `/api/v1/ledger/dispensing-log.csv?${query}`)).statusCode).toBe(403);
    for (const path of ['dispensing-log', 'dispensing-log.csv', 'dispensing-log.pdf']) {
      const foreign = await get(foreignNurse, `/api/v1/ledger/${path}?${query}`);
      expect(foreign.statusCode, path).toBe(404);
      expect(foreign.body).not.toContain(location.deaRegistration);
    }
    // A foreign clinic's own empty location gives an empty log, not the first clinic's stock.
    const foreignLocation = await createLedgerLocation(
      database.db,
      foreignClinicId,
      foreignAdminId,
      'Foreign',
    );
    const empty = await get(
      foreignNurse,
      `/api/v1/ledger/dispensing-log?locationId=${foreignLocation.id}&from=2026-06-01&to=2026-06-10`,
    );
    expect(empty.json()).toMatchObject({ lots: [], incompleteEntries: 0 });
  });
});

describe.skipIf(testEngine() !== 'postgres')('counts under concurrent entries (PostgreSQL)', () => {
  it('counts taken while wastes land: no deadlock, no lost entry, each book balance a state the lot was in', async () => {
    const { location, lot } = await stockedLocation(20, 'Concurrent site');
    const wastes = Array.from({ length: 30 }, (_, i) =>
      addLedgerEntry(database.db, lot, {
        kind: 'waste',
        quantity: -0.5,
        occurredAt: `2026-06-10T14:${String(i).padStart(2, '0')}:00Z`,
        recordedBy: nurseId,
        witnessId,
      }),
    );
    const counts = Array.from({ length: 6 }, () =>
      post(
        nurse,
        '/api/v1/ledger/counts',
        countPayload(location.id, [
          { lotId: lot.id, sealedContainers: 0, openedContainers: 1, openedQuantity: 5 },
        ]),
      ),
    );
    const [wasteResults, countResults] = await Promise.all([Promise.allSettled(wastes), Promise.all(counts)]);
    expect(wasteResults.filter((r) => r.status === 'rejected')).toEqual([]);
    for (const response of countResults) expect(response.statusCode, response.body).toBe(201);
    const [sum] = await database.db
      .select({ sum: sql<string>`SUM(${ledgerEntry.quantity})`, n: sql<string>`COUNT(*)` })
      .from(ledgerEntry)
      .where(and(eq(ledgerEntry.clinicId, clinicId), eq(ledgerEntry.lotId, lot.id)));
    expect(Number(sum!.sum)).toBe(5);
    expect(Number(sum!.n)).toBe(31);
    for (const response of countResults) {
      const book = response.json().lines[0].bookBalance as number;
      // 20 mL less some whole number of the 0.5 mL wastes: never a torn or negative read.
      expect(book).toBeGreaterThanOrEqual(5);
      expect(book).toBeLessThanOrEqual(20);
      expect(Number.isInteger((20 - book) / 0.5)).toBe(true);
    }
  });
});
