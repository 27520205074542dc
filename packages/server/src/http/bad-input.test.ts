import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { createTestDatabase } from '../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createStaffUser,
  type SignedIn,
  signIn,
} from '../testing/factories.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let prescriber: SignedIn;
let admin: SignedIn;
let patientId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, new ManualClock('2026-06-01T12:00:00Z'));
  const clinic = await createClinic(database.db);
  prescriber = await signIn(app, (await createStaffUser(database.db, clinic.id, ['prescriber'])).email);
  admin = await signIn(app, (await createStaffUser(database.db, clinic.id, ['admin'])).email);
  patientId = (await createPatient(database.db, clinic.id)).id;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const json = { 'content-type': 'application/json' };
const patientUrl = () => `/api/v1/patients/${patientId}`;

/** The bad-input set: every request here must be answered with a 4xx problem, never a 5xx. */
const badRequests: [string, () => InjectOptions, number][] = [
  [
    'malformed JSON',
    () => ({ method: 'POST', url: '/api/v1/patients', headers: json, payload: '{"givenName": ' }),
    400,
  ],
  [
    'JSON array instead of object',
    () => ({ method: 'POST', url: '/api/v1/patients', headers: json, payload: '[]' }),
    400,
  ],
  ['JSON null', () => ({ method: 'POST', url: '/api/v1/patients', headers: json, payload: 'null' }), 400],
  [
    'empty body with JSON content type',
    () => ({ method: 'POST', url: '/api/v1/patients', headers: json, payload: '' }),
    400,
  ],
  ['no body at all', () => ({ method: 'POST', url: '/api/v1/patients' }), 400],
  [
    'form-encoded body',
    () => ({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=b',
    }),
    415,
  ],
  [
    'plain text body',
    () => ({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    }),
    415,
  ],
  [
    'oversize body (2 MiB)',
    () => ({
      method: 'POST',
      url: '/api/v1/patients',
      headers: json,
      payload: JSON.stringify({ givenName: 'x'.repeat(2 * 1024 * 1024) }),
    }),
    413,
  ],
  [
    'unknown field',
    () => ({
      method: 'POST',
      url: '/api/v1/patients',
      payload: {
        givenName: 'A',
        familyName: 'B',
        dateOfBirth: '1990-01-01',
        sexAtBirth: 'female',
        isAdmin: true,
      },
    }),
    400,
  ],
  [
    'wrong types',
    () => ({
      method: 'POST',
      url: '/api/v1/patients',
      payload: { givenName: 42, familyName: ['B'], dateOfBirth: 19900101, sexAtBirth: 'robot' },
    }),
    400,
  ],
  [
    'impossible date',
    () => ({
      method: 'POST',
      url: '/api/v1/patients',
      payload: { givenName: 'A', familyName: 'B', dateOfBirth: '1990-02-31', sexAtBirth: 'female' },
    }),
    400,
  ],
  ['missing required fields', () => ({ method: 'POST', url: '/api/v1/patients', payload: {} }), 400],
  ['non-UUID id', () => ({ method: 'GET', url: '/api/v1/patients/not-a-uuid' }), 400],
  ['SQL in an id', () => ({ method: 'GET', url: "/api/v1/patients/1'%20OR%20'1'='1" }), 400],
  ['very long id', () => ({ method: 'GET', url: `/api/v1/patients/${'a'.repeat(300)}` }), 414],
  [
    'non-UUID nested id',
    () => ({ method: 'PATCH', url: `${patientUrl()}/conditions/123`, payload: { status: 'resolved' } }),
    400,
  ],
  ['PATCH without version', () => ({ method: 'PATCH', url: patientUrl(), payload: { pronouns: 'x' } }), 400],
  [
    'PATCH with nothing to change',
    () => ({ method: 'PATCH', url: patientUrl(), payload: { version: 1 } }),
    400,
  ],
  [
    'PATCH with a negative version',
    () => ({ method: 'PATCH', url: patientUrl(), payload: { version: -1, pronouns: 'x' } }),
    400,
  ],
  [
    'malformed If-Match',
    () => ({
      method: 'PATCH',
      url: patientUrl(),
      headers: { 'if-match': 'banana' },
      payload: { version: 1, pronouns: 'x' },
    }),
    400,
  ],
  ['limit out of range', () => ({ method: 'GET', url: '/api/v1/patients?limit=100000' }), 400],
  ['limit not a number', () => ({ method: 'GET', url: '/api/v1/patients?limit=ten' }), 400],
  ['tampered cursor', () => ({ method: 'GET', url: '/api/v1/patients?cursor=not-base64-json' }), 400],
  [
    'cursor with a non-UUID key',
    () => ({
      method: 'GET',
      url: `/api/v1/patients?cursor=${Buffer.from(JSON.stringify({ familyName: 'a', givenName: 'b', id: "x' OR 1=1" })).toString('base64url')}`,
    }),
    400,
  ],
  ['unknown query parameter', () => ({ method: 'GET', url: '/api/v1/patients?admin=true' }), 400],
  ['bad date filter', () => ({ method: 'GET', url: '/api/v1/patients?dateOfBirth=yesterday' }), 400],
  ['LIKE wildcards in a search', () => ({ method: 'GET', url: '/api/v1/patients?q=%25_%5C' }), 200],
  [
    'bad ICD-10-CM code',
    () => ({
      method: 'POST',
      url: `${patientUrl()}/conditions`,
      payload: { icd10: '12345', description: 'x' },
    }),
    400,
  ],
  [
    'bad RxNorm code',
    () => ({ method: 'POST', url: `${patientUrl()}/medications`, payload: { name: 'X', rxnorm: 'abc' } }),
    400,
  ],
  [
    'bad status',
    () => ({
      method: 'PATCH',
      url: `${patientUrl()}/conditions/${crypto.randomUUID()}`,
      payload: { status: 'deleted' },
    }),
    400,
  ],
  [
    'unknown list entry',
    () => ({
      method: 'PATCH',
      url: `${patientUrl()}/conditions/${crypto.randomUUID()}`,
      payload: { status: 'resolved' },
    }),
    404,
  ],
  [
    'login with a non-email',
    () => ({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'not an email', password: 'x' } }),
    400,
  ],
  [
    'login with an extra field',
    () => ({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.example', password: 'x', role: 'admin' },
    }),
    400,
  ],
  [
    'ledger: tampered cursor',
    () => ({ method: 'GET', url: '/api/v1/ledger/entries?cursor=bm90LWpzb24' }),
    400,
  ],
  ['ledger: non-UUID lot id', () => ({ method: 'GET', url: '/api/v1/ledger/lots/lot-1' }), 400],
  [
    'ledger: unknown product',
    () => ({ method: 'GET', url: '/api/v1/ledger/lots/dispensable?product=aspirin' }),
    400,
  ],
  [
    'ledger: negative waste and a witness without a password',
    () => ({
      method: 'POST',
      url: '/api/v1/ledger/wastes',
      payload: {
        id: '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
        lotId: '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f',
        quantity: -1,
        witness: { username: 'someone@test.example' },
        reason: 'x',
      },
    }),
    400,
  ],
  [
    'ledger: a quantity with four decimals',
    () => ({
      method: 'POST',
      url: '/api/v1/ledger/transfers',
      payload: {
        id: '9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a',
        lotId: '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f',
        quantity: 1.0001,
        recipient: { name: 'R', address: 'A', deaNumber: 'RR7654321' },
        reason: 'Expired',
        occurredAt: '2026-06-01T10:00:00Z',
      },
    }),
    400,
  ],
  [
    'ledger reports: a count with a fractional container and a lot counted twice',
    () => ({
      method: 'POST',
      url: '/api/v1/ledger/counts',
      payload: {
        id: '0e1f2a3b-4c5d-4e6f-9a7b-8c9d0e1f2a3b',
        locationId: '1f2a3b4c-5d6e-4f7a-8b8c-9d0e1f2a3b4c',
        kind: 'count',
        takenAt: '2026-06-01T10:00:00Z',
        lines: [
          { lotId: '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f', sealedContainers: 1.5 },
          { lotId: '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f', sealedContainers: 1 },
        ],
      },
    }),
    400,
  ],
  [
    'ledger reports: a dispensing log ending before it starts',
    () => ({
      method: 'GET',
      url: '/api/v1/ledger/dispensing-log.pdf?locationId=1f2a3b4c-5d6e-4f7a-8b8c-9d0e1f2a3b4c&from=2026-06-02&to=2026-06-01',
    }),
    400,
  ],
  [
    'ledger reports: a non-UUID count id',
    () => ({ method: 'GET', url: '/api/v1/ledger/counts/count-1/report.csv' }),
    400,
  ],
  [
    'session safety: a psychotherapy note whose body is not text',
    () => ({
      method: 'POST',
      url: '/api/v1/psychotherapy-notes',
      payload: { id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', patientId, body: 42 },
    }),
    400,
  ],
  [
    'session safety: an adverse event of a non-UUID session',
    () => ({ method: 'POST', url: '/api/v1/sessions/session-1/adverse-events', payload: {} }),
    400,
  ],
  [
    'session safety: a REMS page too large',
    () => ({ method: 'GET', url: '/api/v1/rems/forms?limit=500' }),
    400,
  ],
  [
    'session safety: a REMS cursor that was never issued',
    () => ({ method: 'GET', url: '/api/v1/rems/forms?cursor=eyJ4IjoxfQ' }),
    400,
  ],
  [
    'sessions: a session id that is not a UUID',
    () => ({ method: 'GET', url: '/api/v1/sessions/chair-1' }),
    400,
  ],
  [
    'sessions: a reading whose values are text',
    () => ({
      method: 'POST',
      url: '/api/v1/sessions/5c402ab5-3404-4296-b307-7e4fc538f036/vitals',
      payload: { id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', measuredAt: 'now', systolic: '120/80' },
    }),
    400,
  ],
  [
    'sessions: a dose in the wrong shape',
    () => ({
      method: 'POST',
      url: '/api/v1/sessions/5c402ab5-3404-4296-b307-7e4fc538f036/administrations',
      payload: { id: 'x', doseMg: -5, secondSigner: 'someone' },
    }),
    400,
  ],
  [
    'sessions: a board date that is not a date',
    () => ({ method: 'GET', url: '/api/v1/sessions/board?date=today' }),
    400,
  ],
  [
    'sessions: a session that does not exist',
    () => ({ method: 'GET', url: '/api/v1/sessions/5c402ab5-3404-4296-b307-7e4fc538f036' }),
    404,
  ],
  [
    'portal: a patient id slipped into the home page query',
    () => ({ method: 'GET', url: `/api/v1/me/home?patientId=${patientId}` }),
    400,
  ],
  ['portal: paging the session history', () => ({ method: 'GET', url: '/api/v1/me/sessions?limit=5' }), 400],
  [
    'portal: a query on the crisis lines',
    () => ({ method: 'GET', url: '/api/v1/me/crisis-resources?clinic=other' }),
    400,
  ],
  [
    'trends: a measurement summary of a patient id that is not a UUID',
    () => ({ method: 'GET', url: '/api/v1/patients/rowan/measurement-summary' }),
    400,
  ],
  [
    'trends: the measurement summary of a patient that does not exist',
    () => ({
      method: 'GET',
      url: '/api/v1/patients/5c402ab5-3404-4296-b307-7e4fc538f036/measurement-summary',
    }),
    404,
  ],
  [
    'measure schedule: a patient id that is not a UUID',
    () => ({ method: 'GET', url: '/api/v1/patients/rowan/measure-schedule' }),
    400,
  ],
  [
    'measure schedule: a patient that does not exist',
    () => ({ method: 'GET', url: '/api/v1/patients/5c402ab5-3404-4296-b307-7e4fc538f036/measure-schedule' }),
    404,
  ],
  [
    'alerts: an inbox scope that does not exist',
    () => ({ method: 'GET', url: '/api/v1/alerts?scope=everyone' }),
    400,
  ],
  ['alerts: an alert id that is not a UUID', () => ({ method: 'GET', url: '/api/v1/alerts/alert-1' }), 400],
  [
    'alerts: a reassignment without a reason',
    () => ({
      method: 'POST',
      url: '/api/v1/alerts/5c402ab5-3404-4296-b307-7e4fc538f036/reassign',
      payload: { toUserId: 'someone' },
    }),
    400,
  ],
  [
    'alerts: escalation minutes that are text, and a role that cannot be on call',
    () => ({
      method: 'PUT',
      url: '/api/v1/care-settings/alerts',
      payload: { escalateAfterMinutes: { critical: 'soon' }, onCallRole: 'frontdesk' },
    }),
    400,
  ],
  ['journal: non-UUID patient id', () => ({ method: 'GET', url: '/api/v1/patients/patient-1/journal' }), 400],
  [
    'journal: unknown query parameter',
    () => ({ method: 'GET', url: `${patientUrl()}/journal?all=true` }),
    400,
  ],
  [
    'experience ratings: non-UUID patient id',
    () => ({ method: 'GET', url: '/api/v1/patients/patient-1/experience-ratings' }),
    400,
  ],
  [
    'integration: a technique not on the list and action items that are not text',
    () => ({
      method: 'POST',
      url: `${patientUrl()}/integration-notes`,
      payload: {
        id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        dosingSessionId: '5c402ab5-3404-4296-b307-7e4fc538f036',
        heldOn: '2026-06-01',
        content: { techniques: ['hypnosis'], actionItems: [7] },
      },
    }),
    400,
  ],
  [
    'integration: an amendment of a note id that is not a UUID',
    () => ({ method: 'POST', url: `${patientUrl()}/integration-notes/note-1/amendments`, payload: {} }),
    400,
  ],
  [
    'integration: an adherence state that does not exist',
    () => ({ method: 'GET', url: '/api/v1/integration/adherence?state=forgotten' }),
    400,
  ],
  [
    'integration: adherence of a non-UUID patient',
    () => ({ method: 'GET', url: '/api/v1/patients/patient-1/integration-adherence' }),
    400,
  ],
  [
    'integration: a window whose first day is after its last',
    () => ({ method: 'PUT', url: '/api/v1/care-settings/integration', payload: { windowDays: [5, 2] } }),
    400,
  ],
  [
    'reminders: a send hour past 23, a maximum as text and an unknown key',
    () => ({
      method: 'PUT',
      url: '/api/v1/care-settings/reminders',
      payload: { sendHour: 24, maxReminders: 'three', colour: 'blue' },
    }),
    400,
  ],
  ['unknown API path', () => ({ method: 'GET', url: '/api/v1/does-not-exist' }), 404],
  ['wrong method', () => ({ method: 'DELETE', url: patientUrl() }), 404],
  ['outcomes: an unknown instrument', () => ({ method: 'GET', url: '/api/v1/outcomes?instrument=bdi' }), 400],
  [
    'outcomes: an age band that is not one',
    () => ({ method: 'GET', url: '/api/v1/outcomes?ageBand=20-30' }),
    400,
  ],
  [
    'research exports: a date range that ends before it starts',
    () => ({
      method: 'POST',
      url: '/api/v1/research/exports',
      payload: { instruments: ['phq9'], from: '2026-06-01', to: '2026-05-01', formats: ['csv'] },
    }),
    400,
  ],
  [
    'research exports: a file that an export never holds',
    () => ({
      method: 'GET',
      url: '/api/v1/research/exports/5c402ab5-3404-4296-b307-7e4fc538f036/files/mrn-list.csv',
    }),
    400,
  ],
  [
    'research exports: an unknown format and instrument',
    () => ({
      method: 'POST',
      url: '/api/v1/research/exports',
      payload: { instruments: ['bdi'], from: '2026-05-01', to: '2026-06-01', formats: ['xlsx'] },
    }),
    400,
  ],
];

describe('bad input never reaches a 5xx', () => {
  it.each(badRequests)('%s → 4xx problem+json', async (_name, build, expected) => {
    const response = await as(app, prescriber)(build());
    expect(response.statusCode).toBe(expected);
    if (expected >= 400) {
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect(problem).toMatchObject({
        status: expected,
        type: expect.stringContaining('/problems/'),
        requestId: expect.any(String),
      });
      expect(response.body).not.toMatch(/stack|at .*\.ts:\d+|Failed query/);
    }
  });

  it('names the field of each problem', async () => {
    const response = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: '/api/v1/patients',
      payload: {
        givenName: 'A',
        familyName: 'B',
        dateOfBirth: '1990-01-01',
        sexAtBirth: 'female',
        address: { line1: 'x', city: 'y', region: 'z', postalCode: '1', country: 'USA' },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'address.country', message: expect.stringContaining('ISO 3166') },
    ]);
  });

  it('rejects bad audit filters with 400', async () => {
    for (const query of ['from=not-a-date', 'patientId=123', 'limit=0', 'cursor=%%%']) {
      const response = await as(app, admin)({ method: 'GET', url: `/api/v1/audit-events?${query}` });
      expect(response.statusCode, query).toBe(400);
    }
  });
});

describe('security headers', () => {
  it('sends a strict CSP and the other protective headers on API and page responses', async () => {
    for (const url of ['/api/v1/meta', '/', '/patients/123']) {
      const response = await app.inject({ method: 'GET', url });
      const csp = String(response.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-request-id']).toBeDefined();
    }
  });

  it('marks patient data as not to be cached', async () => {
    const chart = await as(app, prescriber)({ method: 'GET', url: patientUrl() });
    expect(chart.headers['cache-control']).toBe('no-store');
    const list = await as(app, prescriber)({ method: 'GET', url: '/api/v1/patients' });
    expect(list.headers['cache-control']).toBe('no-store');
  });

  it('serves the OpenAPI 3.1 document and the docs page', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/patients', '/api/v1/patients/{patientId}', '/api/v1/audit-events']),
    );
    const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('answers the health check', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok', database: database.kind });
  });
});
