import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { loadConfig } from '../../config.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import {
  alert,
  auditEvent,
  backgroundJob,
  clinic,
  mailOutbox,
  measureAssignment,
  measureReminder,
  patient,
} from '../../db/schema/index.ts';
import { JobRunner } from '../../jobs/runner.ts';
import { runSystemWork } from '../../jobs/system-work.ts';
import type { JobEnvironment } from '../../jobs/types.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  databaseError,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { markMissedMeasures, queueDueReminders, smsReminderHandler } from './reminders.service.ts';
import type { SmsAdapter } from './sms.ts';

/**
 * Reminders and missed measures on one clinic (America/New_York; June is UTC−4, so 09:00 there is 13:00Z).
 * The tasks are called per clinic, as the recurring tasks call them for each.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let env: JobEnvironment;
const clock = new ManualClock('2026-06-01T12:00:00Z');
const emails = { admin: '', prescriber: '', frontDesk: '' };
let prescriberId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db, { name: 'Riverbend Clinic' })).id;
  emails.admin = (await createStaffUser(database.db, clinicId, ['admin'])).email;
  const prescriber = await createStaffUser(database.db, clinicId, ['prescriber']);
  prescriberId = prescriber.id;
  emails.prescriber = prescriber.email;
  emails.frontDesk = (await createStaffUser(database.db, clinicId, ['frontdesk'])).email;
  env = {
    database: database.db,
    clock,
    config: loadConfig({ PUBLIC_URL: 'https://kap.example.org' }),
    log: { info: () => {}, warn: () => {}, error: () => {} },
  };
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const remind = () =>
  runSystemWork(env, clinicId, 'test', (ctx) => queueDueReminders(ctx, 'https://kap.example.org/portal'));
const markMissed = () => runSystemWork(env, clinicId, 'test', (ctx) => markMissedMeasures(ctx));
const hours = (n: number) => clock.advance(n * 3_600_000);

async function setReminders(values: Record<string, unknown>) {
  const [row] = await database.db
    .select({ settings: clinic.settings })
    .from(clinic)
    .where(eq(clinic.id, clinicId));
  await database.db
    .update(clinic)
    .set({ settings: { ...row!.settings, reminders: values } })
    .where(eq(clinic.id, clinicId));
}

/** A patient with a portal account and one PHQ-9 due on `dueDate`. */
async function patientWithDueMeasure(
  dueDate: string,
  phone: string | null = null,
  reason: 'pre-dose' | 'follow-up' = 'pre-dose',
) {
  const p = await createPatient(database.db, clinicId);
  if (phone) await database.db.update(patient).set({ phone }).where(eq(patient.id, p.id));
  const account = await createPatientUser(database.db, clinicId, p.id);
  const assignmentId = randomUUID();
  await database.db.insert(measureAssignment).values({
    id: assignmentId,
    clinicId,
    patientId: p.id,
    instrument: 'phq9',
    reason,
    respondent: 'patient',
    dueDate,
    assignedAt: clock.now(),
    assignedBy: prescriberId,
    scheduleKey: reason === 'pre-dose' ? 'dose:1' : 'follow-up:1m',
  });
  return { patientId: p.id, email: account.email, assignmentId };
}
const mailsTo = (email: string) =>
  database.db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.clinicId, clinicId), eq(mailOutbox.toAddress, email)));
const remindersOf = (assignmentId: string) =>
  database.db
    .select()
    .from(measureReminder)
    .where(and(eq(measureReminder.clinicId, clinicId), eq(measureReminder.assignmentId, assignmentId)));

