import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { alert, measureAssignment, treatmentPlanEvent } from '../../db/schema/index.ts';
import type { MeasureReason } from '../../db/schema/measures.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  assignCareTeam,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { createDosingSession } from '../session-safety/session.fixture.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-03-02T15:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** PHQ-9 answers with this total, item 9 (thoughts of self-harm) always "Not at all". */
function phq9(total: number): number[] {
  const items = Array.from({ length: 8 }, (_, i) => Math.max(0, Math.min(3, total - i * 3)));
  return [...items, 0, 1];
}

interface Course {
  clinicId: string;
  patientId: string;
  prescriber: { id: string; email: string };
  signedIn: SignedIn;
}

async function course(): Promise<Course> {
  const c = await createClinic(database.db);
  const prescriber = await createStaffUser(database.db, c.id, ['prescriber']);
  const patient = await createPatient(database.db, c.id);
  await assignCareTeam(database.db, c.id, patient.id, prescriber.id, 'prescriber');
  return { clinicId: c.id, patientId: patient.id, prescriber, signedIn: await signIn(app, prescriber.email) };
}

/** A PHQ-9 due for `reason` (and schedule point), answered a week after the previous one, entered by staff. */
async function answer(
  k: Course,
  total: number,
  reason: MeasureReason,
  scheduleKey: string | null = null,
  id = randomUUID(),
) {
  clock.advance(7 * 24 * 60 * 60_000);
  k.signedIn = await signIn(app, k.prescriber.email);
  const assignmentId = randomUUID();
  await database.db.insert(measureAssignment).values({
    id: assignmentId,
    clinicId: k.clinicId,
    patientId: k.patientId,
    instrument: 'phq9',
    reason,
    respondent: 'patient',
    dueDate: clock.now().toISOString().slice(0, 10),
    assignedAt: clock.now(),
    assignedBy: k.prescriber.id,
    scheduleKey,
  });
  const response = await as(
    app,
    k.signedIn,
  )({
    method: 'POST',
    url: `/api/v1/patients/${k.patientId}/measure-assignments/${assignmentId}/responses`,
    payload: { id, answers: phq9(total) },
  });
  expect(response.statusCode, response.body).toBe(201);
  return { responseId: id, assignmentId };
}

const alertsOf = (k: Course) =>
  database.db
    .select({ kind: alert.kind, severity: alert.severity, sourceId: alert.sourceId, summary: alert.summary })
    .from(alert)
    .where(and(eq(alert.clinicId, k.clinicId), eq(alert.patientId, k.patientId)))
    .orderBy(asc(alert.raisedAt));

describe('worsening', () => {
  it('is raised once when the total rises by the MCID from baseline, not for a smaller rise or while it lasts', async () => {
    const k = await course();
    expect(
      phq9(10)
        .slice(0, 9)
        .reduce((a, b) => a + b),
    ).toBe(10);
    await answer(k, 10, 'baseline');
    await answer(k, 14, 'weekly'); // +4: below the PHQ-9 MCID of 5
    expect(await alertsOf(k)).toEqual([]);
    const worse = await answer(k, 15, 'weekly'); // +5
    await answer(k, 18, 'weekly'); // still worse: the same episode
    expect(await alertsOf(k)).toEqual([
      {
        kind: 'worsening',
        severity: 'moderate',
        sourceId: worse.responseId,
        summary: expect.stringContaining('rose 5 points from baseline (10 to 15)'),
      },
    ]);
    await answer(k, 11, 'weekly'); // back under the threshold
    expect(await alertsOf(k)).toHaveLength(1);
    const again = await answer(k, 16, 'weekly'); // a new episode
    const raised = await alertsOf(k);
    expect(raised.map((a) => [a.kind, a.sourceId])).toEqual([
      ['worsening', worse.responseId],
      ['worsening', again.responseId],
    ]);
  });

  it('is not raised without a baseline, or for an improvement', async () => {
    const k = await course();
    await answer(k, 5, 'staff'); // no baseline measure and no dose: no course to compare against
    await answer(k, 20, 'staff');
    expect(await alertsOf(k)).toEqual([]);
    const k2 = await course();
    await answer(k2, 18, 'baseline');
    await answer(k2, 6, 'weekly');
    expect(await alertsOf(k2)).toEqual([]);
  });

  it('a correction of the response that raised it raises nothing new', async () => {
    const k = await course();
    await answer(k, 8, 'baseline');
    const worse = await answer(k, 14, 'weekly');
    const corrected = await as(
      app,
      k.signedIn,
    )({
      method: 'POST',
      url: `/api/v1/patients/${k.patientId}/measure-assignments/${worse.assignmentId}/responses`,
      payload: { id: randomUUID(), answers: phq9(15), supersedes: worse.responseId },
    });
    expect(corrected.statusCode, corrected.body).toBe(201);
    expect((await alertsOf(k)).map((a) => [a.kind, a.sourceId])).toEqual([['worsening', worse.responseId]]);
  });
});

