import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../modules/audit/audit-chain.ts';
import { createTestDatabase, testEngine } from '../../testing/database.ts';
import { as, buildTestApp, type SignedIn, signIn } from '../../testing/factories.ts';
import type { DatabaseHandle } from '../client.ts';
import { clinic } from '../schema/index.ts';
import { seedDemo } from './demo.ts';
import { demoClinics, demoPassword } from './demo-logins.ts';
import { demoHistoryClock, seedDemoPathway } from './pathway.ts';

/**
 * The demo's promise (README "The demo"): the patients with a portal login stand at every stage of the care
 * pathway, reached through the API itself. Each stage is checked as a clinician or the patient would see it.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
// "Now" for the demo: a Monday afternoon in both clinics; the walk's history starts weeks before it.
const now = new Date('2026-05-04T16:00:00Z');
const clock = demoHistoryClock(now);

beforeAll(async () => {
  if (testEngine() !== 'pglite') return;
  database = await createTestDatabase();
  await seedDemo(database.db, clock);
  app = await buildTestApp(database, clock);
  const walked = await seedDemoPathway(app, clock, { until: () => now });
  expect(walked).toEqual({
    patientsWalked: 10,
    invitations: 4,
    sessions: { completed: 6, inProgress: 2, receipts: 4, wastes: 4 },
  });
  expect(clock.now().getTime()).toBe(now.getTime());
}, 300_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

interface Stage {
  intake: string;
  pendingMeasures: boolean;
  eligibility: string | null;
  consentValid: boolean;
  activePlan: boolean;
  dosingBooked: boolean;
}

const expected: Record<number, Stage> = {
  1: {
    intake: 'not-started',
    pendingMeasures: true,
    eligibility: null,
    consentValid: false,
    activePlan: false,
    dosingBooked: false,
  },
  2: {
    intake: 'submitted',
    pendingMeasures: false,
    eligibility: null,
    consentValid: false,
    activePlan: false,
    dosingBooked: false,
  },
  3: {
    intake: 'submitted',
    pendingMeasures: false,
    eligibility: 'approved',
    consentValid: false,
    activePlan: false,
    dosingBooked: false,
  },
  4: {
    intake: 'submitted',
    pendingMeasures: false,
    eligibility: 'approved',
    consentValid: true,
    activePlan: false,
    dosingBooked: false,
  },
  5: {
    intake: 'submitted',
    pendingMeasures: false,
    eligibility: 'approved',
    consentValid: true,
    activePlan: true,
    dosingBooked: true,
  },
};

async function stageOf(
  prescriber: SignedIn,
  frontdesk: SignedIn,
  patientEmail: string,
): Promise<Stage & { patientId: string }> {
  const self = await signIn(app, patientEmail, demoPassword);
  const me = (await as(app, self)({ method: 'GET', url: '/api/v1/me/patient' })).json();
  const dueMeasures = (await as(app, self)({ method: 'GET', url: '/api/v1/me/measures' })).json();
  const id = me.id as string;
  const base = `/api/v1/patients/${id}`;
  const staff = as(app, prescriber);
  const intake = (await staff({ method: 'GET', url: `${base}/intake` })).json();
  const eligibility = (await staff({ method: 'GET', url: `${base}/eligibility` })).json();
  const consents = (await staff({ method: 'GET', url: `${base}/consents` })).json();
  const plans = (await staff({ method: 'GET', url: `${base}/treatment-plans` })).json();
  const calendar = (
    await as(
      app,
      frontdesk,
    )({
      method: 'GET',
      url: `/api/v1/appointments?from=2026-05-04T00:00:00Z&to=2026-07-01T00:00:00Z&patientId=${id}`,
    })
  ).json();
  return {
    patientId: id,
    intake: intake.status,
    pendingMeasures: (dueMeasures.items as { status?: string }[]).length > 0,
    // The demo prescriber approves, with conditions where the engine asks for review.
    eligibility: ['approve', 'approve-with-conditions'].includes(eligibility.effective?.decision)
      ? 'approved'
      : (eligibility.effective?.decision ?? null),
    consentValid: consents.status?.valid ?? false,
    activePlan: Boolean(plans.activePlanId),
    dosingBooked: (calendar.items as { kind: string }[]).some((a) => a.kind === 'dosing'),
  };
}

// The demo clinics' slugs are unique in a database, and the PostgreSQL suite shares one database between files
// (demo-isolation.test.ts seeds the demo there): this walk runs on its own PGlite database. The same walk on
// PostgreSQL is what `npm start` with DATABASE_URL and KAPSTONE_DEMO=true does (checked by hand, see the note).
describe.runIf(testEngine() === 'pglite')('the demo care pathway', () => {
  for (const { slug } of demoClinics) {
    it(`puts ${slug}'s patients with a login at every stage`, async () => {
      const prescriber = await signIn(app, `prescriber@${slug}.demo`, demoPassword);
      const frontdesk = await signIn(app, `frontdesk@${slug}.demo`, demoPassword);
      for (const n of [1, 2, 3, 4, 5]) {
        const { patientId: _id, ...stage } = await stageOf(prescriber, frontdesk, `patient${n}@${slug}.demo`);
        expect(stage, `patient${n}@${slug}.demo`).toEqual(expected[n]);
      }
    });
  }

  it('leaves two portal invitations pending in each clinic, shown in the sent mail', async () => {
    for (const { slug } of demoClinics) {
      const admin = await signIn(app, `admin@${slug}.demo`, demoPassword);
      const outbox = (await as(app, admin)({ method: 'GET', url: '/api/v1/mail/outbox' })).json();
      const invitations = (outbox.items as { kind?: string; subject: string }[]).filter((m) =>
        /invit/i.test(`${m.kind ?? ''} ${m.subject}`),
      );
      expect(invitations, slug).toHaveLength(2);
    }
  });

  it('keeps every clinic’s audit chain intact after the walk', async () => {
    const clinics = await database.db.select({ id: clinic.id }).from(clinic);
    for (const { id } of clinics) {
      const report = await verifyAuditChain(database.db, id);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.events).toBeGreaterThan(100);
    }
  });
});
