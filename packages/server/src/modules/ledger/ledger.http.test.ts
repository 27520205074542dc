import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { Role, StaffActor } from '../../context.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, ledgerEntry, mailOutbox, userAccount } from '../../db/schema/index.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { runUnitOfWork } from '../../http/unit-of-work.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  databaseError,
  type SignedIn,
  signIn,
  testPassword,
} from '../../testing/factories.ts';
import { drawForAdministration, listDispensableLots, recordWaste } from './ledger.service.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
const clock = new ManualClock('2026-06-01T15:00:00Z');
const people: Record<string, { id: string; email: string; signedIn: SignedIn; roles: Role[] }> = {};
let foreignNurse: SignedIn;
let foreignAdmin: SignedIn;
let locationId: string;
let vialProductId: string;
let deviceProductId: string;

async function person(name: string, roles: Role[], clinic = clinicId) {
  const user = await createStaffUser(database.db, clinic, roles, { displayName: `${name} Tester` });
  return { id: user.id, email: user.email, roles, signedIn: await signIn(app, user.email) };
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  people.admin = await person('Ada', ['admin']);
  people.nurse = await person('Nina', ['nurse']);
  people.witness = await person('Walt', ['nurse']);
  people.prescriber = await person('Pat', ['prescriber']);
  people.therapist = await person('Theo', ['therapist']);
  people.frontdesk = await person('Fran', ['frontdesk']);
  foreignNurse = (await person('Faye', ['nurse'], foreign.id)).signedIn;
  foreignAdmin = (await person('Fitz', ['admin'], foreign.id)).signedIn;
  const admin = as(app, people.admin.signedIn);
  const location = await admin({
    method: 'POST',
    url: '/api/v1/ledger/locations',
    payload: { name: 'Main clinic', address: '10 Elm Street, Springfield', deaRegistration: 'BM1234563' },
  });
  expect(location.statusCode).toBe(201);
  locationId = location.json().id;
  const vial = await admin({
    method: 'POST',
    url: '/api/v1/ledger/products',
    payload: {
      product: 'ketamine-racemic',
      name: 'Ketamine HCl injection 50 mg/mL',
      ndc: '42023-113-10',
      form: 'vial',
      concentrationMgPerUnit: 50,
      containerSize: 10,
    },
  });
  expect(vial.statusCode).toBe(201);
  expect(vial.json()).toMatchObject({ unit: 'mL' });
  vialProductId = vial.json().id;
  const device = await admin({
    method: 'POST',
    url: '/api/v1/ledger/products',
    payload: {
      product: 'esketamine',
      name: 'SPRAVATO 56 mg dose kit',
      ndc: '50458-028-02',
      form: 'nasal-device',
      concentrationMgPerUnit: 28,
      containerSize: 2,
    },
  });
  expect(device.statusCode).toBe(201);
  deviceProductId = device.json().id;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const supplier = { name: 'Acme Wholesale', address: '5 Depot Road, Columbus OH', deaNumber: 'RA1234567' };
const receipt = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  locationId,
  productId: vialProductId,
  lotNumber: `L${randomUUID().slice(0, 8)}`,
  expiresOn: '2027-06-30',
  containers: 2,
  supplier,
  invoiceNumber: 'INV-1001',
  receivedAt: '2026-06-01T09:00:00Z',
  ...overrides,
});
const post = (who: SignedIn, path: string, payload: unknown) =>
  as(app, who)({ method: 'POST', url: `/api/v1/ledger/${path}`, payload: payload as object });
const get = (who: SignedIn, path: string) => as(app, who)({ method: 'GET', url: `/api/v1/ledger/${path}` });

