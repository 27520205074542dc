import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent, clinic } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { writeCourse, writeScore } from './outcomes.fixture.ts';

/**
 * Four patients with a course (and one with a plan but no dose), figures worked out by hand (sample SD):
 *   P1 F 35  F33.2 IM kap-im          PHQ-9 20 → 8 (response)            1 m 9, 3 m 10, 6 m 18 (lost)
 *   P2 M 45  F33.2 IV iv-series             16 → 4 (response, remission) 3 m 3
 *   P3 F 62  F41.1 SL kap-sublingual        12 → 11                      6 m 12
 *   P4 M 27  F33.2 IM kap-im                24 → — (one dose, nothing since)
 *   P5 F     F33.2, no dose: not in the cohort.   Another clinic's patient: never in it.
 * Ages on the first dose: P4 turns 28 the day after his. Follow-ups found by the window around last dose +
 * m months (no schedule keys yet).
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let prescriber: SignedIn;
let researcher: SignedIn;
let admin: SignedIn;
let nurse: SignedIn;
let foreignPrescriber: SignedIn;
const people: { id: string; mrn: string; givenName: string; familyName: string; dateOfBirth: string }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, new ManualClock('2026-12-01T12:00:00Z'));
  const home = await createClinic(database.db, { name: 'Outcomes clinic' });
  clinicId = home.id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  const staff = await createStaffUser(database.db, home.id, ['prescriber']);
  prescriber = await signIn(app, staff.email);
  researcher = await signIn(app, (await createStaffUser(database.db, home.id, ['researcher'])).email);
  admin = await signIn(app, (await createStaffUser(database.db, home.id, ['admin'])).email);
  nurse = await signIn(app, (await createStaffUser(database.db, home.id, ['nurse'])).email);
  const foreignStaff = await createStaffUser(database.db, foreign.id, ['prescriber']);
  foreignPrescriber = await signIn(app, foreignStaff.email);

  const patient = async (givenName: string, dateOfBirth: string, sexAtBirth: 'female' | 'male') => {
    const row = await createPatient(database.db, home.id, {
      givenName,
      familyName: `Cohort${givenName}`,
      dateOfBirth,
      sexAtBirth,
    });
    people.push(row);
    return row.id;
  };
  const course = (
    patientId: string,
    c: Omit<Parameters<typeof writeCourse>[1], 'clinicId' | 'patientId' | 'staffId'>,
  ) => writeCourse(database.db, { clinicId: home.id, patientId, staffId: staff.id, ...c });
  const phq = (entries: [string, number][]) =>
    entries.map(([day, total]) => ({ instrument: 'phq9' as const, at: `${day}T15:00:00Z`, total }));

  await course(await patient('Odalys', '1990-03-10', 'female'), {
    indication: 'F33.2',
    route: 'im',
    protocolId: 'kap-im',
    doses: ['2026-02-02T14:00:00Z', '2026-02-05T16:00:00Z', '2026-02-09T14:00:00Z', '2026-02-12T16:00:00Z'],
    scores: phq([
      ['2026-01-30', 20],
      ['2026-02-05', 16],
      ['2026-02-12', 12],
      ['2026-02-19', 8],
      ['2026-03-14', 9],
      ['2026-05-10', 10],
      ['2026-08-20', 18],
    ]),
  });
  await course(await patient('Bertrand', '1980-07-01', 'male'), {
    indication: 'F33.2',
    route: 'iv',
    protocolId: 'iv-series',
    doses: ['2026-03-02T14:00:00Z', '2026-03-04T14:00:00Z', '2026-03-06T14:00:00Z'],
    scores: phq([
      ['2026-03-01', 16],
      ['2026-03-13', 4],
      ['2026-06-01', 3],
    ]),
  });
  await course(await patient('Clementine', '1964-01-15', 'female'), {
    indication: 'F41.1',
    route: 'sublingual',
    protocolId: 'kap-sublingual',
    doses: ['2026-04-06T14:00:00Z', '2026-04-13T14:00:00Z'],
    scores: [
      ...phq([
        ['2026-04-01', 12],
        ['2026-04-20', 11],
        ['2026-10-20', 12],
      ]),
      { instrument: 'gad7', at: '2026-04-01T15:00:00Z', total: 15 },
      { instrument: 'gad7', at: '2026-04-20T15:00:00Z', total: 6 },
    ],
  });
  await course(await patient('Dashiell', '1998-05-05', 'male'), {
    indication: 'F33.2',
    route: 'im',
    protocolId: 'kap-im',
    doses: ['2026-05-04T14:00:00Z'],
    scores: phq([['2026-05-01', 24]]),
  });
  await course(await patient('Eulalie', '1975-09-09', 'female'), {
    indication: 'F33.2',
    route: 'im',
    protocolId: 'kap-im',
    doses: [],
    scores: phq([['2026-05-01', 20]]),
  });
  const elsewhere = await createPatient(database.db, foreign.id, {
    givenName: 'Faraway',
    familyName: 'Foreign',
  });
  await writeCourse(database.db, {
    clinicId: foreign.id,
    patientId: elsewhere.id,
    staffId: foreignStaff.id,
    indication: 'F33.2',
    route: 'im',
    protocolId: 'kap-im',
    doses: ['2026-02-02T14:00:00Z'],
    scores: phq([
      ['2026-02-01', 23],
      ['2026-02-20', 0],
    ]),
  });
  await writeScore(database.db, {
    clinicId: foreign.id,
    patientId: elsewhere.id,
    staffId: foreignStaff.id,
    instrument: 'phq9',
    at: '2026-03-20T15:00:00Z',
    total: 1,
  });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const get = (who: SignedIn, query = '') => as(app, who)({ method: 'GET', url: `/api/v1/outcomes${query}` });
const shown = (n: number) => ({ suppressed: false, n });

async function setMinimum(minimumCellSize: number | undefined) {
  const [row] = await database.db.select().from(clinic).where(eq(clinic.id, clinicId));
  await database.db
    .update(clinic)
    .set({
      settings: { ...row!.settings, outcomes: minimumCellSize === undefined ? {} : { minimumCellSize } },
    })
    .where(eq(clinic.id, clinicId));
}

describe('GET /api/v1/outcomes', () => {
  it('gives the Dore-shaped table of the whole cohort, every figure with its n', async () => {
    const response = await get(prescriber);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body.withheld).toBe(false);
    expect(body.instrument).toMatchObject({ id: 'phq9', shortName: 'PHQ-9' });
    const s = body.summary;
    expect(s.n).toEqual(shown(4));
    // ages 35 45 62 27: mean 42.25, Σd² = 682.75, SD √(682.75/3) = 15.09
    expect(s.age).toEqual({ suppressed: false, n: 4, mean: 42.3, sd: 15.1 });
    expect(s.sex).toEqual({ female: shown(2), male: shown(2), intersex: shown(0), unknown: shown(0) });
    const bands = Object.fromEntries(
      s.ageBands
        .filter((b: { count: { n: number } }) => b.count.n > 0)
        .map((b: { band: string; count: { n: number } }) => [b.band, b.count.n]),
    );
    expect(bands).toEqual({ '25-34': 1, '35-44': 1, '45-54': 1, '55-64': 1 });
    expect(s.baseline).toEqual({ suppressed: false, n: 4, mean: 18, sd: 5.2 });
    // ends 8 4 11: mean 7.67, SD √(24.67/2) = 3.51
    expect(s.endOfCourse).toEqual({ suppressed: false, n: 3, mean: 7.7, sd: 3.5 });
    expect(s.change).toEqual({ suppressed: false, n: 3, mean: -8.3, sd: 6.4 });
    expect(s.response).toEqual({ suppressed: false, n: 3, count: 2, percent: 66.7 });
    expect(s.remission).toEqual({ suppressed: false, n: 3, count: 1, percent: 33.3 });
    const [m1, m3, m6, m12] = s.followUps;
    expect(m1.score).toEqual({ suppressed: false, n: 1, mean: 9, sd: null });
    expect(m1.durability).toEqual({ suppressed: false, n: 1, count: 1, percent: 100 });
    expect(m3.score).toEqual({ suppressed: false, n: 2, mean: 6.5, sd: 4.9 });
    expect(m3.durability).toEqual({ suppressed: false, n: 2, count: 2, percent: 100 });
    expect(m6.score).toEqual({ suppressed: false, n: 2, mean: 15, sd: 4.2 });
    expect(m6.durability).toEqual({ suppressed: false, n: 1, count: 0, percent: 0 });
    expect(m12.score).toEqual({ suppressed: false, n: 0, mean: null, sd: null });
    expect(body.notes.map((n: { id: string }) => n.id)).toEqual(
      expect.arrayContaining([
        'outcomes.phq9.response',
        'outcomes.phq9.remission',
        'outcomes.cohort.minimum-cell-size',
      ]),
    );
  });

  it('charts mean score and response by week since the first dose', async () => {
    const weekly = (await get(prescriber)).json().weekly as {
      week: number;
      score: { n: number; mean: number };
    }[];
    expect(weekly.map((w) => w.week)).toEqual([0, 1, 2, 3, 6]);
    // week 2: P1 12 (day 9.96), P2 4 (day 11.04): mean 8, SD √32 = 5.66; P2 responds and remits
    expect(weekly[2]).toEqual({
      week: 2,
      score: { suppressed: false, n: 2, mean: 8, sd: 5.7 },
      response: { suppressed: false, n: 2, count: 1, percent: 50 },
      remission: { suppressed: false, n: 2, count: 1, percent: 50 },
    });
  });

  it.each([
    ['?indication=F33.2', 3],
    ['?indication=F33', 3],
    ['?indication=f411', 1],
    ['?route=im', 2],
    ['?protocol=kap-sublingual', 1],
    ['?sex=female', 2],
    ['?ageBand=25-34', 1],
    ['?from=2026-03-01', 3],
    ['?from=2026-03-01&to=2026-03-31', 1],
    ['?route=im&sex=female', 1],
    ['?route=oral', 0],
  ])('filters the cohort: %s → N %i', async (query, n) => {
    const response = await get(prescriber, query);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().summary.n).toEqual(shown(n));
  });

  it('reads the instrument asked for (GAD-7)', async () => {
    const s = (await get(prescriber, '?instrument=gad7')).json().summary;
    // Only P3 answered the GAD-7: 15 → 6 (60 %), all four courses count in N.
    expect(s.n).toEqual(shown(4));
    expect(s.baseline).toEqual({ suppressed: false, n: 1, mean: 15, sd: null });
    expect(s.response).toEqual({ suppressed: false, n: 1, count: 1, percent: 100 });
  });

  it('refuses bad filters with field-level problems', async () => {
    for (const [query, path] of [
      ['?instrument=bdi', 'instrument'],
      ['?instrument=cssrs-screener', 'instrument'],
      ['?route=rectal', 'route'],
      ['?ageBand=20-30', 'ageBand'],
      ['?from=yesterday', 'from'],
      ['?from=2026-05-01&to=2026-04-01', 'to'],
      ['?indication=depression', 'indication'],
      ['?patientId=x', ''],
    ] as const) {
      const response = await get(prescriber, query);
      expect(response.statusCode, query).toBe(400);
      if (path) expect(JSON.stringify(response.json().errors), query).toContain(path);
    }
  });

  it('is refused to roles without outcomes.read', async () => {
    expect((await get(nurse)).statusCode).toBe(403);
  });

  it('counts only the caller’s clinic', async () => {
    const s = (await get(foreignPrescriber)).json().summary;
    expect(s.n).toEqual(shown(1));
    expect(s.baseline).toMatchObject({ mean: 23 });
  });

  it('shows researchers nothing until the clinic sets a minimum cell size, then suppresses small cells', async () => {
    await setMinimum(undefined);
    const withheld = (await get(researcher)).json();
    expect(withheld).toMatchObject({ withheld: true, summary: null, weekly: null });
    expect(withheld.suppression).toMatchObject({ researchView: true, minimumCellSize: null });
    expect(withheld.suppression.notice).toContain('minimum cell size');

    await setMinimum(3);
    try {
      const body = (await get(researcher)).json();
      expect(body.withheld).toBe(false);
      const hidden = { suppressed: true, fewerThan: 3 };
      expect(body.summary.n).toEqual(shown(4));
      expect(body.summary.sex.female).toEqual(hidden);
      expect(body.summary.response).toMatchObject({ suppressed: false, n: 3, count: 2 });
      expect(body.summary.followUps[1].score).toEqual(hidden);
      // Once set, the minimum applies to every viewer of the dashboard.
      const adminView = (await get(admin)).json();
      expect(adminView.suppression.researchView).toBe(false);
      expect(adminView.summary.sex.female).toEqual(hidden);
    } finally {
      await setMinimum(undefined);
    }
    // Unset, identified roles see every figure.
    expect((await get(admin)).json().summary.sex.female).toEqual(shown(2));
  });

  it('names no patient: no id, name, MRN or date of birth in any view', async () => {
    await setMinimum(1);
    try {
      for (const who of [researcher, prescriber]) {
        for (const query of ['', '?instrument=gad7', '?route=im', '?ageBand=25-34']) {
          const text = (await get(who, query)).body;
          for (const p of people) {
            for (const value of [p.id, p.mrn, p.givenName, p.familyName, p.dateOfBirth]) {
              expect(text, `${query} ${value}`).not.toContain(value);
            }
          }
          // Nor any date of care (a first dose, a follow-up day).
          expect(text).not.toMatch(/20\d\d-\d\d-\d\d/);
        }
      }
    } finally {
      await setMinimum(undefined);
    }
  });

  it('audits each read with its filters', async () => {
    await get(prescriber, '?instrument=gad7&route=im&sex=male');
    const events = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.action, 'outcomes.read')));
    const last = events.sort((a, b) => a.sequence - b.sequence).at(-1)!;
    expect(last.patientId).toBeNull();
    expect(last.detail).toMatchObject({
      filters: { instrument: 'gad7', route: 'im', sex: 'male', indication: null },
      researchView: false,
      withheld: false,
    });
  });
});
