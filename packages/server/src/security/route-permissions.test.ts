import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { type Role, roles } from '../context.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { createTestDatabase } from '../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  type SignedIn,
  signIn,
} from '../testing/factories.ts';
import { type Permission, rolePermissions } from './permissions.ts';

/**
 * Walks every API route with every role of the clinic that owns the data, a patient account, an anonymous
 * caller and every role of another clinic. The expected answer comes from the permission matrix. A route
 * added later without a sample request here makes this test fail, so new routes are always walked.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
const ids: Record<string, string> = {};
const staff: Record<'home' | 'foreign', Partial<Record<Role, SignedIn>>> = { home: {}, foreign: {} };
let patientAccount: SignedIn;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, new ManualClock('2026-05-01T10:00:00Z'));
  const home = await createClinic(database.db, { name: 'Home' });
  const foreign = await createClinic(database.db, { name: 'Foreign' });
  const patient = await createPatient(database.db, home.id, {
    givenName: 'Walker',
    familyName: 'Permission',
  });
  ids.patientId = patient.id;
  for (const role of roles) {
    staff.home[role] = await signIn(app, (await createStaffUser(database.db, home.id, [role])).email);
    staff.foreign[role] = await signIn(app, (await createStaffUser(database.db, foreign.id, [role])).email);
  }
  patientAccount = await signIn(app, (await createPatientUser(database.db, home.id, patient.id)).email);
  const prescriber = as(app, staff.home.prescriber!);
  const base = `/api/v1/patients/${patient.id}`;
  ids.conditionId = (
    await prescriber({
      method: 'POST',
      url: `${base}/conditions`,
      payload: { icd10: 'F41.1', description: 'Generalized anxiety disorder' },
    })
  ).json().id;
  ids.medicationId = (
    await prescriber({ method: 'POST', url: `${base}/medications`, payload: { name: 'Sertraline' } })
  ).json().id;
  ids.allergyId = (
    await prescriber({ method: 'POST', url: `${base}/allergies`, payload: { substance: 'Latex' } })
  ).json().id;
  ids.appointmentId = (
    await prescriber({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: {
        patientId: patient.id,
        kind: 'integration',
        startsAt: '2026-05-04T16:00:00Z',
        endsAt: '2026-05-04T17:00:00Z',
      },
    })
  ).json().id;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** A valid request for each route (its body and query), keyed by "METHOD /url-pattern". */
const samples: Record<string, Omit<InjectOptions, 'method' | 'url'>> = {
  'GET /api/v1/meta': {},
  'POST /api/v1/auth/login': { payload: { email: 'someone@test.example', password: 'x' } },
  'GET /api/v1/auth/session': {},
  'POST /api/v1/auth/logout': {},
  'POST /api/v1/auth/mfa/verify': { payload: { code: '123456' } },
  'POST /api/v1/auth/mfa/enrolment': {},
  'POST /api/v1/auth/mfa/enrolment/confirm': { payload: { code: '123456' } },
  'POST /api/v1/auth/password': {
    payload: { currentPassword: 'wrong-current', newPassword: 'whatever-long-enough' },
  },
  'GET /api/v1/patients': {},
  'POST /api/v1/patients': {
    payload: { givenName: 'New', familyName: 'Walkpatient', dateOfBirth: '1991-02-03', sexAtBirth: 'male' },
  },
  'GET /api/v1/patients/:patientId': {},
  'PATCH /api/v1/patients/:patientId': { payload: { version: 1, pronouns: 'they/them' } },
  'GET /api/v1/patients/:patientId/history': {},
  'POST /api/v1/patients/:patientId/conditions': {
    payload: { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
  },
  'PATCH /api/v1/patients/:patientId/conditions/:conditionId': { payload: { status: 'resolved' } },
  'POST /api/v1/patients/:patientId/medications': { payload: { name: 'Bupropion' } },
  'PATCH /api/v1/patients/:patientId/medications/:medicationId': { payload: { status: 'stopped' } },
  'POST /api/v1/patients/:patientId/allergies': { payload: { substance: 'Penicillin' } },
  'PATCH /api/v1/patients/:patientId/allergies/:allergyId': { payload: { status: 'inactive' } },
  'POST /api/v1/patients/:patientId/break-glass': { payload: { reason: 'Walking every route for the test' } },
  'GET /api/v1/me/patient': {},
  'GET /api/v1/break-glass-grants': {},
  'GET /api/v1/audit-events': {},
  'GET /api/v1/audit-events/export.csv': {},
  'POST /api/v1/appointments': {
    payload: {
      patientId: '__patient__',
      kind: 'preparation',
      startsAt: '2026-05-05T16:00:00Z',
      endsAt: '2026-05-05T17:00:00Z',
    },
  },
  'GET /api/v1/appointments': { query: { from: '2026-05-01T00:00:00Z', to: '2026-05-31T00:00:00Z' } },
  'POST /api/v1/appointments/:appointmentId/cancel': { payload: { reason: 'Walking every route' } },
  'GET /api/v1/rooms': {},
  'POST /api/v1/rooms': { payload: { name: 'Walk room', kind: 'dosing-room' } },
  'GET /api/v1/staff/bookable': {},
};

function fill(url: string): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`no sample id for :${name} in ${url}`);
    return id;
  });
}

