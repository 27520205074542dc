import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../modules/audit/audit-chain.ts';
import type { EntryView } from '../../modules/ledger/ledger.schemas.ts';
import type { SessionView } from '../../modules/sessions/sessions.schemas.ts';
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
    patientsWalked: 12,
    invitations: 4,
    sessions: { completed: 7, inProgress: 2, awaitingCheckIn: 2, receipts: 5, wastes: 4 },
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
    // Booked for a first dose: the plan's measure schedule asks for the baseline in the 14 days before it.
    pendingMeasures: true,
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

  it('holds three completed dosing sessions per clinic and one in progress on the board now', async () => {
    for (const { slug } of demoClinics) {
      const nurse = await signIn(app, `nurse@${slug}.demo`, demoPassword);
      const self = await signIn(app, `patient5@${slug}.demo`, demoPassword);
      const me = (await as(app, self)({ method: 'GET', url: '/api/v1/me/patient' })).json();
      const list = (
        await as(app, nurse)({ method: 'GET', url: `/api/v1/patients/${me.id}/sessions` })
      ).json() as { items: SessionView[] };
      expect([...new Set(list.items.map((s) => s.state))].sort(), slug).toEqual(['discharged', 'monitoring']);
      const completed = list.items
        .filter((s) => s.state === 'discharged')
        .sort((a, b) => a.checkedInAt!.localeCompare(b.checkedInAt!));
      const [live, ...others] = list.items.filter((s) => s.state === 'monitoring');
      expect(others).toEqual([]);
      expect(completed, slug).toHaveLength(3);
      const route = slug === 'harbor' ? 'im' : 'iv';
      for (const [n, session] of completed.entries()) {
        expect(Date.parse(session.endedAt!)).toBeLessThan(now.getTime() - 3 * 86_400_000);
        expect(session.route).toBe(route);
        expect(session.checklist?.blockers).toEqual([]);
        expect(session.administrations).toHaveLength(1);
        expect(session.administrations[0]!.ledgerEntryId).toBeTruthy();
        // The baseline before the dose, then the route's published readings (IV: every 10 min of the infusion,
        // 15 and 30 min after; IM: the clinic's 15-minute interval) up to discharge.
        expect(session.vitals.filter((v) => v.baseline)).toHaveLength(1);
        const taken = session.vitals.filter((v) => !v.baseline).map((v) => v.minutesFromDoseStart);
        expect(taken).toEqual(route === 'iv' ? [1, 10, 20, 30, 40, 55, 70, 85] : [1, 15, 30, 45, 60, 75, 90]);
        const kinds = session.observations.map((o) => o.kind);
        expect(kinds).toEqual(expect.arrayContaining(['moaas', 'cadss6', 'side-effects']));
        const cadss6 = session.observations.filter((o) => o.kind === 'cadss6');
        expect(cadss6.map((o) => o.cadss6!.total)).toEqual([7, 0]);
        // The first session's warning reading raised an alert, acknowledged with the action taken.
        expect(session.alerts, `${slug} session ${n}`).toHaveLength(n === 0 ? 1 : 0);
        for (const alert of session.alerts) {
          expect(alert.status).toBe('acknowledged');
          expect(alert.acknowledgement?.action).toMatch(/Repeated the blood pressure/);
        }
        expect(session.discharge).toMatchObject({ ready: true, unmet: [], escortName: 'Jordan Reyes' });
      }
      // In progress: dosed, monitoring, the next reading about due and not yet overdue.
      expect(live!.administrations).toHaveLength(1);
      expect(live!.discharge).toBeNull();
      expect(live!.alerts.filter((a) => a.status === 'open')).toEqual([]);
      expect(Date.parse(live!.doseStartedAt!)).toBeGreaterThan(now.getTime() - 60 * 60_000);
      expect(live!.nextReadingDue?.overdue).toBe(false);
      expect(Date.parse(live!.nextReadingDue!.dueAt!)).toBeGreaterThan(now.getTime());
      expect(Date.parse(live!.nextReadingDue!.dueAt!)).toBeLessThan(now.getTime() + 15 * 60_000);
      const board = (await as(app, nurse)({ method: 'GET', url: '/api/v1/sessions/board' })).json();
      expect(
        board.items
          .filter((i: { state: string }) => i.state !== 'scheduled')
          .map((i: { id: string; state: string }) => [i.id, i.state]),
      ).toEqual([[live!.id, 'monitoring']]);
      // The IV series goes on after today: its remaining infusions are booked ahead.
      const frontdesk = await signIn(app, `frontdesk@${slug}.demo`, demoPassword);
      const ahead = (
        await as(
          app,
          frontdesk,
        )({
          method: 'GET',
          url: `/api/v1/appointments?from=${now.toISOString()}&to=2026-06-30T00:00:00Z&patientId=${me.id}`,
        })
      ).json();
      const dosesAhead = (ahead.items as { kind: string; startsAt: string }[]).filter(
        (a) => a.kind === 'dosing' && Date.parse(a.startsAt) > now.getTime(),
      );
      expect(dosesAhead, slug).toHaveLength(slug === 'summit' ? 2 : 0);
    }
  });

  it('books patient6 a dosing session later today, not checked in, ready for the nurse to walk', async () => {
    const today = { harbor: '2026-05-04', summit: '2026-05-04' } as const;
    for (const { slug, timeZone } of demoClinics) {
      const nurse = as(app, await signIn(app, `nurse@${slug}.demo`, demoPassword));
      const self = await signIn(app, `patient6@${slug}.demo`, demoPassword);
      const me = (await as(app, self)({ method: 'GET', url: '/api/v1/me/patient' })).json();
      const list = (await nurse({ method: 'GET', url: `/api/v1/patients/${me.id}/sessions` })).json()
        .items as SessionView[];
      // Not checked in: the session is on today's board (not yet arrived), not yet in the patient's list.
      const board = (await nurse({ method: 'GET', url: '/api/v1/sessions/board' })).json();
      const waiting = (board.items as { id: string; state: string }[]).filter((i) => i.state === 'scheduled');
      expect(waiting, slug).toHaveLength(1);
      expect(list.map((s) => s.id)).not.toContain(waiting[0]!.id);
      const session = (
        await nurse({ method: 'GET', url: `/api/v1/sessions/${waiting[0]!.id}` })
      ).json() as SessionView;
      expect(session.patient.id, slug).toBe(me.id);
      const startsAt = new Date(session.appointment.startsAt);
      expect(startsAt.getTime(), slug).toBeGreaterThan(now.getTime());
      expect(
        new Intl.DateTimeFormat('en-CA', {
          timeZone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
        }).format(startsAt),
      ).toBe(today[slug as keyof typeof today]);
      expect(session.route, slug).toBe(slug === 'harbor' ? 'intranasal' : 'iv');
      expect(session.checkedInAt).toBeNull();
      expect(session.administrations).toEqual([]);
      // The pre-check-in is done: the ride home confirmed and no driving acknowledged.
      expect(session.escort?.name, slug).toBe('Jordan Reyes');
      expect(session.noDrivingAcknowledged, slug).toBe(true);
      // Harbor's SPRAVATO patient had one session before, discharged after at least 2 hours of monitoring.
      const done = list.filter((s) => s.state === 'discharged');
      expect(done, slug).toHaveLength(slug === 'harbor' ? 1 : 0);
      for (const past of done) {
        expect(past.product).toBe('esketamine');
        expect(past.administrations[0]!.doseMg).toBe(56);
        expect(Date.parse(past.endedAt!) - Date.parse(past.doseStartedAt!)).toBeGreaterThanOrEqual(
          120 * 60_000,
        );
      }
    }
  });

  it('has the SPRAVATO session’s REMS monitoring form due on Harbor’s dashboard, complete', async () => {
    const nurse = as(app, await signIn(app, 'nurse@harbor.demo', demoPassword));
    const due = (await nurse({ method: 'GET', url: '/api/v1/rems/forms?status=due' })).json();
    expect(due.items).toHaveLength(1);
    const form = due.items[0];
    expect(form.status).toBe('due');
    expect(form.deadline.overdue).toBe(false);
    expect(form.deadline.daysLeft).toBeGreaterThan(0);
    const view = (await nurse({ method: 'GET', url: `/api/v1/sessions/${form.sessionId}/rems-form` })).json();
    // Complete: the nurse answered what only a clinician can; it waits to be submitted.
    expect(view.completeness.missing).toEqual([]);
    expect(view.form.session.doseMg).toBe(56);
    const summit = as(app, await signIn(app, 'nurse@summit.demo', demoPassword));
    expect((await summit({ method: 'GET', url: '/api/v1/rems/forms?status=due' })).json().items).toEqual([]);
  });

  it('stocks each clinic’s ledger: every lot’s balance is its receipts minus the doses and the witnessed wastes', async () => {
    for (const { slug } of demoClinics) {
      const nurse = as(app, await signIn(app, `nurse@${slug}.demo`, demoPassword));
      const locations = (await nurse({ method: 'GET', url: '/api/v1/ledger/locations' })).json();
      expect(locations.items, slug).toHaveLength(1);
      expect(locations.items[0].deaRegistration).toMatch(/^[A-Z]{2}\d{7}$/);
      const lots = (await nurse({ method: 'GET', url: '/api/v1/ledger/lots?includeEmpty=true' })).json();
      // Harbor also holds a lot of SPRAVATO devices for its esketamine patient (patient6).
      expect(lots.items, slug).toHaveLength(slug === 'harbor' ? 3 : 2);
      const totals = { receipt: 0, administration: 0, waste: 0 };
      for (const lot of lots.items as { id: string; balance: number; containerSize: number }[]) {
        const entries = (
          await nurse({ method: 'GET', url: `/api/v1/ledger/entries?lotId=${lot.id}&limit=200` })
        ).json().items as EntryView[];
        const sum = (kind: string) =>
          entries.filter((e) => e.kind === kind).reduce((total, e) => total + e.quantity, 0);
        const kinds = new Set(entries.map((e) => e.kind));
        expect(kinds.has('receipt')).toBe(true);
        for (const kind of kinds) expect(['receipt', 'administration', 'waste']).toContain(kind);
        const receipts = sum('receipt');
        expect(receipts % lot.containerSize).toBe(0);
        expect(lot.balance).toBeCloseTo(receipts + sum('administration') + sum('waste'), 6);
        totals.receipt += receipts;
        totals.administration -= sum('administration');
        totals.waste -= sum('waste');
        for (const waste of entries.filter((e) => e.kind === 'waste')) {
          expect(waste.witness).not.toBeNull();
          expect(waste.witness!.id).not.toBe(waste.recordedBy.id);
          expect(waste.sessionId).not.toBeNull();
        }
      }
      // Every dose given in the demo's sessions is a draw in the ledger, and nothing else was drawn.
      const sessions: SessionView[] = [];
      for (const n of [5, 6]) {
        const self = await signIn(app, `patient${n}@${slug}.demo`, demoPassword);
        const me = (await as(app, self)({ method: 'GET', url: '/api/v1/me/patient' })).json();
        sessions.push(
          ...((await nurse({ method: 'GET', url: `/api/v1/patients/${me.id}/sessions` })).json()
            .items as SessionView[]),
        );
      }
      const given = sessions.flatMap((s) => s.administrations).reduce((total, a) => total + a.quantity, 0);
      expect(totals.administration).toBeCloseTo(given, 6);
      expect(totals.waste).toBeGreaterThan(0);
      expect(totals.receipt).toBeGreaterThan(totals.administration + totals.waste);
    }
  });

  it('has the patients with completed sessions rate each one and keep a journal, some entries shared', async () => {
    // patient5: three completed sessions in each clinic; Harbor's patient6 one (SPRAVATO), Summit's none yet.
    const walks = [
      ['harbor', 'patient5', { ratings: 3, entries: 5, shared: 2 }],
      ['summit', 'patient5', { ratings: 3, entries: 5, shared: 2 }],
      ['harbor', 'patient6', { ratings: 1, entries: 2, shared: 1 }],
      ['summit', 'patient6', { ratings: 0, entries: 0, shared: 0 }],
    ] as const;
    for (const [slug, login, counts] of walks) {
      const self = as(app, await signIn(app, `${login}@${slug}.demo`, demoPassword));
      const me = (await self({ method: 'GET', url: '/api/v1/me/patient' })).json();
      const ratings = (await self({ method: 'GET', url: '/api/v1/me/experience-ratings' })).json();
      expect(ratings.rated, `${login}@${slug}`).toHaveLength(counts.ratings);
      expect(ratings.due).toEqual([]);
      const journal = (await self({ method: 'GET', url: '/api/v1/me/journal' })).json();
      const entries = journal.items as { id: string; text: string; shared: boolean; history: unknown[] }[];
      expect(entries, `${login}@${slug}`).toHaveLength(counts.entries);
      const shared = entries.filter((e) => e.shared);
      expect(shared).toHaveLength(counts.shared);
      const staff = as(app, await signIn(app, `prescriber@${slug}.demo`, demoPassword));
      const chart = (await staff({ method: 'GET', url: `/api/v1/patients/${me.id}/journal` })).json();
      // The chart shows exactly the entries shared now: never a private one, nor one shared and then withdrawn.
      expect(chart.items.map((e: { id: string }) => e.id).sort()).toEqual(shared.map((e) => e.id).sort());
      for (const hidden of entries.filter((e) => !e.shared))
        expect(JSON.stringify(chart)).not.toContain(hidden.text);
      const rated = (
        await staff({ method: 'GET', url: `/api/v1/patients/${me.id}/experience-ratings` })
      ).json();
      expect(rated.items).toHaveLength(counts.ratings);
      expect(rated.difficultyFlagAtLeast).toBeNull();
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
