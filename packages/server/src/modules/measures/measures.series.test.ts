import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { StaffActor } from '../../context.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { runUnitOfWork } from '../../http/unit-of-work.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  signIn,
} from '../../testing/factories.ts';
import {
  baselineOf,
  loadScoreSeries,
  loadScoreSeriesOfPatients,
  type ScorePoint,
} from './measures.series.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clock: ManualClock;
let clinicId: string;
let prescriberEmail: string;
let actor: StaffActor;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new ManualClock('2026-03-02T15:00:00Z');
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db)).id;
  const user = await createStaffUser(database.db, clinicId, ['prescriber']);
  prescriberEmail = user.email;
  actor = {
    kind: 'staff',
    userId: user.id,
    clinicId,
    sessionId: randomUUID(),
    email: user.email,
    displayName: 'Dr Series',
    roles: ['prescriber'],
  };
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const phq9Totaling = (total: number) => {
  const answers = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; total > 0; i = (i + 1) % 8) {
    answers[i]! += 1;
    total -= 1;
  }
  return [...answers, 0];
};

async function enterPhq9(patientId: string, total: number) {
  // Signed in afresh: the test's clock moves by days, past any session's idle limit.
  const prescriber = await signIn(app, prescriberEmail);
  const base = `/api/v1/patients/${patientId}`;
  const assigned = await as(
    app,
    prescriber,
  )({ method: 'POST', url: `${base}/measure-assignments`, payload: { instruments: ['phq9'] } });
  expect(assigned.statusCode, assigned.body).toBe(201);
  const assignmentId = assigned.json().assigned[0].id as string;
  const id = randomUUID();
  const url = `${base}/measure-assignments/${assignmentId}/responses`;
  const entered = await as(
    app,
    prescriber,
  )({ method: 'POST', url, payload: { id, answers: phq9Totaling(total) } });
  expect(entered.statusCode, entered.body).toBe(201);
  return { id, url };
}

const series = (patientId: string) =>
  runUnitOfWork(database.db, actor, { requestId: null, ip: null, userAgent: null }, clock, (ctx) =>
    loadScoreSeries(ctx, patientId),
  );

describe('loadScoreSeries', () => {
  it('gives the current totals oldest first, a correction in place of what it corrected at the original time', async () => {
    const patient = await createPatient(database.db, clinicId);
    const first = await enterPhq9(patient.id, 18);
    const firstAt = clock.now().toISOString();
    clock.advance(7 * 24 * 3_600_000);
    await enterPhq9(patient.id, 12);
    clock.advance(24 * 3_600_000);
    const correctionId = randomUUID();
    const corrected = await as(
      app,
      await signIn(app, prescriberEmail),
    )({
      method: 'POST',
      url: first.url,
      payload: { id: correctionId, answers: phq9Totaling(16), supersedes: first.id },
    });
    expect(corrected.statusCode, corrected.body).toBe(201);

    const points = (await series(patient.id)).get('phq9')!;
    expect(points.map((p) => [p.total, p.responseId === correctionId])).toEqual([
      [16, true],
      [12, false],
    ]);
    expect(points[0]!.at.toISOString()).toBe(firstAt);
    expect(points[0]!.band).toBe('moderately-severe');
    expect(points.every((p) => p.reason === 'baseline')).toBe(true);
  });

  it('sees only the patient asked for', async () => {
    const one = await createPatient(database.db, clinicId);
    const other = await createPatient(database.db, clinicId);
    await enterPhq9(other.id, 9);
    expect((await series(one.id)).size).toBe(0);
  });

  it('gives many patients at once exactly what it gives each one alone (the outcomes cohort reads this way)', async () => {
    const corrected = await createPatient(database.db, clinicId);
    const plain = await createPatient(database.db, clinicId);
    const none = await createPatient(database.db, clinicId);
    const first = await enterPhq9(corrected.id, 21);
    await enterPhq9(plain.id, 7);
    clock.advance(3 * 24 * 3_600_000);
    await enterPhq9(plain.id, 5);
    await enterPhq9(corrected.id, 15);
    const fix = await as(
      app,
      await signIn(app, prescriberEmail),
    )({
      method: 'POST',
      url: first.url,
      payload: { id: randomUUID(), answers: phq9Totaling(19), supersedes: first.id },
    });
    expect(fix.statusCode, fix.body).toBe(201);
    const ids = [corrected.id, plain.id, none.id];
    const together = await runUnitOfWork(
      database.db,
      actor,
      { requestId: null, ip: null, userAgent: null },
      clock,
      (ctx) => loadScoreSeriesOfPatients(ctx, ids, ['phq9']),
    );
    for (const id of ids) {
      expect(together.get(id) ?? new Map(), id).toEqual(await series(id));
    }
    expect(
      together
        .get(corrected.id)
        ?.get('phq9')
        ?.map((p) => p.total),
    ).toEqual([19, 15]);
    expect(together.has(none.id)).toBe(false);
  });
});

describe('baselineOf', () => {
  const point = (total: number, at: string, reason: ScorePoint['reason']): ScorePoint => ({
    responseId: randomUUID(),
    instrument: 'phq9',
    total,
    band: null,
    at: new Date(at),
    reason,
    scheduleKey: null,
  });
  const dose = new Date('2026-03-10T15:00:00Z');

  it('prefers the answer to the baseline measure, the latest one before the first dose', () => {
    const points = [
      point(20, '2026-02-20T10:00:00Z', 'baseline'),
      point(19, '2026-03-01T10:00:00Z', 'baseline'),
      point(17, '2026-03-10T14:00:00Z', 'pre-dose'),
      point(9, '2026-03-20T10:00:00Z', 'baseline'),
    ];
    expect(baselineOf(points, dose)?.total).toBe(19);
  });

  it('falls back to the latest answer at or before the first dose, and has none before any dose', () => {
    const points = [
      point(15, '2026-03-05T10:00:00Z', 'staff'),
      point(14, '2026-03-10T15:00:00Z', 'pre-dose'),
    ];
    expect(baselineOf(points, dose)?.total).toBe(14);
    expect(baselineOf(points, null)).toBeNull();
    expect(baselineOf([point(8, '2026-03-11T10:00:00Z', 'staff')], dose)).toBeNull();
  });
});