async function stockedLot(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await post(people.nurse!.signedIn, 'receipts', receipt(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().lot.id;
}

function actorOf(key: string): StaffActor {
  const p = people[key]!;
  return {
    kind: 'staff',
    userId: p.id,
    clinicId,
    sessionId: randomUUID(),
    email: p.email,
    displayName: `${key} display`,
    roles: p.roles,
  };
}
const asService = <T>(key: string, work: Parameters<typeof runUnitOfWork<T>>[4]) =>
  runUnitOfWork(database.db, actorOf(key), { requestId: null, ip: null, userAgent: null }, clock, work);

async function balanceOf(lotId: string): Promise<number> {
  return (await get(people.nurse!.signedIn, `lots/${lotId}`)).json().balance;
}

describe('receipts', () => {
  it('records containers received, derives mL and mg, and replays a retry', async () => {
    const payload = receipt({ containers: 3 });
    const created = await post(people.nurse!.signedIn, 'receipts', payload);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: payload.id,
      kind: 'receipt',
      quantity: 30,
      quantityMg: 1500,
      balanceAfter: 30,
      containers: 3,
      counterparty: { name: 'Acme Wholesale', deaNumber: 'RA1234567' },
      documentNumber: 'INV-1001',
      occurredAt: '2026-06-01T09:00:00.000Z',
      recordedBy: { id: people.nurse!.id, name: 'Nina Tester' },
      lot: { lotNumber: payload.lotNumber, expiresOn: '2027-06-30', unit: 'mL', concentrationMgPerUnit: 50 },
    });
    const retry = await post(people.nurse!.signedIn, 'receipts', payload);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(created.json());
    const changed = await post(people.nurse!.signedIn, 'receipts', { ...payload, containers: 4 });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().errors[0].path).toBe('id');
    const [{ count }] = (await database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(ledgerEntry)
      .where(eq(ledgerEntry.id, payload.id))) as [{ count: number }];
    expect(count).toBe(1);
    const events = await database.db
      .select({ action: auditEvent.action, actorId: auditEvent.actorId })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.resourceId, payload.id)));
    expect(events).toEqual([{ action: 'ledger.receipt', actorId: people.nurse!.id }]);
  });

  it('adds a second receipt of the same lot to it, and refuses one with another expiry', async () => {
    const first = receipt();
    const lotId = await stockedLot(first);
    const again = await post(people.nurse!.signedIn, 'receipts', {
      ...first,
      id: randomUUID(),
      containers: 1,
    });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ lot: { id: lotId }, balanceAfter: 30 });
    const other = await post(people.nurse!.signedIn, 'receipts', {
      ...first,
      id: randomUUID(),
      expiresOn: '2028-01-31',
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().errors[0].path).toBe('expiresOn');
  });

  it('answers bad input with the field paths, wrong roles with 403, another clinic with 404', async () => {
    const bad = await post(people.nurse!.signedIn, 'receipts', {
      ...receipt(),
      expiresOn: '30/06/2027',
      containers: 0,
      supplier: { ...supplier, deaNumber: '12345' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['expiresOn', 'containers', 'supplier.deaNumber']));
    for (const who of ['therapist', 'frontdesk'])
      expect((await post(people[who]!.signedIn, 'receipts', receipt())).statusCode, who).toBe(403);
    expect((await post(foreignNurse, 'receipts', receipt())).statusCode).toBe(404);
    expect(
      (await post(people.nurse!.signedIn, 'receipts', receipt({ productId: randomUUID() }))).statusCode,
    ).toBe(404);
  });
});

