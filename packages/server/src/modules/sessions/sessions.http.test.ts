import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import type { ClinicSettings } from '../../db/schema/clinic.ts';
import {
  alert,
  appointment,
  auditEvent,
  clinic,
  doseAdministration,
  dosingSession,
  dosingSessionEvent,
  ledgerEntry,
  preDoseChecklist,
  preDoseOverride,
  sessionDischarge,
  sessionObservation,
  vitalSigns,
} from '../../db/schema/index.ts';
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
import { completePathway, kapImPlan, type PathwayActors } from '../scheduling/pathway.fixture.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let actors: PathwayActors;
let prescriber: SignedIn;
let nurse: SignedIn;
let frontDesk: SignedIn;
let therapist: SignedIn;
let admin: SignedIn;
let foreignNurse: SignedIn;
let nurseUser: { id: string; email: string };
let secondNurse: { id: string; email: string };
let patient: Awaited<ReturnType<typeof createPatient>>;
let planId: string;
let lotId: string;
let dosingRoom: string;
let nurseId: string;
let therapistId: string;
const clock = new ManualClock('2026-06-01T12:00:00Z');
const everyone: SignedIn[] = [];
const emails = new Map<SignedIn, string>();

const settings: ClinicSettings = {
  mfaRequired: false,
  careScope: 'clinic',
  sessions: { readingIntervalMinutes: { im: 15 }, minimumObservationMinutes: { im: 60 } },
};

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db, { settings })).id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  const adminUser = await createStaffUser(database.db, clinicId, ['admin']);
  const prescriberUser = await createStaffUser(database.db, clinicId, ['prescriber']);
  nurseUser = await createStaffUser(database.db, clinicId, ['nurse']);
  nurseId = nurseUser.id;
  secondNurse = await createStaffUser(database.db, clinicId, ['nurse']);
  const therapistUser = await createStaffUser(database.db, clinicId, ['therapist']);
  therapistId = therapistUser.id;
  prescriber = await signIn(app, prescriberUser.email);
  nurse = await signIn(app, nurseUser.email);
  const frontDeskUser = await createStaffUser(database.db, clinicId, ['frontdesk']);
  frontDesk = await signIn(app, frontDeskUser.email);
  therapist = await signIn(app, therapistUser.email);
  admin = await signIn(app, adminUser.email);
  const foreignUser = await createStaffUser(database.db, foreign.id, ['nurse']);
  foreignNurse = await signIn(app, foreignUser.email);
  everyone.push(prescriber, nurse, frontDesk, therapist, admin, foreignNurse);
  emails.set(prescriber, prescriberUser.email);
  emails.set(nurse, nurseUser.email);
  emails.set(therapist, therapistUser.email);
  emails.set(admin, adminUser.email);
  emails.set(frontDesk, frontDeskUser.email);
  emails.set(foreignNurse, foreignUser.email);
  actors = { app, db: database.db, clinicId, prescriber, nurse, adminUserId: adminUser.id };

  patient = await createPatient(database.db, clinicId, { givenName: 'Sasha' });
  planId = (await completePathway(actors, patient, kapImPlan('2026-06-01'))).planId;
  dosingRoom = (
    await as(
      app,
      admin,
    )({ method: 'POST', url: '/api/v1/rooms', payload: { name: 'Chair 1', kind: 'dosing-room' } })
  ).json().id;

  // The ledger: a location, 50 mg/mL vials of 10 mL, and 2 vials received.
  const location = await as(
    app,
    admin,
  )({
    method: 'POST',
    url: '/api/v1/ledger/locations',
    payload: { name: 'Main', address: '1 Main Street, Springfield', deaRegistration: 'AM1234563' },
  });
  expect(location.statusCode, location.body).toBe(201);
  const product = await as(
    app,
    admin,
  )({
    method: 'POST',
    url: '/api/v1/ledger/products',
    payload: {
      product: 'ketamine-racemic',
      name: 'Ketamine HCl injection 50 mg/mL',
      ndc: '0143-9508-50',
      form: 'vial',
      concentrationMgPerUnit: 50,
      containerSize: 10,
    },
  });
  expect(product.statusCode, product.body).toBe(201);
  const receipt = await as(
    app,
    admin,
  )({
    method: 'POST',
    url: '/api/v1/ledger/receipts',
    payload: {
      id: randomUUID(),
      locationId: location.json().id,
      productId: product.json().id,
      lotNumber: 'KET-42',
      expiresOn: '2027-12-31',
      containers: 2,
      supplier: { name: 'Pharma Supply', address: '2 Supply Road, Springfield', deaNumber: 'RP7654321' },
      invoiceNumber: 'INV-1',
      receivedAt: '2026-06-01T11:00:00Z',
    },
  });
  expect(receipt.statusCode, receipt.body).toBe(201);
  lotId = (await as(app, admin)({ method: 'GET', url: `/api/v1/ledger/entries/${receipt.json().id}` })).json()
    .lot.id;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** Another day: the clock moves and everyone signs in again (their sessions idled out). */
async function dayAt(time: string) {
  clock.set(time);
  for (const who of everyone) Object.assign(who, await signIn(app, emails.get(who)!));
}

/** Moves the clock in steps shorter than the idle timeout, keeping every signed-in user's session alive. */
async function pass(minutes: number) {
  let left = minutes;
  while (left > 0) {
    const step = Math.min(10, left);
    clock.advanceMinutes(step);
    left -= step;
    for (const who of everyone) await as(app, who)({ method: 'GET', url: '/api/v1/auth/session' });
  }
}

let slot = 0;
/** A dosing appointment of the patient under the plan, at the clock's time (written directly: a new slot each). */
async function bookSession(startsAt = clock.now()) {
  const id = randomUUID();
  slot += 1;
  await database.db.insert(appointment).values({
    id,
    clinicId,
    patientId: patient.id,
    kind: 'dosing',
    roomId: dosingRoom,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 30 * 60_000 - slot),
    createdAt: clock.now(),
    planId,
    protocolId: 'kap-im',
    route: 'im',
    product: 'ketamine-racemic',
  });
  return id;
}

const url = (sessionId: string, step = '') => `/api/v1/sessions/${sessionId}${step ? `/${step}` : ''}`;
const post = (who: SignedIn, sessionId: string, step: string, payload: object = {}) =>
  as(app, who)({ method: 'POST', url: url(sessionId, step), payload });
