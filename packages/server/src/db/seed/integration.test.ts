import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../testing/database.ts';
import { as, buildTestApp, type SignedIn, signIn } from '../../testing/factories.ts';
import type { DatabaseHandle } from '../client.ts';
import { seedDemo } from './demo.ts';
import { demoPassword } from './demo-logins.ts';
import { demoHistoryClock, seedDemoPathway } from './pathway.ts';

/**
 * The demo's integration (integration.ts), as the therapist and a colleague see it after the walk: Harbor's
 * planned patient has one integration on time, one late (corrected once) and one missing; Summit's has all
 * three on time. The psychotherapy notes written with two of them stay their author's.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
const now = new Date('2026-05-04T16:00:00Z');
const clock = demoHistoryClock(now);
const allStates = 'done,late,due,missing,not-due-yet';

beforeAll(async () => {
  if (testEngine() !== 'pglite') return;
  database = await createTestDatabase();
  await seedDemo(database.db, clock);
  app = await buildTestApp(database, clock);
  await seedDemoPathway(app, clock, { until: () => now });
}, 300_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const get = async (who: SignedIn, url: string) => {
  const answer = await as(app, who)({ method: 'GET', url });
  expect(answer.statusCode, url).toBe(200);
  return answer;
};

describe.runIf(testEngine() === 'pglite')('the demo’s integration sessions', () => {
  it('shows Harbor’s console one missing and one late integration, and Summit’s none', async () => {
    const harbor = await signIn(app, 'therapist@harbor.demo', demoPassword);
    const open = (await get(harbor, '/api/v1/integration/adherence')).json();
    expect(open.items.map((i: { state: string }) => i.state).sort()).toEqual(['late', 'missing']);
    const patientId = open.items[0].patient.id;
    const states = (await get(harbor, `/api/v1/patients/${patientId}/integration-adherence`))
      .json()
      .items.map((i: { state: string }) => i.state);
    expect(states).toEqual(['missing', 'late', 'done']);

    const summit = await signIn(app, 'therapist@summit.demo', demoPassword);
    expect((await get(summit, '/api/v1/integration/adherence')).json().items).toEqual([]);
    const done = (await get(summit, `/api/v1/integration/adherence?state=${allStates}`)).json().items;
    expect(done.map((i: { state: string }) => i.state)).toEqual(['done', 'done', 'done']);
  });

  it('keeps the correction’s old version and the psychotherapy words with their author', async () => {
    const therapist = await signIn(app, 'therapist@harbor.demo', demoPassword);
    const prescriber = await signIn(app, 'prescriber@harbor.demo', demoPassword);
    const patientId = (await get(therapist, '/api/v1/integration/adherence')).json().items[0].patient.id;
    const read = await get(prescriber, `/api/v1/patients/${patientId}/integration-notes`);
    const notes = read.json().items;
    expect(notes).toHaveLength(2);
    expect(read.body).not.toContain('father material');
    const late = notes.find((n: { versions: unknown[] }) => n.versions.length === 2);
    expect(late.versions[1].content.actionItems).toEqual([
      'Ten minutes outside every morning before opening the phone',
    ]);
    expect(late.current.amendmentReason).toBe('Added the homework agreed at the end of the session');
    const flagged = notes.find((n: { hasPsychotherapyNote: boolean }) => n.hasPsychotherapyNote);
    expect(flagged.ownPsychotherapyNoteSeriesId).toBeNull();
    const theirs = await get(prescriber, `/api/v1/psychotherapy-notes?patientId=${patientId}`);
    expect(theirs.json().items).toEqual([]);
    const own = await get(therapist, `/api/v1/psychotherapy-notes?patientId=${patientId}`);
    expect(own.body).toContain('father material');
  });
});
