import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../testing/database.ts';
import { as, buildTestApp, signIn } from '../../testing/factories.ts';
import type { DatabaseHandle } from '../client.ts';
import { seedDemo } from './demo.ts';
import { demoPassword } from './demo-logins.ts';
import { demoHistoryClock, seedDemoPathway } from './pathway.ts';

/**
 * `npm start` may seed the demo at any hour: the session in progress runs at the real time, which may be
 * outside the staff's recorded hours or straddle midnight in a clinic's zone. Friday 23:30 in Harbor's zone
 * (America/Los_Angeles) is Saturday 00:30 in Summit's (America/Denver). pathway.test.ts covers a weekday
 * afternoon and what the demo holds; this walk checks only that the live session lands on today's board.
 * Summit's patient arrived before midnight (check-in is on the session's day): the board carries the session,
 * still in the chair, over into the new day.
 */
let database: DatabaseHandle | undefined;
afterAll(async () => {
  await database?.close();
});

describe.runIf(testEngine() === 'pglite')('the demo walked at night, at a weekend', () => {
  it('puts one session in progress on each clinic’s board for its own local day', async () => {
    const now = new Date('2026-05-09T06:30:00Z');
    database = await createTestDatabase();
    const clock = demoHistoryClock(now);
    await seedDemo(database.db, clock);
    const app = await buildTestApp(database, clock);
    try {
      const walked = await seedDemoPathway(app, clock, { until: () => now });
      expect(walked.sessions).toEqual({
        completed: 7,
        inProgress: 2,
        awaitingCheckIn: 2,
        receipts: 5,
        wastes: 4,
      });
      const days = { harbor: '2026-05-08', summit: '2026-05-09' };
      for (const [slug, day] of Object.entries(days)) {
        const nurse = await signIn(app, `nurse@${slug}.demo`, demoPassword);
        const board = (await as(app, nurse)({ method: 'GET', url: '/api/v1/sessions/board' })).json();
        expect(board.date, slug).toBe(day);
        const live = board.items.filter((i: { state: string }) => i.state === 'monitoring');
        expect(live, slug).toHaveLength(1);
        expect(live[0].nextReadingDue.overdue).toBe(false);
        // patient6's session awaiting check-in is booked on the clinic's own day (the earliest time that fits
        // when the evening is too short), not checked in.
        const waiting = board.items.filter((i: { state: string }) => i.state === 'scheduled');
        expect(waiting, slug).toHaveLength(1);
      }
    } finally {
      await app.close();
    }
  }, 300_000);
});