describe('drawing a dose (drawForAdministration)', () => {
  it('draws from the lot in the caller transaction, idempotent by the administration', async () => {
    const lotId = await stockedLot();
    const patient = await createPatient(database.db, clinicId);
    const input = {
      lotId,
      quantity: 1.2,
      sessionId: randomUUID(),
      administrationId: randomUUID(),
      patientId: patient.id,
      occurredAt: '2026-06-01T14:30:00Z',
    };
    const draw = await asService('nurse', (ctx) => drawForAdministration(ctx, input));
    expect(draw).toMatchObject({
      quantityMg: 60,
      lot: { id: lotId, unit: 'mL', concentrationMgPerUnit: 50 },
    });
    expect(await balanceOf(lotId)).toBe(18.8);
    const again = await asService('nurse', (ctx) => drawForAdministration(ctx, input));
    expect(again.entryId).toBe(draw.entryId);
    expect(await balanceOf(lotId)).toBe(18.8);
    await expect(
      asService('nurse', (ctx) => drawForAdministration(ctx, { ...input, quantity: 2 })),
    ).rejects.toBeInstanceOf(Conflict);
    const entry = (await get(people.nurse!.signedIn, `entries/${draw.entryId}`)).json();
    expect(entry).toMatchObject({
      kind: 'administration',
      quantity: -1.2,
      quantityMg: -60,
      sessionId: input.sessionId,
      administrationId: input.administrationId,
      patientId: patient.id,
      occurredAt: '2026-06-01T14:30:00.000Z',
    });
  });

  it('is part of the caller’s transaction: a failure after the draw leaves no entry and the balance whole', async () => {
    const lotId = await stockedLot();
    const patient = await createPatient(database.db, clinicId);
    const administrationId = randomUUID();
    await expect(
      asService('nurse', async (ctx) => {
        await drawForAdministration(ctx, {
          lotId,
          quantity: 3,
          sessionId: randomUUID(),
          administrationId,
          patientId: patient.id,
          occurredAt: '2026-06-01T14:30:00Z',
        });
        throw new Conflict('The administration record failed after the draw.');
      }),
    ).rejects.toThrow(/after the draw/);
    const rows = await database.db
      .select({ id: ledgerEntry.id })
      .from(ledgerEntry)
      .where(eq(ledgerEntry.administrationId, administrationId));
    expect(rows).toEqual([]);
    expect(await balanceOf(lotId)).toBe(20);
    // A waste after the dose names the dose's patient (for the dispensing log).
    const sessionId = randomUUID();
    await asService('nurse', (ctx) =>
      drawForAdministration(ctx, {
        lotId,
        quantity: 1.5,
        sessionId,
        administrationId,
        patientId: patient.id,
        occurredAt: '2026-06-01T14:30:00Z',
      }),
    );
    const waste = await asService('nurse', (ctx) =>
      recordWaste(ctx, {
        clientId: randomUUID(),
        lotId,
        quantity: 0.5,
        sessionId,
        administrationId,
        witness: { username: people.witness!.email, password: testPassword },
        reason: 'Remainder of the drawn syringe',
      }),
    );
    expect(waste.entry).toMatchObject({
      patientId: patient.id,
      administrationId,
      sessionId,
      balanceAfter: 18,
    });
  });

  it('refuses more than the lot holds, an expired lot, part of a device, and another clinic’s lot', async () => {
    const lotId = await stockedLot({ containers: 1 });
    const patient = await createPatient(database.db, clinicId);
    const draw = (overrides: Record<string, unknown>) =>
      asService('nurse', (ctx) =>
        drawForAdministration(ctx, {
          lotId,
          quantity: 1,
          sessionId: randomUUID(),
          administrationId: randomUUID(),
          patientId: patient.id,
          occurredAt: '2026-06-01T14:30:00Z',
          ...overrides,
        }),
      );
    await expect(draw({ quantity: 10.5 })).rejects.toThrow(/holds 10 mL/);
    const expired = await stockedLot({ expiresOn: '2026-05-31' });
    await expect(draw({ lotId: expired })).rejects.toThrow(/expired on 2026-05-31/);
    const devices = await stockedLot({ productId: deviceProductId, containers: 1 });
    await expect(draw({ lotId: devices, quantity: 0.5 })).rejects.toBeInstanceOf(Invalid);
    await expect(draw({ lotId: devices, quantity: 2 })).resolves.toMatchObject({ quantityMg: 56 });
    await expect(draw({ lotId: randomUUID() })).rejects.toBeInstanceOf(NotFound);
    expect(await balanceOf(lotId)).toBe(10);
    expect(await balanceOf(devices)).toBe(0);
  });

  it('lists dispensable lots: the product, a form for the route, not expired, in stock, first to expire first', async () => {
    const late = await stockedLot({ expiresOn: '2028-12-31' });
    const early = await stockedLot({ expiresOn: '2026-09-30' });
    const expired = await stockedLot({ expiresOn: '2026-05-01' });
    const device = await stockedLot({ productId: deviceProductId });
    const lots = await asService('nurse', (ctx) =>
      listDispensableLots(ctx, { product: 'ketamine-racemic', route: 'im' }),
    );
    const ids = lots.map((l) => l.id);
    expect(ids).toContain(late);
    expect(ids.indexOf(early)).toBeLessThan(ids.indexOf(late));
    expect(ids).not.toContain(expired);
    expect(ids).not.toContain(device);
    expect(lots.every((l) => l.balance > 0 && !l.expired && l.form === 'vial')).toBe(true);
    const nasal = await get(people.nurse!.signedIn, 'lots/dispensable?product=esketamine&route=intranasal');
    expect(nasal.statusCode).toBe(200);
    expect(nasal.json().items.map((l: { id: string }) => l.id)).toContain(device);
    expect(
      (await get(people.nurse!.signedIn, 'lots/dispensable?product=esketamine&route=im')).json().items,
    ).toEqual([]);
    expect((await get(people.nurse!.signedIn, 'lots/dispensable?product=aspirin')).statusCode).toBe(400);
    expect((await get(foreignNurse, 'lots/dispensable?product=ketamine-racemic')).json().items).toEqual([]);
  });
});

