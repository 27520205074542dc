import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../testing/database.ts';
import { as, buildTestApp, signIn } from '../../testing/factories.ts';
import type { DatabaseHandle } from '../client.ts';
import { seedDemo } from './demo.ts';
import { demoPassword } from './demo-logins.ts';
import { cohortOf, dosesOf, outcomesCohortClock, seedOutcomesCohort } from './outcomes-cohort.ts';
import { demoHistoryClock } from './pathway.ts';

/**
 * The demo's outcomes cohort, walked on its own clock (fourteen months back), as the dashboard reads it: a
 * table with responders, remitters, non-responders and a relapse after response, in each clinic.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
const now = new Date('2026-05-04T16:00:00Z');

beforeAll(async () => {
  if (testEngine() !== 'pglite') return;
  database = await createTestDatabase();
  await seedDemo(database.db, demoHistoryClock(now));
  const clock = outcomesCohortClock(now);
  app = await buildTestApp(database, clock);
  const started = Date.now();
  const seeded = await seedOutcomesCohort(app, database.db, clock, { until: () => now });
  console.log(`outcomes cohort seeded in ${Math.round((Date.now() - started) / 1000)} s`);
  expect(seeded.patients).toBe(24);
  const doses = ['harbor', 'summit'].flatMap(cohortOf).reduce((sum, p) => sum + dosesOf(p.route), 0);
  expect(seeded.sessions).toBe(doses);
  expect(seeded.researchConsents).toBe(14);
  expect(clock.now().getTime()).toBeLessThan(now.getTime());
}, 1_800_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe.runIf(testEngine() === 'pglite')('the demo outcomes cohort', () => {
  it.each(['harbor', 'summit'])(
    'gives %s’s dashboard responders, remitters, non-responders and a relapse',
    async (slug) => {
      const prescriber = await signIn(app, `prescriber@${slug}.demo`, demoPassword);
      const body = (
        await as(app, prescriber)({ method: 'GET', url: '/api/v1/outcomes?instrument=phq9' })
      ).json();
      const s = body.summary;
      expect(s.n).toEqual({ suppressed: false, n: 12 });
      // 4 remitters + 4 responders + the relapse meet response at the end of the course; 3 do not.
      expect(s.response).toMatchObject({ n: 12, count: 9 });
      expect(s.remission).toMatchObject({ n: 12, count: 4 });
      expect(s.change.mean).toBeLessThan(-5);
      // The relapse: an end-of-course responder who no longer meets response at 3 months.
      const three = s.followUps.find((f: { months: number }) => f.months === 3);
      expect(three.durability.n).toBeGreaterThan(0);
      expect(three.durability.count).toBe(three.durability.n - 1);
      expect(s.sex.female.n + s.sex.male.n).toBe(12);
      expect(body.weekly.length).toBeGreaterThan(2);
      // Every route and indication of the cohort has patients.
      for (const query of [
        'route=im',
        'route=iv',
        'route=sublingual',
        'indication=F33.2',
        'indication=F41.1',
        'indication=F43.10',
      ]) {
        const filtered = (
          await as(app, prescriber)({ method: 'GET', url: `/api/v1/outcomes?${query}` })
        ).json();
        const expected = cohortOf(slug).filter(
          (p) =>
            (query.startsWith('route') ? `route=${p.route}` : `indication=${p.indication.icd10}`) === query,
        ).length;
        expect(expected, `${slug} ${query}`).toBeGreaterThan(0);
        // The demo clinics show cells of at least 3 patients (db/seed/demo.ts): a smaller group is suppressed.
        expect(filtered.summary.n, `${slug} ${query}`).toEqual(
          expected < 3 ? { suppressed: true, fewerThan: 3 } : { suppressed: false, n: expected },
        );
      }
    },
  );
});
