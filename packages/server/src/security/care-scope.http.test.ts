import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { as, assignCareTeam, createStaffUser, signIn } from '../testing/auth.ts';
import { createTestDatabase } from '../testing/database.ts';
import { buildTestApp, createClinic, createPatient } from '../testing/factories.ts';

/**
 * `inCareTeam` tells the web app whether opening a chart needs break-glass (api-contract.md). It must say so
 * in the same terms the server enforces: on the care team, or a clinic whose care scope is clinic-wide.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-07-01T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function setUp(careScope: 'clinic' | 'care-team') {
  const clinic = await createClinic(database.db, { settings: { careScope } });
  const nurseUser = await createStaffUser(database.db, clinic.id, ['nurse']);
  const onTeam = await createPatient(database.db, clinic.id, { familyName: `Onteam${careScope}` });
  const offTeam = await createPatient(database.db, clinic.id, { familyName: `Offteam${careScope}` });
  await assignCareTeam(database.db, clinic.id, onTeam.id, nurseUser.id, 'nurse');
  const nurse = as(app, await signIn(app, nurseUser.email));
  const admin = as(app, await signIn(app, (await createStaffUser(database.db, clinic.id, ['admin'])).email));
  const listed = async () => {
    const items = (await nurse({ method: 'GET', url: '/api/v1/patients?limit=100' })).json().items as {
      id: string;
      inCareTeam: boolean;
    }[];
    return Object.fromEntries(items.map((p) => [p.id, p.inCareTeam]));
  };
  return { onTeam, offTeam, nurse, admin, listed };
}

describe('care scope as the web app sees it', () => {
  it('in a clinic-wide clinic: every chart opens, is listed as such, and break-glass is refused as needless', async () => {
    const { onTeam, offTeam, nurse, admin, listed } = await setUp('clinic');
    expect(await listed()).toEqual({ [onTeam.id]: true, [offTeam.id]: true });
    const chart = await nurse({ method: 'GET', url: `/api/v1/patients/${offTeam.id}` });
    expect(chart.statusCode).toBe(200);
    expect(chart.json()).toMatchObject({ inCareTeam: true, clinicalDataIncluded: true });

    const grant = await nurse({
      method: 'POST',
      url: `/api/v1/patients/${offTeam.id}/break-glass`,
      payload: { reason: 'Checking whether a grant is needed' },
    });
    expect(grant.statusCode).toBe(409);
    const grants = (await admin({ method: 'GET', url: '/api/v1/break-glass-grants' })).json();
    expect(grants.items).toEqual([]);
  });

  it('in a care-team clinic: only the care team’s charts are listed as open, the others need break-glass', async () => {
    const { onTeam, offTeam, nurse, listed } = await setUp('care-team');
    expect(await listed()).toEqual({ [onTeam.id]: true, [offTeam.id]: false });
    expect((await nurse({ method: 'GET', url: `/api/v1/patients/${onTeam.id}` })).json().inCareTeam).toBe(
      true,
    );
    expect((await nurse({ method: 'GET', url: `/api/v1/patients/${offTeam.id}` })).statusCode).toBe(404);

    const grant = await nurse({
      method: 'POST',
      url: `/api/v1/patients/${offTeam.id}/break-glass`,
      payload: { reason: 'Patient called the crisis line' },
    });
    expect(grant.statusCode).toBe(201);
    // Open now, through the grant; the list still says the chart is outside the care team.
    const chart = await nurse({ method: 'GET', url: `/api/v1/patients/${offTeam.id}` });
    expect(chart.statusCode).toBe(200);
    expect(chart.json().inCareTeam).toBe(false);
    expect((await listed())[offTeam.id]).toBe(false);

    const again = await nurse({
      method: 'POST',
      url: `/api/v1/patients/${onTeam.id}/break-glass`,
      payload: { reason: 'Already on the care team here' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('in a care-team clinic: front desk and admins see demographics of every patient, never clinical data', async () => {
    const { offTeam, admin } = await setUp('care-team');
    const chart = await admin({ method: 'GET', url: `/api/v1/patients/${offTeam.id}` });
    expect(chart.statusCode).toBe(200);
    expect(chart.json()).toMatchObject({
      clinicalDataIncluded: false,
      conditions: [],
      medications: [],
      allergies: [],
    });
  });
});