describe('measure reminders', () => {
  it('sends from the send hour on the due day, repeats after the interval, stops at the maximum, once per round', async () => {
    await setReminders({});
    clock.set('2026-06-01T12:00:00Z'); // 08:00 in New York
    const { email, assignmentId } = await patientWithDueMeasure('2026-06-01', null, 'follow-up');
    expect((await remind()).reminders).toBe(0);
    expect(await mailsTo(email)).toHaveLength(0);

    clock.set('2026-06-01T13:05:00Z'); // 09:05: the default send hour has come
    expect((await remind()).reminders).toBe(1);
    // A second server running the same round sends nothing more.
    expect((await remind()).reminders).toBe(0);
    const [mail, ...more] = await mailsTo(email);
    expect(more).toHaveLength(0);
    expect(mail?.subject).toBe('A questionnaire is waiting in your portal');
    expect(mail?.textBody).toContain('Riverbend Clinic');
    expect(mail?.textBody).toContain('https://kap.example.org/portal');
    // No clinical detail in the mail: no instrument, no reason.
    expect(`${mail?.subject} ${mail?.textBody}`).not.toMatch(/PHQ|depress|dose|ketamine|score/i);
    expect((await remindersOf(assignmentId)).map((r) => [r.sequence, r.channel, r.mailId])).toEqual([
      [1, 'email', mail?.id],
    ]);

    hours(47);
    expect((await remind()).reminders).toBe(0);
    hours(1);
    expect((await remind()).reminders).toBe(1);
    hours(48);
    expect((await remind()).reminders).toBe(1);
    hours(48);
    expect((await remind()).reminders).toBe(0); // three in all (the default maximum)
    expect((await remindersOf(assignmentId)).map((r) => r.sequence).sort()).toEqual([1, 2, 3]);
    expect(await mailsTo(email)).toHaveLength(3);
  });

  it('reminds of a pre-dose measure on its dosing day only, never after the dose it was for', async () => {
    clock.set('2026-06-15T14:00:00Z');
    const preDose = await patientWithDueMeasure('2026-06-15');
    const followUp = await patientWithDueMeasure('2026-06-15', null, 'follow-up');
    await remind();
    expect(await remindersOf(preDose.assignmentId)).toHaveLength(1);
    expect(await remindersOf(followUp.assignmentId)).toHaveLength(1);
    hours(48);
    await remind();
    // Answered two days after the dose, it would be recorded as that dose's pre-dose score.
    expect(await remindersOf(preDose.assignmentId)).toHaveLength(1);
    expect(await remindersOf(followUp.assignmentId)).toHaveLength(2);
    // A pre-dose measure assigned late (due yesterday) is not reminded at all.
    const late = await patientWithDueMeasure('2026-06-16');
    await remind();
    expect(await remindersOf(late.assignmentId)).toHaveLength(0);
  });

  it('groups one patient’s due measures into one message per round', async () => {
    clock.set('2026-06-10T14:00:00Z');
    const first = await patientWithDueMeasure('2026-06-10');
    const secondId = randomUUID();
    await database.db.insert(measureAssignment).values({
      id: secondId,
      clinicId,
      patientId: first.patientId,
      instrument: 'gad7',
      reason: 'pre-dose',
      respondent: 'patient',
      dueDate: '2026-06-10',
      assignedAt: clock.now(),
      assignedBy: prescriberId,
      scheduleKey: 'dose:1',
    });
    expect((await remind()).reminders).toBe(2);
    expect(await mailsTo(first.email)).toHaveLength(1);
  });

  it('stops once the measure is answered, and once it is cancelled', async () => {
    clock.set('2026-06-20T14:00:00Z');
    const answered = await patientWithDueMeasure('2026-06-20');
    const cancelled = await patientWithDueMeasure('2026-06-20');
    await remind();
    expect(await remindersOf(answered.assignmentId)).toHaveLength(1);
    expect(await remindersOf(cancelled.assignmentId)).toHaveLength(1);
    // The patient answers in the portal.
    const self = as(app, await signIn(app, answered.email));
    const response = await self({
      method: 'POST',
      url: `/api/v1/me/measures/${answered.assignmentId}/responses`,
      payload: { id: randomUUID(), answers: [0, 1, 0, 1, 0, 0, 1, 0, 0, 0] },
    });
    expect(response.statusCode, response.body).toBe(201);
    await database.db
      .update(measureAssignment)
      .set({ status: 'cancelled', cancelledAt: clock.now(), cancelReason: 'schedule: its dosing date moved' })
      .where(eq(measureAssignment.id, cancelled.assignmentId));
    hours(48);
    await remind();
    expect(await remindersOf(answered.assignmentId)).toHaveLength(1);
    expect(await remindersOf(cancelled.assignmentId)).toHaveLength(1);
  });

  it('keeps every reminder as sent (append-only)', async () => {
    const [row] = await database.db
      .select()
      .from(measureReminder)
      .where(eq(measureReminder.clinicId, clinicId))
      .limit(1);
    expect(
      await databaseError(
        database.db.update(measureReminder).set({ sequence: 9 }).where(eq(measureReminder.id, row!.id)),
      ),
    ).toMatch(/append-only|not allowed|reject/i);
  });

  it('texts through the SMS adapter when the clinic turned it on, retrying a failed send', async () => {
    await setReminders({ sms: true, sendHour: 8 });
    clock.set('2026-07-01T12:30:00Z'); // 08:30 in New York, past the clinic's own send hour
    const { assignmentId } = await patientWithDueMeasure('2026-07-01', '+1 555 010 4477');
    await remind();
    const rows = await remindersOf(assignmentId);
    expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
    const jobId = rows.find((r) => r.channel === 'sms')?.jobId as string;

    const sent: [string, string][] = [];
    let failures = 1;
    const fake: SmsAdapter = {
      kind: 'recording',
      async send(to, text) {
        if (failures-- > 0) throw new Error('gateway timeout');
        sent.push([to, text]);
      },
    };
    // The runner claims every queued text of the database; only this clinic's job is looked at.
    const runner = new JobRunner(env, [smsReminderHandler(() => fake) as never], []);
    await runner.runOnce();
    clock.advance(60 * 60_000);
    await runner.runOnce();
    const [job] = await database.db.select().from(backgroundJob).where(eq(backgroundJob.id, jobId));
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
    const mine = sent.filter(([to]) => to === '+1 555 010 4477');
    expect(mine).toHaveLength(1);
    expect(mine[0]![1]).toBe('Riverbend Clinic: a questionnaire is waiting in your patient portal.');
    await setReminders({});
  });

  it('sends no text for a questionnaire answered before its queued text went out', async () => {
    await setReminders({ sms: true, sendHour: 8 });
    clock.set('2026-07-05T12:30:00Z');
    const phone = '+1 555 010 9911';
    const { assignmentId, email } = await patientWithDueMeasure('2026-07-05', phone);
    await remind();
    const jobId = (await remindersOf(assignmentId)).find((r) => r.channel === 'sms')?.jobId as string;
    // The patient answers the mail's reminder before the text is sent (say, the gateway was down).
    const self = as(app, await signIn(app, email));
    const response = await self({
      method: 'POST',
      url: `/api/v1/me/measures/${assignmentId}/responses`,
      payload: { id: randomUUID(), answers: [0, 1, 0, 1, 0, 0, 1, 0, 0, 0] },
    });
    expect(response.statusCode, response.body).toBe(201);
    const sent: string[] = [];
    const fake: SmsAdapter = { kind: 'recording', send: async (to) => void sent.push(to) };
    await new JobRunner(env, [smsReminderHandler(() => fake) as never], []).runOnce();
    const [job] = await database.db.select().from(backgroundJob).where(eq(backgroundJob.id, jobId));
    expect(job?.status).toBe('succeeded');
    expect(sent.filter((to) => to === phone)).toEqual([]);
    await setReminders({});
  });
});