describe('relapse', () => {
  it('is raised once in follow-up when a responder no longer meets response', async () => {
    const k = await course();
    await answer(k, 20, 'baseline');
    await answer(k, 9, 'weekly'); // 55% down: response
    await answer(k, 8, 'end-of-course', 'end-of-course');
    expect(await alertsOf(k)).toEqual([]);
    const lost = await answer(k, 12, 'follow-up', 'follow-up:1m'); // 40% down: response lost
    await answer(k, 13, 'follow-up', 'follow-up:3m'); // still lost: the same relapse
    expect(await alertsOf(k)).toEqual([
      {
        kind: 'relapse',
        severity: 'high',
        sourceId: lost.responseId,
        summary: expect.stringContaining('20 at baseline, 12 now'),
      },
    ]);
  });

  it('is not raised during the course, for a patient who never responded, or while still responding', async () => {
    const during = await course();
    await answer(during, 20, 'baseline');
    await answer(during, 9, 'weekly');
    await answer(during, 13, 'weekly'); // lost response, but the course is still running
    expect(await alertsOf(during)).toEqual([]);

    const never = await course();
    await answer(never, 20, 'baseline');
    await answer(never, 14, 'weekly');
    await answer(never, 15, 'follow-up', 'follow-up:1m');
    expect(await alertsOf(never)).toEqual([]);

    const holding = await course();
    await answer(holding, 20, 'baseline');
    await answer(holding, 8, 'weekly');
    await answer(holding, 4, 'follow-up', 'follow-up:1m'); // remission
    await answer(holding, 10, 'follow-up', 'follow-up:3m'); // still a 50% reduction
    expect(await alertsOf(holding)).toEqual([]);
  });

  it('a responder who rises past the MCID in follow-up gets both a worsening and a relapse alert', async () => {
    const k = await course();
    await answer(k, 12, 'baseline');
    await answer(k, 5, 'weekly');
    const back = await answer(k, 18, 'follow-up', 'follow-up:1m');
    expect((await alertsOf(k)).map((a) => [a.kind, a.sourceId]).sort()).toEqual(
      [
        ['relapse', back.responseId],
        ['worsening', back.responseId],
      ].sort(),
    );
  });

  it('counts a measurement after the plan ended (and after the last dose) as follow-up', async () => {
    const k = await course();
    await answer(k, 20, 'baseline');
    const session = await createDosingSession(database.db, {
      clinicId: k.clinicId,
      patientId: k.patientId,
      staffId: k.prescriber.id,
      product: 'ketamine-racemic',
      dosingStartedAt: new Date(clock.now().getTime() + 24 * 60 * 60_000).toISOString(),
      dischargedAfterMinutes: 120,
    });
    await answer(k, 9, 'weekly');
    await answer(k, 13, 'weekly'); // lost, but the plan is still running: no relapse yet
    expect(await alertsOf(k)).toEqual([]);
    await database.db.insert(treatmentPlanEvent).values({
      id: randomUUID(),
      clinicId: k.clinicId,
      planId: session.planId,
      patientId: k.patientId,
      kind: 'ended',
      reason: 'course-complete',
      occurredAt: new Date(clock.now().getTime() + 60_000),
      actorId: k.prescriber.id,
    });
    const after = await answer(k, 14, 'staff');
    expect((await alertsOf(k)).map((a) => [a.kind, a.sourceId])).toEqual([['relapse', after.responseId]]);
  });
});
