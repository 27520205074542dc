import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import type { ClinicSettings } from '../../db/schema/clinic.ts';
import {
  appointment,
  auditEvent,
  clinic,
  doseAdministration,
  dosingSession,
  measureAssignment,
  treatmentPlan,
  treatmentPlanEvent,
} from '../../db/schema/index.ts';
import type { MeasureReason } from '../../db/schema/measures.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-03-02T15:00:00Z');
let clinicId: string;
let prescriberId: string;
let prescriberEmail: string;
let frontDeskEmail: string;
let foreignEmail: string;
const settings: ClinicSettings = { mfaRequired: false, careScope: 'clinic' };

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db, { settings })).id;
  const prescriber = await createStaffUser(database.db, clinicId, ['prescriber']);
  prescriberId = prescriber.id;
  prescriberEmail = prescriber.email;
  frontDeskEmail = (await createStaffUser(database.db, clinicId, ['frontdesk'])).email;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  foreignEmail = (await createStaffUser(database.db, foreign.id, ['prescriber'])).email;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** PHQ-9 answers (items 1–8, item 9 and 10 at 0) that add up to `total` (at most 24). */
const phq9Totaling = (total: number) => {
  const answers = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; total > 0; i = (i + 1) % 8) {
    answers[i]! += 1;
    total -= 1;
  }
  return [...answers, 0];
};

/** A PHQ-9 answered at `at` for a measure of the given reason (and schedule key), entered by the prescriber. */
const phq9At = (patientId: string, at: string, total: number, reason: MeasureReason, scheduleKey?: string) =>
  answeredAt(patientId, 'phq9', at, phq9Totaling(total), reason, scheduleKey);

async function answeredAt(
  patientId: string,
  instrument: 'phq9' | 'audit-c',
  at: string,
  answers: number[],
  reason: MeasureReason,
  scheduleKey?: string,
) {
  clock.set(at);
  const assignmentId = randomUUID();
  await database.db.insert(measureAssignment).values({
    id: assignmentId,
    clinicId,
    patientId,
    instrument,
    reason,
    respondent: 'patient',
    dueDate: at.slice(0, 10),
    assignedAt: clock.now(),
    assignedBy: prescriberId,
    scheduleKey: scheduleKey ?? null,
  });
  const prescriber = await signIn(app, prescriberEmail);
  const entered = await as(
    app,
    prescriber,
  )({
    method: 'POST',
    url: `/api/v1/patients/${patientId}/measure-assignments/${assignmentId}/responses`,
    payload: { id: randomUUID(), answers },
  });
  expect(entered.statusCode, entered.body).toBe(201);
}

/** A signed IM plan and one discharged dosing session per date, each with one recorded dose of `doseMg`. */
async function dosedOn(patientId: string, dates: string[], doseMg = 35) {
  const planId = randomUUID();
  const now = new Date('2026-03-01T12:00:00Z');
  const calculation = { doseMg, level: 'ok' as const, messages: [] };
  await database.db.insert(treatmentPlan).values({
    id: planId,
    clinicId,
    patientId,
    seriesId: planId,
    version: 1,
    status: 'signed',
    indicationIcd10: 'F33.1',
    indicationDescription: 'Major depressive disorder, recurrent, moderate',
    protocolId: 'kap-im',
    route: 'im',
    product: 'ketamine-racemic',
    startDate: '2026-03-03',
    dosingSessions: dates.length,
    courseOptions: {},
    doseUnit: 'mg/kg',
    startingDose: 0.5,
    maximumDose: 1,
    weightKg: 70,
    startingDoseCalculation: calculation,
    maximumDoseCalculation: calculation,
    plannedCourse: [],
    goals: [],
    intentions: [],
    createdAt: now,
    createdBy: prescriberId,
    updatedAt: now,
    updatedBy: prescriberId,
    signedAt: now,
    signedBy: prescriberId,
    signatureId: randomUUID(),
  });
  for (const date of dates) {
    const startsAt = new Date(date);
    const appointmentId = randomUUID();
    const sessionId = randomUUID();
    await database.db.insert(appointment).values({
      id: appointmentId,
      clinicId,
      patientId,
      kind: 'dosing',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3 * 3_600_000),
      createdAt: now,
      planId,
      protocolId: 'kap-im',
      route: 'im',
      product: 'ketamine-racemic',
    });
    const dosedAt = new Date(startsAt.getTime() + 30 * 60_000);
    await database.db.insert(dosingSession).values({
      id: sessionId,
      clinicId,
      appointmentId,
      patientId,
      planId,
      protocolId: 'kap-im',
      route: 'im',
      product: 'ketamine-racemic',
      state: 'discharged',
      checkedInAt: startsAt,
      checkedInBy: prescriberId,
      clearedAt: startsAt,
      dosingStartedAt: dosedAt,
      monitoringStartedAt: dosedAt,
      endedAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      updatedAt: startsAt,
    });
    await database.db.insert(doseAdministration).values({
      id: randomUUID(),
      clinicId,
      sessionId,
      patientId,
      sequence: 1,
      product: 'ketamine-racemic',
      route: 'im',
      lotId: randomUUID(),
      lotNumber: 'KET-1',
      lotExpiry: '2027-12-31',
      concentration: 50,
      concentrationUnit: 'mg/mL',
      doseMg,
      volumeMl: doseMg / 50,
      quantity: doseMg / 50,
      calculation,
      startedAt: dosedAt,
      administeredBy: prescriberId,
      ledgerEntryId: randomUUID(),
      recordedAt: dosedAt,
    });
  }
  return planId;
}