describe('missed measures', () => {
  it('marks nothing missed until the clinic sets the grace, then once, with one moderate alert per assignment', async () => {
    await setReminders({});
    clock.set('2026-08-01T14:00:00Z');
    const { patientId, assignmentId } = await patientWithDueMeasure('2026-08-01');
    clock.set('2026-08-20T14:00:00Z');
    expect(await markMissed()).toBe(0);

    await setReminders({ missedAfterDays: 2 });
    clock.set('2026-08-03T14:00:00Z'); // due Aug 1 + 2 days of grace: still within it
    const before = await markMissed();
    const [stillDue] = await database.db
      .select()
      .from(measureAssignment)
      .where(eq(measureAssignment.id, assignmentId));
    expect(stillDue?.missedAt).toBeNull();
    clock.set('2026-08-04T04:30:00Z'); // Aug 4, 00:30 in New York
    expect((await markMissed()) - 0).toBeGreaterThanOrEqual(1);
    expect(await markMissed()).toBe(0);
    const [missed] = await database.db
      .select()
      .from(measureAssignment)
      .where(eq(measureAssignment.id, assignmentId));
    expect(missed).toMatchObject({ status: 'pending' });
    expect(missed?.missedAt).not.toBeNull();
    const alerts = await database.db
      .select()
      .from(alert)
      .where(
        and(eq(alert.clinicId, clinicId), eq(alert.patientId, patientId), eq(alert.kind, 'missed-measure')),
      );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      severity: 'moderate',
      sourceType: 'measure-assignment',
      sourceId: assignmentId,
    });
    expect(alerts[0]?.summary).not.toMatch(/PHQ/);
    const audit = await database.db
      .select({ action: auditEvent.action, actorRole: auditEvent.actorRole })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patientId)));
    expect(audit).toContainEqual({ action: 'measure-assignment.missed', actorRole: 'system' });
    void before;
  });
});