const get = (who: SignedIn, sessionId: string) => as(app, who)({ method: 'GET', url: url(sessionId) });
const minutesAgo = (m: number) => new Date(clock.now().getTime() - m * 60_000).toISOString();

const vitals = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  measuredAt: minutesAgo(0),
  systolic: 122,
  diastolic: 78,
  heartRate: 72,
  spo2: 98,
  ...overrides,
});
const moaas = (score: number) => ({
  id: randomUUID(),
  observedAt: minutesAgo(0),
  kind: 'moaas',
  moaas: score,
});
const checklist = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  hoursSinceFood: 4,
  hoursSinceLiquids: 2,
  pregnant: false,
  pregnancyTestNegative: null,
  medicationChanges: [],
  suicideRiskAssessedToday: false,
  escortPresent: true,
  note: null,
  ...overrides,
});
const dose = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  lotId,
  doseMg: 35,
  site: 'Left deltoid',
  startedAt: minutesAgo(0),
  endedAt: null,
  secondSigner: null,
  note: null,
  ...overrides,
});

async function confirmRideHome(sessionId: string) {
  const ride = await as(
    app,
    frontDesk,
  )({
    method: 'POST',
    url: `/api/v1/appointments/${sessionId}/ride-home`,
    payload: {
      clientId: randomUUID(),
      status: 'confirmed',
      escortName: 'Robin Rider',
      escortPhone: '555-0100',
      escortRelationship: 'partner',
    },
  });
  expect(ride.statusCode, ride.body).toBe(200);
  const ack = await as(
    app,
    nurse,
  )({
    method: 'POST',
    url: `/api/v1/appointments/${sessionId}/no-driving-acknowledgement`,
    payload: { patientAcknowledged: true },
  });
  expect([200, 201], ack.body).toContain(ack.statusCode);
}

/** Today's PHQ-9 (item 9 negative), entered by the nurse on the patient's behalf. */
async function phq9Today(patientId: string = patient.id) {
  const assigned = await as(
    app,
    nurse,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/measure-assignments`,
    payload: { instruments: ['phq9'] },
  });
  expect(assigned.statusCode, assigned.body).toBe(201);
  const assignment = [...assigned.json().assigned, ...assigned.json().alreadyPending][0];
  const response = await as(
    app,
    nurse,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/measure-assignments/${assignment.id}/responses`,
    payload: { id: randomUUID(), answers: [1, 1, 1, 0, 0, 0, 0, 0, 0, 0] },
  });
  expect(response.statusCode, response.body).toBe(201);
}

/** A two-hour dosing appointment of another patient under their plan, now, with a ride home and today's PHQ-9. */
async function bookReadySession(of: {
  patientId: string;
  planId: string;
  protocolId: string;
  route: 'im' | 'iv' | 'intranasal';
  product: 'ketamine-racemic' | 'esketamine';
}) {
  const id = randomUUID();
  await database.db.insert(appointment).values({
    id,
    clinicId,
    kind: 'dosing',
    startsAt: clock.now(),
    endsAt: new Date(clock.now().getTime() + 2 * 60 * 60_000),
    createdAt: clock.now(),
    ...of,
  });
  await confirmRideHome(id);
  await phq9Today(of.patientId);
  return id;
}

/** A session checked in, with a ride home, baseline vitals and MOAA/S, cleared to dose by a clean checklist. */
async function clearedSession() {
  const id = await bookSession();
  await confirmRideHome(id);
  expect((await post(frontDesk, id, 'check-in')).statusCode).toBe(201);
  expect((await post(nurse, id, 'vitals', vitals())).statusCode).toBe(201);
  expect((await post(nurse, id, 'observations', moaas(5))).statusCode).toBe(201);
  const run = await post(nurse, id, 'checklist', checklist());
  expect(run.statusCode, run.body).toBe(201);
  expect(run.json().state, JSON.stringify(run.json().checklist)).toBe('cleared-to-dose');
  return id;
}

async function auditActions(resourceId: string) {
  const rows = await database.db
    .select({ action: auditEvent.action })
    .from(auditEvent)
    .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.resourceId, resourceId)));
  return rows.map((r) => r.action);
}

async function lotBalance() {
  const [row] = await database.db
    .select({ total: sql<string>`coalesce(sum(${ledgerEntry.quantity}), 0)` })
    .from(ledgerEntry)
    .where(and(eq(ledgerEntry.clinicId, clinicId), eq(ledgerEntry.lotId, lotId)));
  return Number(row!.total);
}