describe('witnessed waste', () => {
  it('records a waste signed by a second staff member with their password', async () => {
    const lotId = await stockedLot();
    const payload = {
      id: randomUUID(),
      lotId,
      quantity: 0.4,
      witness: { username: people.witness!.email.toUpperCase(), password: testPassword },
      reason: 'Left in the vial after a 1.6 mL dose',
    };
    const created = await post(people.nurse!.signedIn, 'wastes', payload);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      kind: 'waste',
      quantity: -0.4,
      quantityMg: -20,
      balanceAfter: 19.6,
      witness: { id: people.witness!.id, name: 'Walt Tester' },
      recordedBy: { id: people.nurse!.id },
    });
    const retry = await post(people.nurse!.signedIn, 'wastes', payload);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(payload.id);
    expect(await balanceOf(lotId)).toBe(19.6);
  });

  it('refuses the recorder as witness, a witness who may not record, a wrong password (counted), too much', async () => {
    const lotId = await stockedLot();
    const waste = (witness: { username: string; password: string }, quantity = 1) =>
      post(people.nurse!.signedIn, 'wastes', {
        id: randomUUID(),
        lotId,
        quantity,
        witness,
        reason: 'Remainder',
      });
    const self = await waste({ username: people.nurse!.email, password: testPassword });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors[0].path).toBe('witness.username');
    const frontDesk = await waste({ username: people.frontdesk!.email, password: testPassword });
    expect(frontDesk.statusCode).toBe(400);
    expect(frontDesk.json().errors[0].path).toBe('witness.username');
    const unknown = await waste({ username: 'nobody@test.example', password: testPassword });
    expect(unknown.statusCode).toBe(400);
    const wrong = await waste({ username: people.prescriber!.email, password: 'not the password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('witness.password');
    const [account] = await database.db
      .select({ failures: userAccount.failedLoginCount })
      .from(userAccount)
      .where(eq(userAccount.id, people.prescriber!.id));
    expect(account!.failures).toBe(1);
    const failed = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.actorId, people.prescriber!.id),
          eq(auditEvent.action, 'auth.signature-password-failed'),
        ),
      );
    expect(failed).toHaveLength(1);
    const tooMuch = await waste({ username: people.prescriber!.email, password: testPassword }, 25);
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().errors[0].path).toBe('quantity');
    expect(await balanceOf(lotId)).toBe(20);
    expect(
      (
        await post(people.therapist!.signedIn, 'wastes', {
          id: randomUUID(),
          lotId,
          quantity: 1,
          witness: { username: people.nurse!.email, password: testPassword },
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await post(foreignNurse, 'wastes', {
          id: randomUUID(),
          lotId,
          quantity: 1,
          witness: { username: people.nurse!.email, password: testPassword },
          reason: 'x',
        })
      ).statusCode,
    ).toBe(400);
  });

  it('recordWaste checks the witness password inside its own transaction too (for callers in process)', async () => {
    const lotId = await stockedLot();
    const input = {
      clientId: randomUUID(),
      lotId,
      quantity: 1,
      sessionId: randomUUID(),
      witness: { username: people.witness!.email, password: 'wrong' },
      reason: 'Remainder after a dose',
    };
    await expect(asService('nurse', (ctx) => recordWaste(ctx, input))).rejects.toThrow(/witness's password/);
    const ok = await asService('nurse', (ctx) =>
      recordWaste(ctx, { ...input, witness: { ...input.witness, password: testPassword } }),
    );
    expect(ok).toMatchObject({ created: true, entry: { kind: 'waste', sessionId: input.sessionId } });
  });
});