describe('reminder settings', () => {
  it('shows the defaults to schedule readers, lets an admin set them (audited), refuses others and bad input', async () => {
    await setReminders({});
    clock.set('2026-09-01T14:00:00Z');
    const admin = as(app, await signIn(app, emails.admin));
    const frontDesk = as(app, await signIn(app, emails.frontDesk));
    const prescriber = as(app, await signIn(app, emails.prescriber));
    const url = '/api/v1/care-settings/reminders';
    const shown = await frontDesk({ method: 'GET', url });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toEqual({
      own: {},
      effective: { sendHour: 9, repeatAfterHours: 48, maxReminders: 3, sms: false, missedAfterDays: null },
      defaults: { sendHour: 9, repeatAfterHours: 48, maxReminders: 3 },
    });
    const put = await admin({
      method: 'PUT',
      url,
      payload: { sendHour: 10, maxReminders: 2, missedAfterDays: 3 },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().effective).toEqual({
      sendHour: 10,
      repeatAfterHours: 48,
      maxReminders: 2,
      sms: false,
      missedAfterDays: 3,
    });
    expect((await frontDesk({ method: 'GET', url })).json().own).toEqual({
      sendHour: 10,
      maxReminders: 2,
      missedAfterDays: 3,
    });
    expect((await prescriber({ method: 'PUT', url, payload: { sendHour: 7 } })).statusCode).toBe(403);
    const bad = await admin({ method: 'PUT', url, payload: { sendHour: 25, colour: 'blue' } });
    expect(bad.statusCode).toBe(400);
    const audit = await database.db
      .select({ action: auditEvent.action, detail: auditEvent.detail })
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.clinicId, clinicId),
          inArray(auditEvent.action, ['care-settings.reminders.update', 'care-settings.reminders.read']),
        ),
      );
    expect(audit.filter((a) => a.action === 'care-settings.reminders.read').length).toBeGreaterThanOrEqual(2);
    const update = audit.find((a) => a.action === 'care-settings.reminders.update');
    expect(update?.detail).toMatchObject({ changed: ['sendHour', 'maxReminders', 'missedAfterDays'] });
    // Other settings are kept.
    const [row] = await database.db
      .select({ settings: clinic.settings })
      .from(clinic)
      .where(eq(clinic.id, clinicId));
    expect(row?.settings.careScope).toBe('clinic');
    await setReminders({});
  });
});

export type { SignedIn };
