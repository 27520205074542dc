import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { loadConfig } from '../../config.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, dosingSession, measureAssignment } from '../../db/schema/index.ts';
import type { JobEnvironment } from '../../jobs/types.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { completePathway, kapImPlan, type PathwayActors } from '../scheduling/pathway.fixture.ts';
import { syncClinicMeasureSchedules, syncClinicOncePerDay } from './measure-schedule.jobs.ts';

/**
 * The measure schedule through the real hooks: signing the plan, booking, moving and cancelling dosing
 * sessions, a dose given and the plan ended, plus the hourly sync. Clinic time zone America/New_York.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let actors: PathwayActors;
let frontDesk: SignedIn;
let prescriberId: string;
let nurseId: string;
let therapistId: string;
let dosingRoom: string;
let env: JobEnvironment;
const clock = new ManualClock('2026-06-01T08:00:00Z');
const emails: { frontDesk: string; prescriber: string; nurse: string } = {
  frontDesk: '',
  prescriber: '',
  nurse: '',
};

/** Moves the clock and signs everyone in again (sessions time out across days). */
async function travel(to: string) {
  clock.set(to);
  frontDesk = await signIn(app, emails.frontDesk);
  actors.prescriber = await signIn(app, emails.prescriber);
  actors.nurse = await signIn(app, emails.nurse);
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const admin = await createStaffUser(database.db, clinicId, ['admin']);
  const prescriber = await createStaffUser(database.db, clinicId, ['prescriber']);
  prescriberId = prescriber.id;
  const nurse = await createStaffUser(database.db, clinicId, ['nurse']);
  nurseId = nurse.id;
  therapistId = (await createStaffUser(database.db, clinicId, ['therapist'])).id;
  emails.frontDesk = (await createStaffUser(database.db, clinicId, ['frontdesk'])).email;
  emails.prescriber = prescriber.email;
  emails.nurse = nurse.email;
  frontDesk = await signIn(app, emails.frontDesk);
  actors = {
    app,
    db: database.db,
    clinicId,
    prescriber: await signIn(app, prescriber.email),
    nurse: await signIn(app, nurse.email),
    adminUserId: admin.id,
  };
  const adminSession = await signIn(app, admin.email);
  dosingRoom = (
    await as(
      app,
      adminSession,
    )({ method: 'POST', url: '/api/v1/rooms', payload: { name: 'Chair', kind: 'dosing-room' } })
  ).json().id;
  env = {
    database: database.db,
    clock,
    config: loadConfig({}),
    log: { info: () => {}, warn: () => {}, error: () => {} },
  };
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const book = async (patientId: string, startsAt: string) => {
  const response = await as(
    app,
    frontDesk,
  )({
    method: 'POST',
    url: '/api/v1/appointments',
    payload: {
      patientId,
      kind: 'dosing',
      roomId: dosingRoom,
      startsAt,
      staff: [
        { userId: nurseId, role: 'nurse' },
        { userId: therapistId, role: 'therapist' },
      ],
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
};
const scheduleOf = async (patientId: string, who: SignedIn = actors.prescriber) => {
  const response = await as(
    app,
    who,
  )({ method: 'GET', url: `/api/v1/patients/${patientId}/measure-schedule` });
  return response;
};
const assignmentsOf = (patientId: string) =>
  database.db
    .select()
    .from(measureAssignment)
    .where(and(eq(measureAssignment.clinicId, clinicId), eq(measureAssignment.patientId, patientId)));
type Entry = { scheduleKey: string; instrument: string; status: string; dueDate: string; anchor: string };
const entry = (entries: Entry[], key: string, instrument = 'phq9') =>
  entries.find((e) => e.scheduleKey === key && e.instrument === instrument);

describe('measure schedule', () => {
  beforeEach(async () => {
    if (app) await travel(clock.now().toISOString());
  });
  it('follows the plan, the bookings, a moved session, a dose given and the end of the plan', async () => {
    const patient = await createPatient(database.db, clinicId);
    const { planId } = await completePathway(actors, patient, kapImPlan('2026-06-16'));
    // Signed on June 1: the baseline window (14 days before June 16) has not opened.
    expect(await assignmentsOf(patient.id)).toHaveLength(0);

    await travel('2026-06-05T14:00:00Z');
    const first = await book(patient.id, '2026-06-16T13:00:00Z');
    for (const day of ['2026-06-23', '2026-06-30', '2026-07-07']) await book(patient.id, `${day}T13:00:00Z`);
    // The booking opened the baseline: PHQ-9 and GAD-7, assigned by the prescriber who signed the plan.
    let rows = await assignmentsOf(patient.id);
    expect(rows.map((r) => [r.scheduleKey, r.instrument, r.status, r.dueDate]).sort()).toEqual([
      ['baseline', 'gad7', 'pending', '2026-06-15'],
      ['baseline', 'phq9', 'pending', '2026-06-15'],
    ]);
    expect(
      rows.every((r) => r.assignedBy === prescriberId && r.planId === planId && r.reason === 'baseline'),
    ).toBe(true);

    let view = await scheduleOf(patient.id);
    expect(view.statusCode, view.body).toBe(200);
    let entries = view.json().entries as Entry[];
    expect(entry(entries, 'baseline')?.status).toBe('due');
    expect(entry(entries, 'dose:1')).toMatchObject({
      status: 'planned',
      dueDate: '2026-06-16',
      anchor: 'anchored',
    });
    expect(entry(entries, 'dose:4')).toMatchObject({ status: 'planned', dueDate: '2026-07-07' });
    expect(entry(entries, 'follow-up:3m')?.status).toBe('planned');

    // The morning of the first session: the hourly sync assigns its pre-dose measures. Twice changes nothing.
    await travel('2026-06-16T11:00:00Z');
    expect((await syncClinicMeasureSchedules(env, clinicId)).created).toBeGreaterThanOrEqual(2);
    const afterFirst = await assignmentsOf(patient.id);
    await syncClinicMeasureSchedules(env, clinicId);
    expect(await assignmentsOf(patient.id)).toHaveLength(afterFirst.length);
    const dose1 = afterFirst.filter((r) => r.scheduleKey === 'dose:1');
    expect(dose1.map((r) => [r.instrument, r.dueDate, r.reason, r.status]).sort()).toEqual([
      ['gad7', '2026-06-16', 'pre-dose', 'pending'],
      ['phq9', '2026-06-16', 'pre-dose', 'pending'],
    ]);

    // The session moves to tomorrow: today's pre-dose measures are cancelled (with the reason), and tomorrow's come.
    const cancel = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/appointments/${first}/cancel`,
      payload: { reason: 'Patient asked to come tomorrow' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    const moved = await book(patient.id, '2026-06-17T13:00:00Z');
    rows = await assignmentsOf(patient.id);
    for (const r of rows.filter((r) => r.scheduleKey === 'dose:1')) {
      expect(r).toMatchObject({ status: 'cancelled', cancelledBy: null });
      expect(r.cancelReason).toMatch(/^schedule: its dosing date moved/);
    }
    entries = (await scheduleOf(patient.id)).json().entries;
    expect(entry(entries, 'dose:1')).toMatchObject({ dueDate: '2026-06-17', status: 'planned' });

    await travel('2026-06-17T11:00:00Z');
    await syncClinicMeasureSchedules(env, clinicId);
    // The patient answers the PHQ-9 before the dose (staff enters it on the patient's behalf here).
    const phq = (await assignmentsOf(patient.id)).find(
      (r) => r.scheduleKey === 'dose:1' && r.instrument === 'phq9' && r.status === 'pending',
    );
    expect(phq?.dueDate).toBe('2026-06-17');
    const answered = await as(
      app,
      actors.prescriber,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/measure-assignments/${phq?.id}/responses`,
      payload: { id: randomUUID(), answers: [1, 1, 1, 1, 1, 1, 1, 1, 0, 1] },
    });
    expect(answered.statusCode, answered.body).toBe(201);

    // The dose is given (a dosing session row as the sessions area writes it once dosing starts).
    await database.db.insert(dosingSession).values({
      id: randomUUID(),
      clinicId,
      appointmentId: moved,
      patientId: patient.id,
      planId,
      protocolId: 'kap-im',
      route: 'im',
      product: 'ketamine-racemic',
      state: 'monitoring',
      checkedInAt: new Date('2026-06-17T12:50:00Z'),
      checkedInBy: nurseId,
      dosingStartedAt: new Date('2026-06-17T13:10:00Z'),
      updatedAt: new Date('2026-06-17T13:10:00Z'),
    });

    // The plan ends after one dose: the bookings left no longer count; end of course from the day after.
    await travel('2026-06-18T14:00:00Z');
    const ended = await as(
      app,
      actors.prescriber,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/treatment-plans/${planId}/end`,
      payload: { reason: 'stopped', note: 'Patient chose to stop after one session' },
    });
    expect(ended.statusCode, ended.body).toBe(200);
    rows = await assignmentsOf(patient.id);
    const endOfCourse = rows.filter((r) => r.scheduleKey === 'end-of-course');
    expect(endOfCourse.map((r) => [r.instrument, r.dueDate, r.status]).sort()).toEqual([
      ['gad7', '2026-06-18', 'pending'],
      ['phq9', '2026-06-18', 'pending'],
    ]);
    // The answered PHQ-9 is untouched; its GAD-7 sibling, still pending for a dose that was given, stays too.
    expect(rows.find((r) => r.id === phq?.id)?.status).toBe('completed');
    expect(
      rows.find((r) => r.scheduleKey === 'dose:1' && r.instrument === 'gad7' && r.dueDate === '2026-06-17')
        ?.status,
    ).toBe('pending');

    view = await scheduleOf(patient.id);
    const body = view.json();
    expect(body).toMatchObject({ planId, lastDose: '2026-06-17', planEnded: '2026-06-18' });
    entries = body.entries;
    expect(entry(entries, 'dose:1')?.status).toBe('completed');
    expect(entries.some((e) => e.scheduleKey === 'dose:2')).toBe(false);
    expect(entry(entries, 'end-of-course')?.status).toBe('due');
    // Follow-ups anchored to the dose given on June 17.
    expect(entry(entries, 'follow-up:1m')).toMatchObject({ dueDate: '2026-07-17', status: 'planned' });
    expect(entry(entries, 'follow-up:12m')?.dueDate).toBe('2027-06-17');

    // A month on, the sync (plan ended, patient in follow-up) assigns the 1-month follow-up.
    await travel('2026-07-17T12:00:00Z');
    await syncClinicMeasureSchedules(env, clinicId);
    const followUp = (await assignmentsOf(patient.id)).filter((r) => r.scheduleKey === 'follow-up:1m');
    expect(followUp.map((r) => [r.instrument, r.reason, r.dueDate]).sort()).toEqual([
      ['gad7', 'follow-up', '2026-07-17'],
      ['phq9', 'follow-up', '2026-07-17'],
    ]);

    // Every change by the schedule is in the audit trail; the task's ones with no actor and the role 'system'.
    const audit = await database.db
      .select({ action: auditEvent.action, actorRole: auditEvent.actorRole, actorId: auditEvent.actorId })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)));
    expect(audit.filter((a) => a.action === 'measure-assignment.cancel').length).toBeGreaterThanOrEqual(2);
    expect(audit.some((a) => a.action === 'measure-schedule.read')).toBe(true);
    const bySystem = audit.filter(
      (a) => a.action === 'measure-assignment.create' && a.actorRole === 'system',
    );
    expect(bySystem.length).toBeGreaterThanOrEqual(4);
    expect(bySystem.every((a) => a.actorId === null)).toBe(true);
  });

  it('sweeps a clinic once a clinic-local day, not every hour', async () => {
    await travel('2026-09-01T14:00:00Z'); // 10:00 in New York
    const patient = await createPatient(database.db, clinicId);
    await completePathway(actors, patient, kapImPlan('2026-09-10'));
    const baseline = async () =>
      (await assignmentsOf(patient.id)).filter((r) => r.scheduleKey === 'baseline' && r.status === 'pending');
    // Signing inside the baseline window opened it (the hook, not the sweep).
    expect(await baseline()).toHaveLength(2);
    const sweptOn = new Map<string, string>();
    expect(await syncClinicOncePerDay(env, clinicId, sweptOn)).toMatchObject({ failed: 0 });
    // Something changes behind the schedule's back (no hook ran): the sweep does not look again today...
    await database.db
      .update(measureAssignment)
      .set({ status: 'cancelled', cancelledAt: clock.now(), cancelReason: 'schedule: test' })
      .where(and(eq(measureAssignment.patientId, patient.id), eq(measureAssignment.scheduleKey, 'baseline')));
    clock.set('2026-09-02T03:30:00Z'); // 23:30 on September 1 in New York
    expect(await syncClinicOncePerDay(env, clinicId, sweptOn)).toBeNull();
    expect(await baseline()).toHaveLength(0);
    // ...but in the first round of the next local day, and then not again that day.
    clock.set('2026-09-02T04:30:00Z'); // 00:30 on September 2
    expect((await syncClinicOncePerDay(env, clinicId, sweptOn))?.created).toBeGreaterThanOrEqual(2);
    expect(await baseline()).toHaveLength(2);
    clock.set('2026-09-02T05:30:00Z');
    expect(await syncClinicOncePerDay(env, clinicId, sweptOn)).toBeNull();
  });

  it('is refused to the front desk (no clinical read) and to another clinic', async () => {
    const patient = await createPatient(database.db, clinicId);
    expect((await scheduleOf(patient.id, frontDesk)).statusCode).toBe(403);
    const other = await createClinic(database.db);
    const stranger = await signIn(app, (await createStaffUser(database.db, other.id, ['prescriber'])).email);
    expect((await scheduleOf(patient.id, stranger)).statusCode).toBe(404);
  });

  it('shows an empty schedule before any plan is signed', async () => {
    const patient = await createPatient(database.db, clinicId);
    const view = await scheduleOf(patient.id);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ planId: null, entries: [] });
  });
});