describe('permission walk', () => {
  it('has a sample request for every registered API route', () => {
    const missing = app.routeCatalog.map((r) => `${r.method} ${r.url}`).filter((key) => !(key in samples));
    expect(missing).toEqual([]);
    expect(app.routeCatalog.length).toBeGreaterThanOrEqual(Object.keys(samples).length);
  });

  it('answers every route, for every caller, as the permission matrix says, and never with a 5xx', async () => {
    const outcomes: string[] = [];
    for (const route of app.routeCatalog) {
      const key = `${route.method} ${route.url}`;
      // Samples name the walked patient as __patient__ (its id is only known once the test has made it).
      const sample = JSON.parse(JSON.stringify(samples[key] ?? {}).replaceAll('__patient__', ids.patientId!));
      const request = { method: route.method as InjectOptions['method'], url: fill(route.url), ...sample };
      const patientScoped = route.url.includes(':patientId');

      const anonymous = await app.inject(request);
      expect(anonymous.statusCode, `anonymous ${key}`).toBeLessThan(500);
      if (!route.public) expect(anonymous.statusCode, `anonymous ${key}`).toBe(401);
      if (route.public) continue;
      const permission = route.permission as Permission;

      for (const role of roles) {
        const allowed = rolePermissions[role].includes(permission);
        const home = await as(app, staff.home[role]!)(request);
        expect(home.statusCode, `${role} ${key}`).toBeLessThan(500);
        if (!allowed) expect(home.statusCode, `${role} ${key}`).toBe(403);
        else expect([200, 201, 204, 409], `${role} ${key}: ${home.body}`).toContain(home.statusCode);

        const foreign = await as(app, staff.foreign[role]!)(request);
        expect(foreign.statusCode, `foreign ${role} ${key}`).toBeLessThan(500);
        if (!allowed) expect(foreign.statusCode, `foreign ${role} ${key}`).toBe(403);
        else if (patientScoped) expect(foreign.statusCode, `foreign ${role} ${key}`).toBe(404);
        // The problem's `instance` echoes the URL the caller sent; nothing else may name the patient.
        const answered = foreign.body.replaceAll(request.url, '');
        expect(answered, `foreign ${role} ${key} leaked the patient`).not.toContain(ids.patientId);
        expect(answered).not.toContain('Walker');
        outcomes.push(`${role} ${key} ${home.statusCode}/${foreign.statusCode}`);
      }

      const patient = await as(app, patientAccount)(request);
      expect(patient.statusCode, `patient ${key}`).toBeLessThan(500);
      expect(patient.statusCode, `patient ${key}`).toBe(permission === 'portal.self' ? 200 : 403);
    }
    expect(outcomes.length).toBeGreaterThan(50);
  });

  it('denies researchers every route that returns identities', () => {
    const identityPermissions: Permission[] = [
      'patient.read',
      'patient.clinical.read',
      'audit.read',
      'break-glass.review',
    ];
    for (const permission of identityPermissions)
      expect(rolePermissions.researcher).not.toContain(permission);
  });
});