const summaryOf = async (who: SignedIn, patientId: string) =>
  as(app, who)({ method: 'GET', url: `/api/v1/patients/${patientId}/measurement-summary` });

interface InstrumentSummary {
  instrument: string;
  series: { total: number; phase: string; at: string; bandLabel: string | null }[];
  baseline: { total: number } | null;
  bands: { id: string; min: number; max: number }[];
  lines: Record<'response' | 'remission' | 'worsening', { value: number } | null>;
  course: { status: string; reasons: string[] } | null;
  maintenance: {
    strength: string;
    best: { total: number };
    latest: { total: number };
    fractionTowardBaseline: number;
    points: { total: number }[];
    explanation: string;
  } | null;
}
const phq9Of = (body: { instruments: InstrumentSummary[] }) =>
  body.instruments.find((i) => i.instrument === 'phq9')!;

const doseDates = ['2026-03-03T15:00:00Z', '2026-03-06T15:00:00Z', '2026-03-13T15:00:00Z'];

describe('GET /api/v1/patients/:patientId/measurement-summary', () => {
  let relapsing: string;
  let relapsingAccount: string;

  beforeAll(async () => {
    // 20 at baseline, 14 → 8 → 6 during the course, 7 at one month, 13 at three months: lost response.
    const patient = await createPatient(database.db, clinicId, { givenName: 'Rowan' });
    relapsing = patient.id;
    relapsingAccount = (await createPatientUser(database.db, clinicId, patient.id)).email;
    await dosedOn(relapsing, doseDates);
    await phq9At(relapsing, '2026-03-02T15:00:00Z', 20, 'baseline', 'baseline');
    await phq9At(relapsing, '2026-03-05T15:00:00Z', 14, 'pre-dose', 'dose:2');
    await phq9At(relapsing, '2026-03-10T15:00:00Z', 8, 'weekly', 'week:2');
    await phq9At(relapsing, '2026-03-20T15:00:00Z', 6, 'end-of-course', 'end-of-course');
    await phq9At(relapsing, '2026-04-20T15:00:00Z', 7, 'follow-up', 'follow-up:1m');
    await phq9At(relapsing, '2026-06-20T15:00:00Z', 13, 'follow-up', 'follow-up:3m');
    await answeredAt(relapsing, 'audit-c', '2026-03-02T15:30:00Z', [1, 0, 0], 'baseline', 'baseline');
    await answeredAt(relapsing, 'audit-c', '2026-04-20T15:30:00Z', [2, 1, 0], 'follow-up', 'follow-up:1m');
  }, 120_000);

  it('gives the series, baseline, bands, lines, course status, dosing markers and the maintenance signal', async () => {
    const prescriber = await signIn(app, prescriberEmail);
    const response = await summaryOf(prescriber, relapsing);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body.sessionsCompleted).toBe(3);
    expect(body.noResponseAfterSessions).toBeNull();
    expect(body.doses.map((d: { at: string }) => d.at)).toEqual([
      '2026-03-03T15:30:00.000Z',
      '2026-03-06T15:30:00.000Z',
      '2026-03-13T15:30:00.000Z',
    ]);
    expect(body.doses[0]).toMatchObject({ route: 'im', product: 'ketamine-racemic', doseMg: 35, doses: 1 });

    const phq9 = phq9Of(body);
    expect(phq9.series.map((p) => [p.total, p.phase])).toEqual([
      [20, 'baseline'],
      [14, 'course'],
      [8, 'course'],
      [6, 'course'],
      [7, 'follow-up'],
      [13, 'follow-up'],
    ]);
    expect(phq9.series[0]!.bandLabel).toBe('Severe');
    expect(phq9.baseline?.total).toBe(20);
    expect(phq9.bands.map((b) => [b.min, b.max])).toEqual([
      [0, 4],
      [5, 9],
      [10, 14],
      [15, 19],
      [20, 27],
    ]);
    expect(phq9.lines.response?.value).toBe(10);
    expect(phq9.lines.remission?.value).toBe(5);
    expect(phq9.lines.worsening?.value).toBe(25);
    expect(phq9.course?.status).toBe('lost-response');
    expect(phq9.maintenance).toMatchObject({
      strength: 'firm',
      best: { total: 6 },
      latest: { total: 13 },
      // (13 − 6) / (20 − 6)
      fractionTowardBaseline: 0.5,
    });
    expect(phq9.maintenance!.points.map((p) => p.total)).toEqual([6, 7, 13]);
    expect(phq9.maintenance!.explanation).toContain('Murrough 2013');
    // The helper's own field never reaches the client.
    expect(response.body).not.toContain('inFollowUp');

    // A screener is charted, after the change instruments, without a course status or signal.
    expect(body.instruments.map((i: InstrumentSummary) => i.instrument)).toEqual(['phq9', 'audit-c']);
    const auditC = body.instruments[1] as InstrumentSummary;
    expect(auditC.series.map((p) => p.total)).toEqual([1, 3]);
    expect(auditC.baseline?.total).toBe(1);
    expect([auditC.course, auditC.maintenance, auditC.lines.response]).toEqual([null, null, null]);
  });

  it('writes one audit event for the read, naming the patient', async () => {
    const prescriber = await signIn(app, prescriberEmail);
    const before = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.patientId, relapsing), eq(auditEvent.action, 'measurement-summary.read')));
    await summaryOf(prescriber, relapsing);
    const after = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.patientId, relapsing), eq(auditEvent.action, 'measurement-summary.read')));
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toMatchObject({
      resourceType: 'patient',
      resourceId: relapsing,
      outcome: 'success',
    });
  });

  it('answers 404 to another clinic and 403 to a role without clinical read, with nothing of the patient', async () => {
    const foreign = await signIn(app, foreignEmail);
    const refused = await summaryOf(foreign, relapsing);
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain('Rowan');
    expect(refused.body).not.toContain('"total"');
    const frontDesk = await signIn(app, frontDeskEmail);
    expect((await summaryOf(frontDesk, relapsing)).statusCode).toBe(403);
    const patient = await signIn(app, relapsingAccount);
    expect((await summaryOf(patient, relapsing)).statusCode).toBe(403);
  });

  it('has no maintenance signal for a steady responder', async () => {
    const steady = (await createPatient(database.db, clinicId)).id;
    await dosedOn(steady, doseDates);
    await phq9At(steady, '2026-03-02T16:00:00Z', 18, 'baseline', 'baseline');
    await phq9At(steady, '2026-03-20T16:00:00Z', 7, 'end-of-course', 'end-of-course');
    await phq9At(steady, '2026-04-20T16:00:00Z', 6, 'follow-up', 'follow-up:1m');
    await phq9At(steady, '2026-06-20T16:00:00Z', 8, 'follow-up', 'follow-up:3m');
    const phq9 = phq9Of((await summaryOf(await signIn(app, prescriberEmail), steady)).json());
    expect(phq9.course?.status).toBe('responding');
    expect(phq9.maintenance).toBeNull();
  });

  it('counts an answer after the plan ended and the last dose as follow-up, as the relapse alert does', async () => {
    const ended = (await createPatient(database.db, clinicId)).id;
    const planId = await dosedOn(ended, doseDates);
    await phq9At(ended, '2026-03-02T18:00:00Z', 20, 'baseline', 'baseline');
    await phq9At(ended, '2026-03-10T18:00:00Z', 9, 'weekly', 'week:2'); // 55% down: response
    await database.db.insert(treatmentPlanEvent).values({
      id: randomUUID(),
      clinicId,
      planId,
      patientId: ended,
      kind: 'ended',
      reason: 'course-complete',
      occurredAt: new Date('2026-03-20T12:00:00Z'),
      actorId: prescriberId,
    });
    // A measure the prescriber asked for a month after the course: response lost.
    await phq9At(ended, '2026-04-20T18:00:00Z', 14, 'staff');
    const phq9 = phq9Of((await summaryOf(await signIn(app, prescriberEmail), ended)).json());
    expect(phq9.series.map((p) => p.phase)).toEqual(['baseline', 'course', 'follow-up']);
    expect(phq9.course?.status).toBe('lost-response');
    expect(phq9.maintenance).toMatchObject({ strength: 'firm', latest: { total: 14 } });
  });

  it('reads no response after N sessions only once the clinic sets N', async () => {
    const flat = (await createPatient(database.db, clinicId)).id;
    await dosedOn(flat, doseDates);
    await phq9At(flat, '2026-03-02T17:00:00Z', 18, 'baseline', 'baseline');
    await phq9At(flat, '2026-03-20T17:00:00Z', 16, 'end-of-course', 'end-of-course');
    const prescriber = await signIn(app, prescriberEmail);
    expect(phq9Of((await summaryOf(prescriber, flat)).json()).course?.status).toBe('no-response-yet');

    await database.db
      .update(clinic)
      .set({ settings: { ...settings, outcomes: { noResponseAfterSessions: 3 } } })
      .where(eq(clinic.id, clinicId));
    try {
      const body = (await summaryOf(prescriber, flat)).json();
      expect(body.noResponseAfterSessions).toBe(3);
      const phq9 = phq9Of(body);
      expect(phq9.course?.status).toBe('no-response');
      expect(phq9.course?.reasons.join(' ')).toContain('3 dosing sessions');
      // A stored value that is not a whole number of sessions is treated as not set, never a 500.
      await database.db
        .update(clinic)
        .set({ settings: { ...settings, outcomes: { noResponseAfterSessions: 2.5 } } })
        .where(eq(clinic.id, clinicId));
      const odd = await summaryOf(prescriber, flat);
      expect(odd.statusCode).toBe(200);
      expect(odd.json().noResponseAfterSessions).toBeNull();
      expect(phq9Of(odd.json()).course?.status).toBe('no-response-yet');
    } finally {
      await database.db.update(clinic).set({ settings }).where(eq(clinic.id, clinicId));
    }
  });

  it('answers a patient with no measures and no doses with empty lists', async () => {
    const empty = (await createPatient(database.db, clinicId)).id;
    const body = (await summaryOf(await signIn(app, prescriberEmail), empty)).json();
    expect(body).toEqual({
      patientId: empty,
      sessionsCompleted: 0,
      noResponseAfterSessions: null,
      doses: [],
      instruments: [],
    });
  });

  describe('GET /api/v1/me/progress', () => {
    it('shows the patient their own totals, bands and session dates, in plain words and nothing more', async () => {
      const patient = await signIn(app, relapsingAccount);
      const response = await as(app, patient)({ method: 'GET', url: '/api/v1/me/progress' });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expect(body.sessions).toEqual([
        { at: '2026-03-03T15:30:00.000Z' },
        { at: '2026-03-06T15:30:00.000Z' },
        { at: '2026-03-13T15:30:00.000Z' },
      ]);
      expect(body.instruments).toHaveLength(1);
      const phq9 = body.instruments[0];
      expect(phq9.points.map((p: { total: number }) => p.total)).toEqual([20, 14, 8, 6, 7, 13]);
      expect(phq9.bands).toHaveLength(5);
      expect(phq9.about).toBe('low mood and depression');
      expect(phq9.summary).toBe(
        'Your latest PHQ-9 score is 13 (moderate). That is 7 points lower than your first score (20). On this questionnaire a lower score means fewer symptoms.',
      );
      // No clinician-only content: no course status, signal, lines, alerts, notes or ids of responses.
      for (const word of ['maintenance', 'course', 'lost-response', 'response', 'alert', 'note', 'reason']) {
        expect(response.body.toLowerCase(), word).not.toContain(`"${word}`);
      }
      expect(Object.keys(phq9).sort()).toEqual(
        ['about', 'bands', 'instrument', 'name', 'points', 'range', 'shortName', 'summary'].sort(),
      );
      const events = await database.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.patientId, relapsing), eq(auditEvent.action, 'portal.progress.read')));
      expect(events.length).toBeGreaterThanOrEqual(1);
    });

    it('shows another patient only their own progress', async () => {
      const other = await createPatient(database.db, clinicId);
      const account = await signIn(app, (await createPatientUser(database.db, clinicId, other.id)).email);
      const response = await as(app, account)({ method: 'GET', url: '/api/v1/me/progress' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ instruments: [], sessions: [] });
    });

    it('is refused to staff', async () => {
      const prescriber = await signIn(app, prescriberEmail);
      expect((await as(app, prescriber)({ method: 'GET', url: '/api/v1/me/progress' })).statusCode).toBe(403);
    });
  });
});
