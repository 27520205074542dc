import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, clinic, experienceRating } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  databaseError,
  signIn,
} from '../../testing/factories.ts';
import { createDosingSession } from '../session-safety/session.fixture.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let staffId: string;
let staffEmail: string;
let foreignEmail: string;
// 14:00 UTC is 10:00 in New York (the test clinic's zone); the session is on 2026-06-01 there.
const clock = new ManualClock('2026-06-01T18:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db, { name: 'Harbor Clinic' })).id;
  const t = await createStaffUser(database.db, clinicId, ['prescriber']);
  staffId = t.id;
  staffEmail = t.email;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  foreignEmail = (await createStaffUser(database.db, foreign.id, ['prescriber'])).email;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const answers = {
  intensity: 7,
  difficulty: 8,
  insight: 6,
  support: 9,
  afterEffects: ['nausea', 'fatigue'],
  otherAfterEffect: null,
  comment: 'Hard in the middle, calmer at the end.',
};

async function patientWith(state: 'discharged' | 'monitoring' = 'discharged', dosingStartedAt?: string) {
  const patient = await createPatient(database.db, clinicId);
  const session = await createDosingSession(database.db, {
    clinicId,
    patientId: patient.id,
    staffId,
    dosingStartedAt,
    ...(state === 'discharged' ? { dischargedAfterMinutes: 125 } : { state }),
  });
  const account = await createPatientUser(database.db, clinicId, patient.id);
  // Sign in at the current clock (a moved clock idles a sign-in out).
  const self = async () => as(app, await signIn(app, account.email));
  return { patient, session, self };
}

describe('experience rating after a session', () => {
  it('opens on the clinic-local day after a discharged session, not the same evening', async () => {
    clock.set(new Date('2026-06-01T18:00:00Z'));
    const { session, self } = await patientWith();
    const sameDay = await self();
    const list = (await sameDay({ method: 'GET', url: '/api/v1/me/experience-ratings' })).json();
    expect(list.due).toEqual([]);
    expect(list.upcoming).toEqual([
      { sessionId: session.id, sessionDate: '2026-06-01', opensOn: '2026-06-02' },
    ]);
    const early = await sameDay({
      method: 'POST',
      url: `/api/v1/me/experience-ratings/${session.id}`,
      payload: { id: randomUUID(), answers },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toContain('2026-06-02');

    // 03:30 UTC on June 2 is still June 1 in New York: not yet.
    clock.set(new Date('2026-06-02T03:30:00Z'));
    const lateEvening = await self();
    expect((await lateEvening({ method: 'GET', url: '/api/v1/me/experience-ratings' })).json().due).toEqual(
      [],
    );

    clock.set(new Date('2026-06-02T13:00:00Z'));
    const nextDay = await self();
    const due = (await nextDay({ method: 'GET', url: '/api/v1/me/experience-ratings' })).json();
    expect(due.due).toEqual([{ sessionId: session.id, sessionDate: '2026-06-01', opensOn: '2026-06-02' }]);
    const saved = await nextDay({
      method: 'POST',
      url: `/api/v1/me/experience-ratings/${session.id}`,
      payload: { id: randomUUID(), answers },
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json()).toMatchObject({ sessionId: session.id, version: 1, amendsId: null, answers });
    const after = (await nextDay({ method: 'GET', url: '/api/v1/me/experience-ratings' })).json();
    expect(after.due).toEqual([]);
    expect(after.rated.map((r: { id: string }) => r.id)).toEqual([saved.json().id]);
  });

  it('is once per session: a second rating is refused, a correction is a new version', async () => {
    clock.set(new Date('2026-06-03T15:00:00Z'));
    const { session, self, patient } = await patientWith();
    const me = await self();
    const url = `/api/v1/me/experience-ratings/${session.id}`;
    const first = { id: randomUUID(), answers };
    expect((await me({ method: 'POST', url, payload: first })).statusCode).toBe(201);
    expect((await me({ method: 'POST', url, payload: first })).statusCode).toBe(200);
    const again = await me({ method: 'POST', url, payload: { id: randomUUID(), answers } });
    expect(again.statusCode).toBe(409);
    const corrected = await me({
      method: 'POST',
      url,
      payload: { id: randomUUID(), amendsId: first.id, answers: { ...answers, difficulty: 4 } },
    });
    expect(corrected.statusCode).toBe(201);
    expect(corrected.json()).toMatchObject({ version: 2, amendsId: first.id });
    const stale = await me({
      method: 'POST',
      url,
      payload: { id: randomUUID(), amendsId: first.id, answers },
    });
    expect(stale.statusCode).toBe(409);
    expect(
      await databaseError(
        database.db
          .update(experienceRating)
          .set({ version: 9 })
          .where(eq(experienceRating.patientId, patient.id)),
      ),
    ).toContain('append-only');

    // Staff see the current version only, unflagged while the clinic has set no threshold; the read is audited.
    const staff = as(app, await signIn(app, staffEmail));
    const chart = (
      await staff({ method: 'GET', url: `/api/v1/patients/${patient.id}/experience-ratings` })
    ).json();
    expect(chart.difficultyFlagAtLeast).toBeNull();
    expect(chart.items).toHaveLength(1);
    expect(chart.items[0]).toMatchObject({
      version: 2,
      difficultExperience: null,
      answers: { difficulty: 4 },
    });
    const [read] = await database.db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.clinicId, clinicId),
          eq(auditEvent.patientId, patient.id),
          eq(auditEvent.action, 'experience-rating.read'),
        ),
      );
    expect(read!.detail).toEqual({ ratingsRead: [corrected.json().id] });
  });

  it('flags a difficult experience only once the clinic sets its own threshold', async () => {
    clock.set(new Date('2026-06-03T15:00:00Z'));
    const { session, self, patient } = await patientWith();
    await (await self())({
      method: 'POST',
      url: `/api/v1/me/experience-ratings/${session.id}`,
      payload: { id: randomUUID(), answers },
    });
    const [row] = await database.db.select().from(clinic).where(eq(clinic.id, clinicId));
    await database.db
      .update(clinic)
      .set({ settings: { ...row!.settings, experienceRating: { difficultyFlagAtLeast: 8 } } })
      .where(eq(clinic.id, clinicId));
    const staff = as(app, await signIn(app, staffEmail));
    const url = `/api/v1/patients/${patient.id}/experience-ratings`;
    const flagged = (await staff({ method: 'GET', url })).json();
    expect(flagged).toMatchObject({ difficultyFlagAtLeast: 8, items: [{ difficultExperience: true }] });
    await database.db
      .update(clinic)
      .set({ settings: { ...row!.settings, experienceRating: { difficultyFlagAtLeast: 9 } } })
      .where(eq(clinic.id, clinicId));
    expect((await staff({ method: 'GET', url })).json().items[0].difficultExperience).toBe(false);
    await database.db.update(clinic).set({ settings: row!.settings }).where(eq(clinic.id, clinicId));
  });

  it('refuses a session not discharged, someone else’s session, and answers that make no sense', async () => {
    clock.set(new Date('2026-06-03T15:00:00Z'));
    const running = await patientWith('monitoring');
    const me = await running.self();
    const notEnded = await me({
      method: 'POST',
      url: `/api/v1/me/experience-ratings/${running.session.id}`,
      payload: { id: randomUUID(), answers },
    });
    expect(notEnded.statusCode).toBe(409);
    const other = await patientWith();
    const theirs = await me({
      method: 'POST',
      url: `/api/v1/me/experience-ratings/${other.session.id}`,
      payload: { id: randomUUID(), answers },
    });
    expect(theirs.statusCode).toBe(404);
    const mine = await other.self();
    const url = `/api/v1/me/experience-ratings/${other.session.id}`;
    const bad: [unknown, string][] = [
      [{ ...answers, intensity: 11 }, 'answers.intensity'],
      [{ ...answers, support: 2.5 }, 'answers.support'],
      [{ ...answers, afterEffects: ['none', 'nausea'] }, 'answers.afterEffects'],
      [{ ...answers, afterEffects: [] }, 'answers.afterEffects'],
      [{ ...answers, afterEffects: ['hiccups'] }, 'answers.afterEffects.0'],
      [{ ...answers, otherAfterEffect: 'Ringing ears' }, 'answers.otherAfterEffect'],
    ];
    for (const [payloadAnswers, path] of bad) {
      const response = await mine({
        method: 'POST',
        url,
        payload: { id: randomUUID(), answers: payloadAnswers },
      });
      expect(response.statusCode, path).toBe(400);
      expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect(
      (await mine({ method: 'POST', url: '/api/v1/me/experience-ratings/x', payload: {} })).statusCode,
    ).toBe(400);
    // Staff of another clinic: 404, and a patient account may not use the staff route.
    const foreign = as(app, await signIn(app, foreignEmail));
    expect(
      (await foreign({ method: 'GET', url: `/api/v1/patients/${other.patient.id}/experience-ratings` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await mine({ method: 'GET', url: `/api/v1/patients/${other.patient.id}/experience-ratings` }))
        .statusCode,
    ).toBe(403);
  });
});