describe('a dosing session from check-in to discharge', () => {
  it('walks an IM session: check-in, gate, dose drawn from the ledger, alert acknowledged, CADSS-6, discharge', async () => {
    await dayAt('2026-06-02T13:00:00Z');
    // Booked through scheduling, like the front desk would.
    const booked = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: {
        patientId: patient.id,
        kind: 'dosing',
        roomId: dosingRoom,
        startsAt: '2026-06-02T13:30:00Z',
        staff: [
          { userId: nurseId, role: 'nurse' },
          { userId: therapistId, role: 'therapist' },
        ],
      },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const id = booked.json().id as string;

    // Before arrival: a 'scheduled' session on the board, and the session view.
    const board = await as(app, nurse)({ method: 'GET', url: '/api/v1/sessions/board' });
    expect(board.statusCode, board.body).toBe(200);
    expect(board.json().items.find((s: { id: string }) => s.id === id)).toMatchObject({
      state: 'scheduled',
      roomName: 'Chair 1',
      elapsedMinutes: null,
    });
    expect((await get(nurse, id)).json()).toMatchObject({
      state: 'scheduled',
      allowedActions: ['check-in', 'abort'],
    });
    // Nothing is recorded before check-in.
    expect((await post(nurse, id, 'vitals', vitals())).statusCode).toBe(409);

    const checkedIn = await post(frontDesk, id, 'check-in');
    expect(checkedIn.statusCode, checkedIn.body).toBe(201);
    expect(checkedIn.json()).toEqual({
      id,
      state: 'checked-in',
      patientId: patient.id,
      checkedInAt: '2026-06-02T13:00:00.000Z',
    });
    expect((await post(frontDesk, id, 'check-in')).statusCode).toBe(200);

    // Baseline vitals and MOAA/S; with no ride home and no suicidality check today, the gate blocks.
    expect((await post(nurse, id, 'vitals', vitals({ systolic: 124, diastolic: 80 }))).statusCode).toBe(201);
    expect((await post(nurse, id, 'observations', moaas(5))).statusCode).toBe(201);
    const blocked = await post(nurse, id, 'checklist', checklist());
    expect(blocked.statusCode).toBe(201);
    expect(blocked.json().state).toBe('checked-in');
    expect(blocked.json().checklist.blockers).toEqual([
      'No confirmed ride home with a named escort.',
      'The patient has not acknowledged no driving until the next day after restful sleep.',
      'No suicidality check today (PHQ-9 item 9 or C-SSRS screener).',
    ]);
    expect(blocked.json().checklist.proceed).toBe(false);
    expect((await post(nurse, id, 'administrations', dose())).statusCode).toBe(409);

    await confirmRideHome(id);
    await phq9Today();
    const cleared = await post(nurse, id, 'checklist', checklist());
    expect(cleared.statusCode, cleared.body).toBe(201);
    expect(cleared.json()).toMatchObject({
      state: 'cleared-to-dose',
      escort: { name: 'Robin Rider' },
      noDrivingAcknowledged: true,
      checklist: { blockers: [], cautions: [], override: null },
    });
    expect(cleared.json().checklist.sources.scores).toEqual([
      { instrument: 'phq9', respondedAt: expect.any(String) },
    ]);

    // The dose: 0.5 mg/kg × 70 kg = 35 mg = 0.7 mL of 50 mg/mL, drawn from the ledger in the same transaction.
    const before = await lotBalance();
    const payload = dose();
    const given = await post(nurse, id, 'administrations', payload);
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json().state).toBe('dosing');
    expect(given.json().administrations).toEqual([
      expect.objectContaining({
        id: payload.id,
        sequence: 1,
        doseMg: 35,
        volumeMl: 0.7,
        quantity: 0.7,
        lotNumber: 'KET-42',
        lotExpiry: '2027-12-31',
        concentration: 50,
        concentrationUnit: 'mg/mL',
        site: 'Left deltoid',
        administeredBy: expect.objectContaining({ id: nurseId }),
        calculation: expect.objectContaining({ doseMg: 35, level: 'ok' }),
      }),
    ]);
    expect(given.json().planOrder).toMatchObject({
      planId,
      startingDoseMg: 35,
      maximumDoseMg: 70,
      givenMg: 35,
      remainingMg: 35,
    });
    expect(await lotBalance()).toBeCloseTo(before - 0.7, 5);
    // A retry gives the same dose and draws nothing more; the same id with another dose is refused.
    const retried = await post(nurse, id, 'administrations', payload);
    expect(retried.statusCode).toBe(200);
    expect(await lotBalance()).toBeCloseTo(before - 0.7, 5);
    expect((await post(nurse, id, 'administrations', { ...payload, doseMg: 30 })).statusCode).toBe(409);
    // Beyond the plan's maximum (70 mg in the session) is refused.
    const tooMuch = await post(nurse, id, 'administrations', dose({ doseMg: 40 }));
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().errors[0].path).toBe('doseMg');
    const entries = await database.db
      .select()
      .from(ledgerEntry)
      .where(and(eq(ledgerEntry.clinicId, clinicId), eq(ledgerEntry.sessionId, id)));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: 'administration',
      administrationId: payload.id,
      patientId: patient.id,
    });

    const monitoring = await post(nurse, id, 'start-monitoring');
    expect(monitoring.statusCode, monitoring.body).toBe(200);
    expect(monitoring.json().state).toBe('monitoring');

    // 12 minutes on, a reading is overdue (IM: the clinic's 15-minute interval, due at 15... after the 0 reading).
    await pass(20);
    const overdue = (await get(nurse, id)).json();
    expect(overdue.nextReadingDue).toEqual({ dueAt: '2026-06-02T13:15:00.000Z', overdue: true });
    expect(overdue.dissociationRatingDue).toEqual({ dueAt: '2026-06-02T13:40:00.000Z', overdue: false });

    // A critical reading (systolic 185 ≥ 180; rise 61 ≥ 40) raises a critical alert in the same transaction.
    const critical = await post(
      nurse,
      id,
      'vitals',
      vitals({ systolic: 185, diastolic: 100, heartRate: 90 }),
    );
    expect(critical.statusCode, critical.body).toBe(201);
    const reading = critical.json().vitals.at(-1);
    expect(reading.classification.level).toBe('critical');
    expect(reading.classification.reasons).toEqual(
      expect.arrayContaining(['Systolic 185 mmHg ≥ 180', 'Systolic up 61 mmHg from baseline (≥ 40)']),
    );
    expect(critical.json().alerts).toEqual([
      expect.objectContaining({
        id: reading.alertId,
        severity: 'critical',
        status: 'open',
        acknowledgement: null,
      }),
    ]);
    expect(critical.json().nextReadingDue.overdue).toBe(false);
    const [stored] = await database.db
      .select()
      .from(alert)
      .where(and(eq(alert.clinicId, clinicId), eq(alert.sourceId, reading.id)));
    expect(stored).toMatchObject({ kind: 'session-vitals', severity: 'critical', patientId: patient.id });
    // Acknowledged with the action taken (needs the action).
    const ackUrl = `alerts/${reading.alertId}/acknowledgement`;
    expect((await post(nurse, id, ackUrl, { action: ' ' })).statusCode).toBe(400);
    const acked = await post(nurse, id, ackUrl, { action: 'Prescriber informed; repeat BP in 5 minutes' });
    expect(acked.statusCode, acked.body).toBe(200);
    expect(acked.json().alerts[0]).toMatchObject({
      status: 'acknowledged',
      acknowledgement: { action: 'Prescriber informed; repeat BP in 5 minutes', by: { id: nurseId } },
    });
    expect((await post(nurse, id, ackUrl, { action: 'Again' })).statusCode).toBe(409);

    // CADSS-6 at about 40 minutes, scored by @kapstone/clinical; side effects from the fixed list.
    await pass(20);
    const cadss = await post(nurse, id, 'observations', {
      id: randomUUID(),
      observedAt: minutesAgo(0),
      kind: 'cadss6',
      cadss6: [2, 1, 1, 0, 1, 0],
    });
    expect(cadss.statusCode, cadss.body).toBe(201);
    expect(cadss.json().observations.at(-1)).toMatchObject({ kind: 'cadss6', cadss6: { total: 5 } });
    expect(cadss.json().dissociationRatingDue).toBeNull();
    const effects = await post(nurse, id, 'observations', {
      id: randomUUID(),
      observedAt: minutesAgo(0),
      kind: 'side-effects',
      sideEffects: ['nausea', 'dizziness'],
    });
    expect(effects.json().observations.at(-1).sideEffects).toEqual(['nausea', 'dizziness']);

    // Not ready yet: 40 of 60 minutes, the BP is high, dissociation is present, no post-dose MOAA/S.
    const early = await as(
      app,
      nurse,
    )({ method: 'GET', url: `${url(id, 'discharge-readiness')}?escortPresent=true` });
    expect(early.statusCode).toBe(200);
    expect(early.json().ready).toBe(false);
    expect(early.json().unmet).toEqual(
      expect.arrayContaining([
        'Observed 40 of at least 60 minutes.',
        'Dissociation not resolved: CADSS-6 5.',
        'No sedation (MOAA/S) rating after the dose.',
      ]),
    );
    const refused = await post(nurse, id, 'discharge', {
      id: randomUUID(),
      escortPresent: true,
      instructionsGiven: true,
      note: null,
      override: null,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors.map((e: { message: string }) => e.message)).toContain(
      'Only a prescriber may discharge against an unmet criterion, with a rationale.',
    );
    // A nurse cannot override; the prescriber could, but here the patient recovers.
    const nurseOverride = await post(nurse, id, 'discharge', {
      id: randomUUID(),
      escortPresent: true,
      instructionsGiven: true,
      note: null,
      override: { rationale: 'Looks well', password: testPassword },
    });
    expect(nurseOverride.statusCode).toBe(403);

    await pass(25);
    expect((await post(nurse, id, 'vitals', vitals({ systolic: 126, diastolic: 82 }))).statusCode).toBe(201);
    expect((await post(nurse, id, 'observations', moaas(5))).statusCode).toBe(201);
    expect(
      (
        await post(nurse, id, 'observations', {
          id: randomUUID(),
          observedAt: minutesAgo(0),
          kind: 'cadss6',
          cadss6: [0, 0, 0, 0, 0, 0],
        })
      ).statusCode,
    ).toBe(201);
    const readiness = await as(
      app,
      nurse,
    )({ method: 'GET', url: `${url(id, 'discharge-readiness')}?escortPresent=true` });
    expect(readiness.json()).toEqual({ ready: true, unmet: [], minutesSinceDoseStart: 65 });
    const dischargeId = randomUUID();
    const discharged = await post(nurse, id, 'discharge', {
      id: dischargeId,
      escortPresent: true,
      instructionsGiven: true,
      note: 'Left with partner',
      override: null,
    });
    expect(discharged.statusCode, discharged.body).toBe(201);
    expect(discharged.json()).toMatchObject({
      state: 'discharged',
      endedAt: '2026-06-02T14:05:00.000Z',
      discharge: {
        id: dischargeId,
        ready: true,
        unmet: [],
        overrideRationale: null,
        escortName: 'Robin Rider',
      },
      allowedActions: [],
    });
    expect(
      discharged.json().events.map((e: { kind: string; toState: string }) => `${e.kind}>${e.toState}`),
    ).toEqual([
      'check-in>checked-in',
      'clear-to-dose>cleared-to-dose',
      'administer>dosing',
      'start-monitoring>monitoring',
      'discharge>discharged',
    ]);
    // A retried discharge answers the same; nothing more is recorded once the session has ended.
    expect(
      (
        await post(nurse, id, 'discharge', {
          id: dischargeId,
          escortPresent: true,
          instructionsGiven: true,
          note: 'Left with partner',
          override: null,
        })
      ).statusCode,
    ).toBe(200);
    expect((await post(nurse, id, 'vitals', vitals())).statusCode).toBe(409);
    expect((await post(nurse, id, 'abort', { reason: 'Too late' })).statusCode).toBe(409);
    // The board no longer lists it; the patient's sessions do.
    const after = await as(app, nurse)({ method: 'GET', url: '/api/v1/sessions/board' });
    expect(after.json().items.map((s: { id: string }) => s.id)).not.toContain(id);
    const mine = await as(app, therapist)({ method: 'GET', url: `/api/v1/patients/${patient.id}/sessions` });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((s: { id: string }) => s.id)).toContain(id);

    expect(await auditActions(id)).toEqual(
      expect.arrayContaining([
        'session.check-in',
        'session.clear-to-dose',
        'session.administer',
        'session.start-monitoring',
        'session.discharge',
        'session.read',
      ]),
    );
    expect(await auditActions(payload.id)).toContain('session.administration');
    expect(await auditActions(reading.id)).toContain('session.vitals');
  }, 120_000);
});