describe('transfers, losses, adjustments and corrections', () => {
  it('returns stock to a reverse distributor', async () => {
    const lotId = await stockedLot();
    const response = await post(people.nurse!.signedIn, 'transfers', {
      id: randomUUID(),
      lotId,
      quantity: 10,
      containers: 1,
      recipient: { name: 'Returns Inc', address: '9 Dock Street, Memphis TN', deaNumber: 'RR7654321' },
      documentNumber: 'F41-2026-7',
      reason: 'Expired stock',
      occurredAt: '2026-06-01T10:00:00Z',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      kind: 'transfer',
      quantity: -10,
      balanceAfter: 10,
      counterparty: { name: 'Returns Inc', deaNumber: 'RR7654321' },
      documentNumber: 'F41-2026-7',
    });
    const missing = await post(people.nurse!.signedIn, 'transfers', {
      id: randomUUID(),
      lotId,
      quantity: 1,
      recipient: { name: 'Returns Inc' },
      reason: 'Expired',
      occurredAt: '2026-06-01T10:00:00Z',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['recipient.address', 'recipient.deaNumber']),
    );
  });

  it('records a theft with the Form 106 data, mails the admins and lists it as open', async () => {
    const lotId = await stockedLot();
    const id = randomUUID();
    const response = await post(people.nurse!.signedIn, 'losses', {
      id,
      lotId,
      quantity: 10,
      report: {
        kind: 'theft',
        discoveredAt: '2026-06-01T08:00:00Z',
        circumstances: 'A vial missing from the locked cabinet at the morning count',
        significant: true,
        policeNotified: true,
        policeReportNumber: 'SPD-2026-1188',
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      kind: 'loss',
      quantity: -10,
      lossReport: {
        kind: 'theft',
        significant: true,
        policeReportNumber: 'SPD-2026-1188',
        form106SubmittedAt: null,
      },
    });
    const mail = await database.db
      .select({ to: mailOutbox.toAddress, subject: mailOutbox.subject, text: mailOutbox.textBody })
      .from(mailOutbox)
      .where(eq(mailOutbox.clinicId, clinicId));
    const alerts = mail.filter((m) => m.subject.includes('theft'));
    expect(alerts.map((m) => m.to)).toEqual([people.admin!.email]);
    expect(alerts[0]!.text).toMatch(/Form 106/);
    const open = await get(people.admin!.signedIn, 'losses/open');
    expect(open.statusCode).toBe(200);
    expect(open.json().items.find((o: { entry: { id: string } }) => o.entry.id === id)).toMatchObject({
      form106DueBy: '2026-07-16',
      overdue: false,
    });
  });

  it('adjusts only with ledger.adjust and the admin password, and corrects by a reversing entry', async () => {
    const lotId = await stockedLot();
    const adjustment = {
      id: randomUUID(),
      lotId,
      quantity: -0.3,
      reason: 'Count found 0.3 mL less',
      password: testPassword,
    };
    expect((await post(people.nurse!.signedIn, 'adjustments', adjustment)).statusCode).toBe(403);
    const wrong = await post(people.admin!.signedIn, 'adjustments', { ...adjustment, password: 'nope' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('password');
    const adjusted = await post(people.admin!.signedIn, 'adjustments', adjustment);
    expect(adjusted.statusCode, adjusted.body).toBe(201);
    expect(adjusted.json()).toMatchObject({
      kind: 'adjustment',
      quantity: -0.3,
      balanceAfter: 19.7,
      signedBy: { id: people.admin!.id, name: 'Ada Tester' },
      reason: 'Count found 0.3 mL less',
    });
    const correction = {
      id: randomUUID(),
      reversesId: adjustment.id,
      reason: 'The count was of another lot',
      password: testPassword,
    };
    const corrected = await post(people.admin!.signedIn, 'corrections', correction);
    expect(corrected.statusCode, corrected.body).toBe(201);
    expect(corrected.json()).toMatchObject({
      kind: 'correction',
      quantity: 0.3,
      balanceAfter: 20,
      reversesId: adjustment.id,
    });
    expect((await get(people.admin!.signedIn, `entries/${adjustment.id}`)).json().reversedById).toBe(
      correction.id,
    );
    const twice = await post(people.admin!.signedIn, 'corrections', { ...correction, id: randomUUID() });
    expect(twice.statusCode).toBe(409);
    const ofCorrection = await post(people.admin!.signedIn, 'corrections', {
      ...correction,
      id: randomUUID(),
      reversesId: correction.id,
    });
    expect(ofCorrection.statusCode).toBe(409);
    expect((await post(foreignAdmin, 'corrections', { ...correction, id: randomUUID() })).statusCode).toBe(
      404,
    );
    expect(await balanceOf(lotId)).toBe(20);
  });

  it('refuses to reverse a receipt whose stock was used', async () => {
    const first = receipt({ containers: 1 });
    const lotId = await stockedLot(first);
    await post(people.nurse!.signedIn, 'wastes', {
      id: randomUUID(),
      lotId,
      quantity: 1,
      witness: { username: people.witness!.email, password: testPassword },
      reason: 'Dropped syringe',
    });
    const response = await post(people.admin!.signedIn, 'corrections', {
      id: randomUUID(),
      reversesId: first.id,
      reason: 'Entered twice',
      password: testPassword,
    });
    expect(response.statusCode).toBe(409);
    expect(await balanceOf(lotId)).toBe(9);
  });
});

describe('balances and entries', () => {
  it('derives every lot balance from its entries: receipts − administrations − wastes − transfers − losses ± adjustments', async () => {
    const lots = (await get(people.admin!.signedIn, 'lots?includeEmpty=true')).json().items as {
      id: string;
      balance: number;
      productId: string;
      locationId: string;
    }[];
    expect(lots.length).toBeGreaterThan(5);
    const sums = await database.db
      .select({
        lotId: ledgerEntry.lotId,
        kind: ledgerEntry.kind,
        total: sql<string>`SUM(${ledgerEntry.quantity})`,
        last: sql<string>`(array_agg(${ledgerEntry.balanceAfter} ORDER BY ${ledgerEntry.recordedAt} DESC, ${ledgerEntry.balanceAfter}))[1]`,
      })
      .from(ledgerEntry)
      .where(eq(ledgerEntry.clinicId, clinicId))
      .groupBy(ledgerEntry.lotId, ledgerEntry.kind);
    for (const lot of lots) {
      const of = (kind: string) =>
        Number(sums.find((s) => s.lotId === lot.id && s.kind === kind)?.total ?? 0);
      const identity =
        of('receipt') +
        of('administration') +
        of('waste') +
        of('transfer') +
        of('loss') +
        of('adjustment') +
        of('correction');
      expect(lot.balance, lot.id).toBeCloseTo(identity, 6);
      expect(lot.balance).toBeGreaterThanOrEqual(0);
    }
    const products = (await get(people.admin!.signedIn, 'balances')).json().items as {
      productId: string;
      balance: number;
      balanceMg: number;
      concentrationMgPerUnit: number;
    }[];
    for (const product of products) {
      const total = lots.filter((l) => l.productId === product.productId).reduce((a, l) => a + l.balance, 0);
      expect(product.balance).toBeCloseTo(total, 6);
      expect(product.balanceMg).toBeCloseTo(total * product.concentrationMgPerUnit, 6);
    }
  });

  it('pages entries newest first with a cursor, none lost or repeated, and filters', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await get(people.nurse!.signedIn, `entries?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await database.db
      .select({ id: ledgerEntry.id })
      .from(ledgerEntry)
      .where(eq(ledgerEntry.clinicId, clinicId));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(all.map((a) => a.id).sort());
    const wastes = (await get(people.nurse!.signedIn, 'entries?kind=waste')).json().items as {
      kind: string;
    }[];
    expect(wastes.length).toBeGreaterThan(0);
    expect(wastes.every((w) => w.kind === 'waste')).toBe(true);
    const bad = await get(people.nurse!.signedIn, 'entries?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('cursor');
    expect((await get(foreignNurse, 'entries')).json().items).toEqual([]);
    expect((await get(people.therapist!.signedIn, 'entries')).statusCode).toBe(403);
  });

  it('answers another clinic’s lot and entry with 404', async () => {
    const lotId = await stockedLot();
    expect((await get(foreignNurse, `lots/${lotId}`)).statusCode).toBe(404);
    const [entry] = await database.db
      .select({ id: ledgerEntry.id })
      .from(ledgerEntry)
      .where(eq(ledgerEntry.lotId, lotId));
    expect((await get(foreignNurse, `entries/${entry!.id}`)).statusCode).toBe(404);
    expect(
      (
        await post(foreignNurse, 'transfers', {
          id: randomUUID(),
          lotId,
          quantity: 1,
          recipient: { name: 'X', address: 'Y', deaNumber: 'RR7654321' },
          reason: 'Theft attempt',
          occurredAt: '2026-06-01T10:00:00Z',
        })
      ).statusCode,
    ).toBe(404);
    expect(await balanceOf(lotId)).toBe(20);
  });
});

describe('the database guards the ledger', () => {
  it('refuses to change or remove an entry, a lot or a product', async () => {
    const lotId = await stockedLot();
    expect(
      await databaseError(
        database.db.execute(sql`UPDATE ledger_entry SET quantity = 999 WHERE lot_id = ${lotId}`),
      ),
    ).toMatch(/append-only/);
    expect(
      await databaseError(database.db.execute(sql`DELETE FROM ledger_entry WHERE lot_id = ${lotId}`)),
    ).toMatch(/append-only/);
    expect(
      await databaseError(
        database.db.execute(sql`UPDATE ledger_lot SET expires_on = '2030-01-01' WHERE id = ${lotId}`),
      ),
    ).toMatch(/append-only/);
    expect(
      await databaseError(database.db.execute(sql`DELETE FROM ledger_product WHERE id = ${vialProductId}`)),
    ).toMatch(/append-only/);
  });

  it('refuses, by trigger, an entry written past the service that would take a lot below zero or misreverse', async () => {
    const lotId = await stockedLot({ containers: 1 });
    const insert = (values: {
      kind: string;
      quantity: number;
      signedBy?: string;
      reversesId?: string;
      location?: string;
    }) =>
      database.db.insert(ledgerEntry).values({
        id: randomUUID(),
        clinicId,
        locationId: values.location ?? locationId,
        lotId,
        kind: values.kind as 'adjustment',
        quantity: values.quantity,
        quantityMg: 123456,
        balanceAfter: 999,
        occurredAt: new Date(),
        recordedAt: new Date(),
        recordedBy: people.admin!.id,
        recordedByName: 'Raw',
        signedBy: values.signedBy ?? people.admin!.id,
        reason: 'raw',
        reversesId: values.reversesId ?? null,
        requestFingerprint: 'a'.repeat(64),
      });
    expect(await databaseError(insert({ kind: 'adjustment', quantity: -10.001 }))).toMatch(/below zero/);
    const ok = randomUUID();
    await database.db.insert(ledgerEntry).values({
      id: ok,
      clinicId,
      locationId,
      lotId,
      kind: 'adjustment',
      quantity: -0.5,
      quantityMg: 123456,
      balanceAfter: 999,
      occurredAt: new Date(),
      recordedAt: new Date(),
      recordedBy: people.admin!.id,
      recordedByName: 'Raw',
      signedBy: people.admin!.id,
      reason: 'raw',
      requestFingerprint: 'a'.repeat(64),
    });
    const [written] = await database.db.select().from(ledgerEntry).where(eq(ledgerEntry.id, ok));
    // The trigger derived the mg and the balance, whatever the writer claimed.
    expect(written).toMatchObject({ quantityMg: -25, balanceAfter: 9.5 });
    expect(await databaseError(insert({ kind: 'correction', quantity: 0.4, reversesId: ok }))).toMatch(
      /reverses one entry/,
    );
  });
});

describe('filings after a theft or loss, and registered locations', () => {
  it('records the field-office notice and Form 106 once each; a filed Form 106 closes the loss', async () => {
    const lotId = await stockedLot();
    const lossId = randomUUID();
    const loss = await post(people.nurse!.signedIn, 'losses', {
      id: lossId,
      lotId,
      quantity: 2,
      report: {
        kind: 'loss',
        // A Friday: the notice is due on the next business day, Monday.
        discoveredAt: '2026-05-29T16:00:00Z',
        circumstances: 'Two mL short at the evening count',
        significant: true,
      },
    });
    expect(loss.statusCode, loss.body).toBe(201);
    const openOne = async () =>
      ((await get(people.admin!.signedIn, 'losses/open')).json().items as { entry: { id: string } }[]).find(
        (o) => o.entry.id === lossId,
      );
    expect(await openOne()).toMatchObject({ fieldOfficeNoticeDueOn: '2026-06-01', filings: [] });
    const notice = {
      id: randomUUID(),
      kind: 'field-office-notice',
      filedAt: '2026-06-01T13:00:00Z',
      reference: 'FD-77',
    };
    const filed = await post(people.admin!.signedIn, `losses/${lossId}/filings`, notice);
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({
      entryId: lossId,
      kind: 'field-office-notice',
      reference: 'FD-77',
      recordedBy: { id: people.admin!.id },
    });
    expect((await post(people.admin!.signedIn, `losses/${lossId}/filings`, notice)).statusCode).toBe(200);
    expect(
      (await post(people.admin!.signedIn, `losses/${lossId}/filings`, { ...notice, reference: 'FD-78' }))
        .statusCode,
    ).toBe(409);
    const again = await post(people.admin!.signedIn, `losses/${lossId}/filings`, {
      ...notice,
      id: randomUUID(),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].path).toBe('kind');
    expect(await openOne()).toMatchObject({
      fieldOfficeNoticeDueOn: null,
      filings: [{ kind: 'field-office-notice' }],
    });
    const early = await post(people.admin!.signedIn, `losses/${lossId}/filings`, {
      id: randomUUID(),
      kind: 'form-106',
      filedAt: '2026-05-01T00:00:00Z',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().errors[0].path).toBe('filedAt');
    const form = await post(people.admin!.signedIn, `losses/${lossId}/filings`, {
      id: randomUUID(),
      kind: 'form-106',
      filedAt: '2026-06-01T14:00:00Z',
    });
    expect(form.statusCode).toBe(201);
    expect(await openOne()).toBeUndefined();
    // Not a loss, another clinic's loss, a role that may not record.
    const [receiptEntry] = await database.db
      .select({ id: ledgerEntry.id })
      .from(ledgerEntry)
      .where(and(eq(ledgerEntry.lotId, lotId), eq(ledgerEntry.kind, 'receipt')));
    expect(
      (
        await post(people.admin!.signedIn, `losses/${receiptEntry!.id}/filings`, {
          ...notice,
          id: randomUUID(),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await post(foreignAdmin, `losses/${lossId}/filings`, { ...notice, id: randomUUID() })).statusCode,
    ).toBe(404);
    expect(
      (await post(people.therapist!.signedIn, `losses/${lossId}/filings`, { ...notice, id: randomUUID() }))
        .statusCode,
    ).toBe(403);
    expect(
      await databaseError(
        database.db.execute(sql`DELETE FROM ledger_loss_filing WHERE entry_id = ${lossId}`),
      ),
    ).toMatch(/append-only/);
  });

  it('keeps the registration of a location with stock on record; only admins set locations up', async () => {
    const patch = (who: SignedIn, id: string, payload: object) =>
      as(app, who)({ method: 'PATCH', url: `/api/v1/ledger/locations/${id}`, payload });
    const renamed = await patch(people.admin!.signedIn, locationId, { name: 'Main clinic, 2nd floor' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Main clinic, 2nd floor', deaRegistration: 'BM1234563' });
    const moved = await patch(people.admin!.signedIn, locationId, { deaRegistration: 'BM7654321' });
    expect(moved.statusCode).toBe(409);
    expect(moved.json().errors[0].path).toBe('deaRegistration');
    const annex = await post(people.admin!.signedIn, 'locations', {
      name: 'Annex',
      address: '12 Elm Street',
      deaRegistration: 'bm1111119',
    });
    expect(annex.statusCode).toBe(201);
    expect(annex.json().deaRegistration).toBe('BM1111119');
    expect(
      (await patch(people.admin!.signedIn, annex.json().id, { deaRegistration: 'BM2222228' })).statusCode,
    ).toBe(200);
    expect(
      (
        await post(people.admin!.signedIn, 'locations', {
          name: 'Dup',
          address: 'x',
          deaRegistration: 'BM2222228',
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await post(people.nurse!.signedIn, 'locations', {
          name: 'N',
          address: 'x',
          deaRegistration: 'BM3333337',
        })
      ).statusCode,
    ).toBe(403);
    expect((await patch(foreignAdmin, locationId, { name: 'Taken over' })).statusCode).toBe(404);
    const bad = await post(people.admin!.signedIn, 'locations', {
      name: '',
      address: 'x',
      deaRegistration: 'B1',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['name', 'deaRegistration']),
    );
    const events = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.resourceId, locationId)));
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['ledger.location.create', 'ledger.location.update']),
    );
  });
});