describe('the pre-dose gate and the prescriber override', () => {
  it('keeps blockers unoverridable, and clears cautions only with a prescriber’s rationale and password', async () => {
    await dayAt('2026-06-03T13:00:00Z');
    await phq9Today();
    const id = await bookSession();
    expect((await post(frontDesk, id, 'check-in')).statusCode).toBe(201);
    // BP 150/95: a caution; no heart rate or SpO2: a caution; MOAA/S 4: a caution.
    await post(
      nurse,
      id,
      'vitals',
      vitals({ systolic: 150, diastolic: 95, heartRate: undefined, spo2: undefined }),
    );
    await post(nurse, id, 'observations', moaas(4));
    const first = (await post(nurse, id, 'checklist', checklist())).json();
    expect(first.checklist.blockers).toContain('No confirmed ride home with a named escort.');
    const override = (checklistId: string, cautions: string[], extra: Record<string, unknown> = {}) => ({
      id: randomUUID(),
      checklistId,
      cautions,
      rationale: 'Reviewed with the patient; BP is her usual; proceed',
      password: testPassword,
      ...extra,
    });
    // Blockers stand: no override.
    const blockedOverride = await post(
      prescriber,
      id,
      'gate-override',
      override(first.checklist.id, first.checklist.cautions),
    );
    expect(blockedOverride.statusCode).toBe(409);
    const namingBlocker = await post(
      prescriber,
      id,
      'gate-override',
      override(first.checklist.id, [first.checklist.blockers[0]]),
    );
    expect(namingBlocker.statusCode).toBe(400);
    expect(namingBlocker.json().errors).toEqual([
      { path: 'cautions.0', message: 'A blocker cannot be overridden.' },
    ]);

    await confirmRideHome(id);
    const second = (await post(nurse, id, 'checklist', checklist())).json();
    expect(second.state).toBe('checked-in');
    expect(second.checklist.blockers).toEqual([]);
    expect(second.checklist.cautions).toEqual([
      'BP 150/95 is above 140/90: weigh the BP rise against the benefit.',
      'Baseline heart rate and SpO2 are not both recorded.',
      'Baseline MOAA/S is 4, not fully alert, before the dose.',
    ]);
    // Cautions stop the dose until overridden.
    expect((await post(nurse, id, 'administrations', dose())).statusCode).toBe(409);
    // Only a prescriber (session.override): a nurse gets 403.
    expect(
      (await post(nurse, id, 'gate-override', override(second.checklist.id, second.checklist.cautions)))
        .statusCode,
    ).toBe(403);
    // The password is re-entered.
    const wrong = await post(
      prescriber,
      id,
      'gate-override',
      override(second.checklist.id, second.checklist.cautions, { password: 'not it' }),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([{ path: 'password', message: 'The password is not right.' }]);
    // Every caution must be named; an old checklist run is not the one overridden.
    const partial = await post(
      prescriber,
      id,
      'gate-override',
      override(second.checklist.id, [second.checklist.cautions[0]]),
    );
    expect(partial.statusCode).toBe(400);
    expect(
      (await post(prescriber, id, 'gate-override', override(first.checklist.id, second.checklist.cautions)))
        .statusCode,
    ).toBe(400);
    const validation = await post(prescriber, id, 'gate-override', {
      ...override(second.checklist.id, []),
      rationale: '',
    });
    expect(validation.statusCode).toBe(400);
    expect(
      validation
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['cautions', 'rationale']);

    const payload = override(second.checklist.id, second.checklist.cautions);
    const done = await post(prescriber, id, 'gate-override', payload);
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({
      state: 'cleared-to-dose',
      checklist: { id: second.checklist.id, override: { id: payload.id, rationale: payload.rationale } },
    });
    expect((await post(prescriber, id, 'gate-override', payload)).statusCode).toBe(200);
    const [event] = await database.db
      .select()
      .from(dosingSessionEvent)
      .where(and(eq(dosingSessionEvent.sessionId, id), eq(dosingSessionEvent.kind, 'clear-to-dose')));
    expect(event).toMatchObject({
      fromState: 'checked-in',
      toState: 'cleared-to-dose',
      reason: payload.rationale,
    });
    expect(await auditActions(id)).toContain('session.clear-to-dose');
  }, 60_000);
});

describe('recording in a session', () => {
  it('validates readings and observations with field paths, and is idempotent by the client id', async () => {
    await dayAt('2026-06-04T13:00:00Z');
    await phq9Today();
    const id = await clearedSession();
    const half = await post(nurse, id, 'vitals', vitals({ diastolic: undefined }));
    expect(half.statusCode).toBe(400);
    expect(half.json().errors).toEqual([
      { path: 'diastolic', message: 'Blood pressure needs both systolic and diastolic.' },
    ]);
    expect((await post(nurse, id, 'vitals', vitals({ systolic: 900 }))).json().errors[0].path).toBe(
      'systolic',
    );
    const future = await post(nurse, id, 'vitals', vitals({ measuredAt: '2026-06-04T14:00:00Z' }));
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].path).toBe('measuredAt');
    const mixed = await post(nurse, id, 'observations', { ...moaas(3), cadss6: [0, 0, 0, 0, 0, 0] });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().errors).toEqual([{ path: 'cadss6', message: 'Only moaas goes with moaas.' }]);
    const short = await post(nurse, id, 'observations', {
      id: randomUUID(),
      observedAt: minutesAgo(0),
      kind: 'cadss6',
      cadss6: [0, 1],
    });
    expect(short.json().errors[0].path).toBe('cadss6');
    const unknownEffect = await post(nurse, id, 'observations', {
      id: randomUUID(),
      observedAt: minutesAgo(0),
      kind: 'side-effects',
      sideEffects: ['hiccups'],
    });
    expect(unknownEffect.json().errors[0].path).toBe('sideEffects.0');

    const reading = vitals();
    expect((await post(nurse, id, 'vitals', reading)).statusCode).toBe(201);
    expect((await post(nurse, id, 'vitals', reading)).statusCode).toBe(200);
    const changed = await post(nurse, id, 'vitals', { ...reading, systolic: 130 });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().errors).toEqual([{ path: 'id', message: 'Generate a new id.' }]);
    const parallel = await Promise.all(
      Array.from({ length: 5 }, () => post(nurse, id, 'vitals', { ...reading, id: reading.id })),
    );
    expect(parallel.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const rows = await database.db.select().from(vitalSigns).where(eq(vitalSigns.id, reading.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ context: 'session', sessionId: id });

    const observation = moaas(5);
    expect((await post(nurse, id, 'observations', observation)).statusCode).toBe(201);
    expect((await post(nurse, id, 'observations', observation)).statusCode).toBe(200);
    expect((await post(nurse, id, 'observations', { ...observation, moaas: 4 })).statusCode).toBe(409);

    // Pre-dose readings feed the gate and raise no alert; the screening route cannot write a session reading.
    // After clearance, a new baseline the gate blocks sends the session back to the checks.
    await pass(1);
    const high = await post(nurse, id, 'vitals', vitals({ systolic: 190, diastolic: 100 }));
    expect(high.json().alerts).toEqual([]);
    expect(high.json()).toMatchObject({ state: 'checked-in', clearedAt: null });
    expect(high.json().events.at(-1)).toMatchObject({
      kind: 'reopen-checks',
      fromState: 'cleared-to-dose',
      toState: 'checked-in',
      reason: 'BP 190/100 is above 180/100: do not dose (uncontrolled hypertension).',
    });
    expect((await post(nurse, id, 'administrations', dose())).statusCode).toBe(409);
    const viaScreening = await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/vitals`,
      payload: { ...vitals(), context: 'session' },
    });
    expect(viaScreening.statusCode).toBe(400);
  }, 60_000);

  it('corrects a reading by superseding it, or marks it entered in error; the old one stays', async () => {
    await dayAt('2026-06-04T16:00:00Z');
    await phq9Today();
    const id = await clearedSession();
    const typo = vitals({ systolic: 212, diastolic: 80 });
    expect((await post(nurse, id, 'vitals', typo)).statusCode).toBe(201);
    const noReason = await post(nurse, id, 'vitals', vitals({ supersedesId: typo.id }));
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('correctionReason');
    const fix = vitals({ systolic: 122, supersedesId: typo.id, correctionReason: 'Typed 212 for 122' });
    const corrected = await post(nurse, id, 'vitals', fix);
    expect(corrected.statusCode, corrected.body).toBe(201);
    const statuses = Object.fromEntries(
      corrected.json().vitals.map((v: { id: string; status: string }) => [v.id, v.status]),
    );
    expect(statuses[typo.id]).toBe('superseded');
    expect(statuses[fix.id]).toBe('current');
    expect(corrected.json().baselineVitals).toMatchObject({ systolic: 122 });
    const again = await post(
      nurse,
      id,
      'vitals',
      vitals({ supersedesId: typo.id, correctionReason: 'Again' }),
    );
    expect(again.statusCode).toBe(409);
    const retraction = {
      id: randomUUID(),
      measuredAt: minutesAgo(0),
      supersedesId: fix.id,
      correctionReason: 'Wrong patient’s cuff',
      enteredInError: true,
    };
    const retracted = await post(nurse, id, 'vitals', retraction);
    expect(retracted.statusCode, retracted.body).toBe(201);
    expect(retracted.json().vitals.find((v: { id: string }) => v.id === fix.id).status).toBe(
      'entered-in-error',
    );
    expect(await auditActions(retraction.id)).toContain('session.vitals-entered-in-error');
  }, 60_000);

  it('asks a second signer where the clinic requires one, with their password', async () => {
    await dayAt('2026-06-05T13:00:00Z');
    await phq9Today();
    const id = await clearedSession();
    await database.db
      .update(clinic)
      .set({ settings: { ...settings, sessions: { ...settings.sessions, secondSignerRequired: true } } })
      .where(eq(clinic.id, clinicId));
    try {
      const none = await post(nurse, id, 'administrations', dose());
      expect(none.statusCode).toBe(400);
      expect(none.json().errors[0].path).toBe('secondSigner');
      const self = await post(
        nurse,
        id,
        'administrations',
        dose({ secondSigner: { username: nurseUser.email, password: testPassword } }),
      );
      expect(self.statusCode).toBe(400);
      expect(self.json().errors[0].path).toBe('secondSigner.username');
      const wrong = await post(
        nurse,
        id,
        'administrations',
        dose({ secondSigner: { username: secondNurse.email, password: 'nope' } }),
      );
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors).toEqual([
        { path: 'secondSigner.password', message: 'The password is not right.' },
      ]);
      const before = await lotBalance();
      const signed = await post(
        nurse,
        id,
        'administrations',
        dose({ secondSigner: { username: secondNurse.email, password: testPassword } }),
      );
      expect(signed.statusCode, signed.body).toBe(201);
      expect(signed.json().administrations[0].secondSigner).toEqual({
        id: secondNurse.id,
        displayName: expect.any(String),
      });
      expect(signed.json().planOrder.secondSignerRequired).toBe(true);
      expect(await lotBalance()).toBeCloseTo(before - 0.7, 5);
    } finally {
      await database.db.update(clinic).set({ settings }).where(eq(clinic.id, clinicId));
    }
    // The dose record is append-only in the database.
    const message = await databaseError(
      database.db.update(doseAdministration).set({ doseMg: 1 }).where(eq(doseAdministration.sessionId, id)),
    );
    expect(message).toMatch(/append-only|not allowed|cannot/i);
  }, 60_000);

  it('aborts with a reason; a prescriber discharges against an unmet criterion with a rationale', async () => {
    await dayAt('2026-06-06T13:00:00Z');
    await phq9Today();
    const stopped = await clearedSession();
    const noReason = await post(nurse, stopped, 'abort', { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('reason');
    const aborted = await post(nurse, stopped, 'abort', { reason: 'Patient declined the dose today' });
    expect(aborted.statusCode).toBe(200);
    expect(aborted.json()).toMatchObject({
      state: 'aborted',
      abortReason: 'Patient declined the dose today',
    });
    expect((await post(nurse, stopped, 'abort', { reason: 'Again' })).statusCode).toBe(409);
    expect((await post(nurse, stopped, 'administrations', dose())).statusCode).toBe(409);

    await pass(35);
    const id = await clearedSession();
    expect((await post(nurse, id, 'administrations', dose())).statusCode).toBe(201);
    expect((await post(nurse, id, 'start-monitoring')).statusCode).toBe(200);
    await pass(30);
    const body = (override: unknown) => ({
      id: randomUUID(),
      escortPresent: true,
      instructionsGiven: true,
      note: null,
      override,
    });
    const wrong = await post(
      prescriber,
      id,
      'discharge',
      body({ rationale: 'Transfer to ED with escort', password: 'x' }),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([
      { path: 'override.password', message: 'The password is not right.' },
    ]);
    const noInstructions = await post(prescriber, id, 'discharge', {
      ...body(null),
      instructionsGiven: false,
    });
    expect(noInstructions.statusCode).toBe(400);
    expect(noInstructions.json().errors[0].path).toBe('instructionsGiven');
    const done = await post(
      prescriber,
      id,
      'discharge',
      body({ rationale: 'Transferred to the emergency department with the escort', password: testPassword }),
    );
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json().discharge).toMatchObject({
      ready: false,
      overrideRationale: 'Transferred to the emergency department with the escort',
      overriddenBy: { displayName: expect.any(String) },
    });
    expect(done.json().discharge.unmet).toContain('Observed 30 of at least 60 minutes.');
  }, 60_000);
});

describe('access', () => {
  it('answers another clinic with 404, and roles without the permission with 403', async () => {
    await dayAt('2026-06-07T13:00:00Z');
    const tomorrow = await bookSession(new Date(clock.now().getTime() + 24 * 60 * 60_000));
    const early = await post(frontDesk, tomorrow, 'check-in');
    expect(early.statusCode).toBe(409);
    expect(early.json().errors).toEqual([{ path: 'state', message: 'The session is on 2026-06-08.' }]);
    const id = await bookSession();
    expect((await post(foreignNurse, id, 'check-in')).statusCode).toBe(404);
    expect((await post(frontDesk, id, 'check-in')).statusCode).toBe(201);
    expect((await get(foreignNurse, id)).statusCode).toBe(404);
    expect((await post(foreignNurse, id, 'vitals', vitals())).statusCode).toBe(404);
    expect(
      (await as(app, foreignNurse)({ method: 'GET', url: `/api/v1/patients/${patient.id}/sessions` }))
        .statusCode,
    ).toBe(404);
    const foreignBoard = await as(app, foreignNurse)({ method: 'GET', url: '/api/v1/sessions/board' });
    expect(foreignBoard.json().items).toEqual([]);
    // The front desk checks in but does not read the clinical record; the therapist reads it but does not record.
    expect((await get(frontDesk, id)).statusCode).toBe(403);
    const asTherapist = await get(therapist, id);
    expect(asTherapist.statusCode).toBe(200);
    // The steps offered are those the caller's roles may take.
    expect(asTherapist.json().allowedActions).toEqual([]);
    expect((await get(nurse, id)).json().allowedActions).toEqual(['clear-to-dose', 'abort']);
    expect((await post(therapist, id, 'vitals', vitals())).statusCode).toBe(403);
    expect((await post(admin, id, 'administrations', dose())).statusCode).toBe(403);
    expect((await get(nurse, randomUUID())).statusCode).toBe(404);
  }, 60_000);
});

describe('esketamine and parallel doses', () => {
  it('gives SPRAVATO in whole 28 mg devices, 5 minutes apart per device, within the plan’s maximum', async () => {
    await dayAt('2026-06-08T13:00:00Z');
    const spravatoPatient = await createPatient(database.db, clinicId, { givenName: 'Eske' });
    const spravatoPlan = (
      await completePathway(
        actors,
        spravatoPatient,
        kapImPlan('2026-06-08', {
          protocolId: 'spravato-trd',
          route: 'intranasal',
          product: 'esketamine',
          dosingSessions: 12,
          weightKg: null,
          startingDose: { value: 56, unit: 'mg' },
          maximumDose: { value: 84, unit: 'mg' },
        }),
      )
    ).planId;
    const product = await as(
      app,
      admin,
    )({
      method: 'POST',
      url: '/api/v1/ledger/products',
      payload: {
        product: 'esketamine',
        name: 'SPRAVATO 28 mg nasal spray device',
        ndc: '50458-028-02',
        form: 'nasal-device',
        concentrationMgPerUnit: 28,
        containerSize: 2,
      },
    });
    expect(product.statusCode, product.body).toBe(201);
    const locations = (await as(app, admin)({ method: 'GET', url: '/api/v1/ledger/locations' })).json();
    const receipt = await as(
      app,
      admin,
    )({
      method: 'POST',
      url: '/api/v1/ledger/receipts',
      payload: {
        id: randomUUID(),
        locationId: (locations.items ?? locations)[0].id,
        productId: product.json().id,
        lotNumber: 'SPR-7',
        expiresOn: '2027-06-30',
        containers: 3,
        supplier: { name: 'Pharma Supply', address: '2 Supply Road, Springfield', deaNumber: 'RP7654321' },
        invoiceNumber: 'INV-2',
        receivedAt: '2026-06-08T11:00:00Z',
      },
    });
    expect(receipt.statusCode, receipt.body).toBe(201);
    const deviceLot = (
      await as(app, admin)({ method: 'GET', url: `/api/v1/ledger/entries/${receipt.json().id}` })
    ).json().lot.id as string;

    const id = await bookReadySession({
      patientId: spravatoPatient.id,
      planId: spravatoPlan,
      protocolId: 'spravato-trd',
      route: 'intranasal',
      product: 'esketamine',
    });
    expect((await post(frontDesk, id, 'check-in')).statusCode).toBe(201);
    await post(nurse, id, 'vitals', vitals());
    await post(nurse, id, 'observations', moaas(5));
    const run = await post(nurse, id, 'checklist', checklist({ hoursSinceFood: 3, hoursSinceLiquids: 1 }));
    expect(run.json().state, JSON.stringify(run.json().checklist)).toBe('cleared-to-dose');
    expect(run.json().observationPlan).toMatchObject({
      readingsAtMinutes: [0, 40],
      minimumObservationMinutes: 120,
    });

    const esk = (doseMg: number, extra: Record<string, unknown> = {}) =>
      dose({ lotId: deviceLot, doseMg, site: 'Both nostrils', ...extra });
    const notWhole = await post(nurse, id, 'administrations', esk(40));
    expect(notWhole.statusCode).toBe(400);
    expect(notWhole.json().errors[0].path).toBe('doseMg');
    // The IM vial lot is not a lot for a nasal dose.
    expect((await post(nurse, id, 'administrations', dose({ doseMg: 56 }))).json().errors[0].path).toBe(
      'lotId',
    );
    const first = await post(nurse, id, 'administrations', esk(56));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().administrations[0]).toMatchObject({
      devices: 2,
      quantity: 2,
      volumeMl: null,
      concentrationUnit: 'mg/device',
      lotNumber: 'SPR-7',
    });
    // Two devices given: the next one not before 10 minutes after the first.
    await pass(6);
    const tooSoon = await post(nurse, id, 'administrations', esk(28));
    expect(tooSoon.statusCode).toBe(400);
    expect(tooSoon.json().errors[0]).toEqual({
      path: 'startedAt',
      message: 'Not before 2026-06-08T13:10:00.000Z.',
    });
    await pass(4);
    const third = await post(nurse, id, 'administrations', esk(28));
    expect(third.statusCode, third.body).toBe(201);
    expect(third.json().planOrder).toMatchObject({ givenMg: 84, remainingMg: 0 });
    await pass(5);
    expect((await post(nurse, id, 'administrations', esk(28))).statusCode).toBe(400);
    // BP at ~40 minutes is the next reading due (SPRAVATO PI).
    expect((await post(nurse, id, 'start-monitoring')).statusCode).toBe(200);
    expect((await get(nurse, id)).json().nextReadingDue).toEqual({
      dueAt: '2026-06-08T13:40:00.000Z',
      overdue: false,
    });
  }, 120_000);

  it('serializes parallel doses of one session: the plan’s maximum holds and no dose is lost', async () => {
    await dayAt('2026-06-09T13:00:00Z');
    await phq9Today();
    const id = await clearedSession();
    const noSite = await post(nurse, id, 'administrations', dose({ site: null }));
    expect(noSite.statusCode).toBe(400);
    expect(noSite.json().errors[0].path).toBe('site');
    expect((await post(nurse, id, 'administrations', dose())).statusCode).toBe(201);
    await pass(2);
    const answers = await Promise.all([
      post(nurse, id, 'administrations', dose()),
      post(nurse, id, 'administrations', dose()),
      post(nurse, id, 'administrations', dose()),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 400, 400]);
    const given = await database.db
      .select()
      .from(doseAdministration)
      .where(and(eq(doseAdministration.clinicId, clinicId), eq(doseAdministration.sessionId, id)));
    expect(given.map((d) => d.sequence).sort()).toEqual([1, 2]);
    const drawn = await database.db
      .select()
      .from(ledgerEntry)
      .where(and(eq(ledgerEntry.clinicId, clinicId), eq(ledgerEntry.sessionId, id)));
    expect(drawn.map((e) => e.administrationId).sort()).toEqual(given.map((d) => d.id).sort());
  }, 60_000);
});

describe('an IV infusion', () => {
  it('runs over 40 minutes unless the end is given, with readings every 10 minutes during it', async () => {
    await dayAt('2026-06-10T13:00:00Z');
    const ivPatient = await createPatient(database.db, clinicId, { givenName: 'Ivy' });
    const ivPlan = (
      await completePathway(
        actors,
        ivPatient,
        kapImPlan('2026-06-10', {
          protocolId: 'iv-series',
          route: 'iv',
          dosingSessions: 6,
          startingDose: { value: 0.5, unit: 'mg/kg' },
          maximumDose: { value: 0.5, unit: 'mg/kg' },
        }),
      )
    ).planId;
    const id = await bookReadySession({
      patientId: ivPatient.id,
      planId: ivPlan,
      protocolId: 'iv-series',
      route: 'iv',
      product: 'ketamine-racemic',
    });
    expect((await post(frontDesk, id, 'check-in')).statusCode).toBe(201);
    await post(nurse, id, 'vitals', vitals());
    await post(nurse, id, 'observations', moaas(5));
    const run = await post(nurse, id, 'checklist', checklist());
    expect(run.json().state, JSON.stringify(run.json().checklist)).toBe('cleared-to-dose');
    expect(run.json().observationPlan).toMatchObject({
      readingsAtMinutes: [0, 10, 20, 30, 40, 55, 70],
      minimumObservationMinutes: 70,
    });
    const given = await post(nurse, id, 'administrations', dose({ site: 'Left antecubital' }));
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json().administrations[0]).toMatchObject({
      startedAt: '2026-06-10T13:00:00.000Z',
      endedAt: '2026-06-10T13:40:00.000Z',
      volumeMl: 0.7,
    });
    expect(given.json().planOrder.infusionMinutes).toBe(40);
    await pass(12);
    expect((await get(nurse, id)).json().nextReadingDue).toEqual({
      dueAt: '2026-06-10T13:10:00.000Z',
      overdue: true,
    });
  }, 120_000);
});

describe('session settings', () => {
  it('lets an admin set what the reference leaves to the clinic, and nobody else', async () => {
    await dayAt('2026-06-11T13:00:00Z');
    const put = (who: SignedIn, payload: object) =>
      as(app, who)({ method: 'PUT', url: '/api/v1/sessions/settings', payload });
    expect((await put(nurse, { secondSignerRequired: true })).statusCode).toBe(403);
    const invalid = await put(admin, { readingIntervalMinutes: { im: 0 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors[0].path).toBe('readingIntervalMinutes.im');
    const saved = await put(admin, {
      ...settings.sessions,
      secondSignerRequired: false,
      vitalsThresholds: { warning: { heartRateAbove: 110 } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().thresholds.warning).toMatchObject({ systolicAbove: 140, heartRateAbove: 110 });
    expect(saved.json().thresholds.critical.spo2Below).toBeNull();
    const read = await as(app, nurse)({ method: 'GET', url: '/api/v1/sessions/settings' });
    expect(read.json().settings).toMatchObject({
      readingIntervalMinutes: { im: 15 },
      secondSignerRequired: false,
    });
    const [row] = await database.db.select().from(clinic).where(eq(clinic.id, clinicId));
    expect(row!.settings).toMatchObject({ mfaRequired: false, careScope: 'clinic' });
    expect(await auditActions(clinicId)).toContain('session-settings.update');
  });
});

describe('the database keeps the record', () => {
  it('refuses to change or remove any row of a session’s record, and an aborted session without a reason', async () => {
    for (const table of [
      dosingSessionEvent,
      preDoseChecklist,
      preDoseOverride,
      doseAdministration,
      sessionObservation,
      sessionDischarge,
    ]) {
      const [row] = await database.db.select().from(table).where(eq(table.clinicId, clinicId)).limit(1);
      expect(row, 'the tests above wrote a row').toBeDefined();
      expect(await databaseError(database.db.delete(table).where(eq(table.clinicId, clinicId)))).toMatch(
        /is append-only: DELETE is not allowed/,
      );
      expect(
        await databaseError(database.db.update(table).set({ clinicId }).where(eq(table.clinicId, clinicId))),
      ).toMatch(/is append-only: UPDATE is not allowed/);
    }
    const [live] = await database.db
      .select()
      .from(dosingSession)
      .where(and(eq(dosingSession.clinicId, clinicId), eq(dosingSession.state, 'checked-in')))
      .limit(1);
    expect(
      await databaseError(
        database.db
          .update(dosingSession)
          .set({ state: 'aborted', endedAt: new Date() })
          .where(eq(dosingSession.id, live!.id)),
      ),
    ).toMatch(/dosing_session_abort_reason/);
  });
});
