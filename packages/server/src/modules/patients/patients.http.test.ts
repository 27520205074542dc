import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  assignCareTeam,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  databaseError,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-03-02T15:00:00Z');

let home: Awaited<ReturnType<typeof createClinic>>;
let other: Awaited<ReturnType<typeof createClinic>>;
let prescriber: SignedIn;
let frontDesk: SignedIn;
let otherPrescriber: SignedIn;
let homePatient: Awaited<ReturnType<typeof createPatient>>;
let otherPatient: Awaited<ReturnType<typeof createPatient>>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  home = await createClinic(database.db, { name: 'Home clinic' });
  other = await createClinic(database.db, { name: 'Other clinic' });
  const p = await createStaffUser(database.db, home.id, ['prescriber']);
  const f = await createStaffUser(database.db, home.id, ['frontdesk']);
  const op = await createStaffUser(database.db, other.id, ['prescriber']);
  prescriber = await signIn(app, p.email);
  frontDesk = await signIn(app, f.email);
  otherPrescriber = await signIn(app, op.email);
  homePatient = await createPatient(database.db, home.id, {
    givenName: 'José',
    familyName: 'Núñez',
    dateOfBirth: '1979-11-30',
  });
  otherPatient = await createPatient(database.db, other.id, { givenName: 'Olive', familyName: 'Elsewhere' });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const validPatient = {
  givenName: 'Maya',
  familyName: 'Lindqvist',
  dateOfBirth: '1990-06-15',
  sexAtBirth: 'female',
  phone: '(555) 010-2222',
  emergencyContact: { name: 'Ola Lindqvist', relationship: 'sibling', phone: '(555) 010-3333' },
};

describe('patient registry over HTTP', () => {
  it('registers a patient with a clinic-assigned MRN and returns the chart', async () => {
    const response = await as(
      app,
      prescriber,
    )({ method: 'POST', url: '/api/v1/patients', payload: validPatient });
    expect(response.statusCode).toBe(201);
    const chart = response.json();
    expect(chart).toMatchObject({
      givenName: 'Maya',
      familyName: 'Lindqvist',
      version: 1,
      mrn: expect.stringMatching(/^K\d{6}$/),
    });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.location).toBe(`/api/v1/patients/${chart.id}`);
  });

  it('refuses a duplicate MRN with 409 and a field path', async () => {
    const first = await as(
      app,
      prescriber,
    )({ method: 'POST', url: '/api/v1/patients', payload: { ...validPatient, mrn: 'DUP-1' } });
    expect(first.statusCode).toBe(201);
    const second = await as(
      app,
      prescriber,
    )({ method: 'POST', url: '/api/v1/patients', payload: { ...validPatient, mrn: 'DUP-1' } });
    expect(second.statusCode).toBe(409);
    expect(second.json().errors).toEqual([{ path: 'mrn', message: expect.any(String) }]);
  });

  it('finds patients by accent-insensitive name prefix, date of birth and MRN', async () => {
    const byName = await as(app, prescriber)({ method: 'GET', url: '/api/v1/patients?q=jose%20nun' });
    expect(byName.statusCode).toBe(200);
    expect(byName.json().items.map((p: { id: string }) => p.id)).toEqual([homePatient.id]);
    const byDob = await as(
      app,
      prescriber,
    )({ method: 'GET', url: '/api/v1/patients?dateOfBirth=1979-11-30' });
    expect(byDob.json().items.map((p: { id: string }) => p.id)).toContain(homePatient.id);
    const byMrn = await as(
      app,
      prescriber,
    )({ method: 'GET', url: `/api/v1/patients?mrn=${homePatient.mrn}` });
    expect(byMrn.json().items).toHaveLength(1);
    const foreign = await as(app, prescriber)({ method: 'GET', url: '/api/v1/patients?q=olive' });
    expect(foreign.json().items).toEqual([]);
  });

  it('pages through results with a cursor, without repeats or gaps', async () => {
    const clinic = await createClinic(database.db);
    const user = await createStaffUser(database.db, clinic.id, ['nurse']);
    const nurse = await signIn(app, user.email);
    for (let i = 0; i < 7; i++)
      await createPatient(database.db, clinic.id, { familyName: `Pager${String.fromCharCode(65 + i)}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/patients?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await as(app, nurse)({ method: 'GET', url })).json();
      seen.push(...page.items.map((p: { familyName: string }) => p.familyName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['PagerA', 'PagerB', 'PagerC', 'PagerD', 'PagerE', 'PagerF', 'PagerG']);
  });

  it('amends demographics, keeps the previous version and refuses a stale version with 409', async () => {
    const patient = await createPatient(database.db, home.id, { phone: '(555) 010-0000' });
    const update = await as(
      app,
      frontDesk,
    )({
      method: 'PATCH',
      url: `/api/v1/patients/${patient.id}`,
      payload: { version: 1, phone: '(555) 010-9999' },
    });
    expect(update.statusCode).toBe(200);
    expect(update.json()).toMatchObject({ phone: '(555) 010-9999', version: 2 });
    expect(update.headers.etag).toBe('"2"');

    const stale = await as(
      app,
      frontDesk,
    )({
      method: 'PATCH',
      url: `/api/v1/patients/${patient.id}`,
      payload: { version: 1, phone: '(555) 010-1111' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');

    const history = (
      await as(app, frontDesk)({ method: 'GET', url: `/api/v1/patients/${patient.id}/history` })
    ).json();
    expect(history.items).toEqual([
      expect.objectContaining({
        version: 2,
        changes: [{ field: 'phone', from: '(555) 010-0000', to: '(555) 010-9999' }],
      }),
    ]);
  });

  it('answers a failed If-Match with 412', async () => {
    const patient = await createPatient(database.db, home.id);
    const response = await as(
      app,
      frontDesk,
    )({
      method: 'PATCH',
      url: `/api/v1/patients/${patient.id}`,
      headers: { 'if-match': '"7"' },
      payload: { version: 7, pronouns: 'they/them' },
    });
    expect(response.statusCode).toBe(412);
  });

  it('keeps earlier demographic versions append-only in the database', async () => {
    const patient = await createPatient(database.db, home.id);
    await as(
      app,
      frontDesk,
    )({
      method: 'PATCH',
      url: `/api/v1/patients/${patient.id}`,
      payload: { version: 1, pronouns: 'she/her' },
    });
    expect(
      await databaseError(
        database.db.execute(
          sql`UPDATE patient_version SET changed_fields = '[]' WHERE patient_id = ${patient.id}`,
        ),
      ),
    ).toMatch(/append-only/);
  });

  it('records diagnoses, medications and allergies as entries whose status changes but which never disappear', async () => {
    const patient = await createPatient(database.db, home.id);
    const url = `/api/v1/patients/${patient.id}`;
    const condition = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `${url}/conditions`,
      payload: {
        icd10: 'f332',
        description: 'Major depressive disorder, recurrent severe without psychotic features',
      },
    });
    expect(condition.statusCode).toBe(201);
    expect(condition.json().icd10).toBe('F33.2');
    const medication = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `${url}/medications`,
      payload: { name: 'Sertraline', rxnorm: '36437', dose: '100 mg' },
    });
    expect(medication.statusCode).toBe(201);
    const allergy = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `${url}/allergies`,
      payload: { substance: 'Penicillin', severity: 'moderate' },
    });
    expect(allergy.statusCode).toBe(201);
    const error = await as(
      app,
      prescriber,
    )({
      method: 'PATCH',
      url: `${url}/medications/${medication.json().id}`,
      payload: { status: 'entered-in-error' },
    });
    expect(error.json().status).toBe('entered-in-error');
    const chart = (await as(app, prescriber)({ method: 'GET', url })).json();
    expect(chart.conditions).toHaveLength(1);
    expect(chart.medications).toEqual([
      expect.objectContaining({ name: 'Sertraline', status: 'entered-in-error' }),
    ]);
    expect(chart.allergies).toEqual([expect.objectContaining({ substance: 'Penicillin' })]);
    expect(
      await databaseError(
        database.db.execute(sql`DELETE FROM patient_medication WHERE patient_id = ${patient.id}`),
      ),
    ).toMatch(/append-only/);
  });

  it('rejects a malformed ICD-10-CM code with a field-level 400', async () => {
    const response = await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `/api/v1/patients/${homePatient.id}/conditions`,
      payload: { icd10: 'depression', description: 'x' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'icd10', message: expect.stringContaining('ICD-10-CM') },
    ]);
  });

  it('shows the front desk demographics but never the clinical lists', async () => {
    const chart = (
      await as(app, frontDesk)({ method: 'GET', url: `/api/v1/patients/${homePatient.id}` })
    ).json();
    expect(chart.clinicalDataIncluded).toBe(false);
    expect(chart.conditions).toEqual([]);
    const add = await as(
      app,
      frontDesk,
    )({
      method: 'POST',
      url: `/api/v1/patients/${homePatient.id}/conditions`,
      payload: { icd10: 'F41.1', description: 'GAD' },
    });
    expect(add.statusCode).toBe(403);
  });

  it('answers 404 with no data for another clinic’s patient on every patient route', async () => {
    const id = otherPatient.id;
    const attempts = [
      { method: 'GET', url: `/api/v1/patients/${id}` },
      { method: 'PATCH', url: `/api/v1/patients/${id}`, payload: { version: 1, pronouns: 'x' } },
      { method: 'GET', url: `/api/v1/patients/${id}/history` },
      {
        method: 'POST',
        url: `/api/v1/patients/${id}/conditions`,
        payload: { icd10: 'F41.1', description: 'GAD' },
      },
      { method: 'POST', url: `/api/v1/patients/${id}/medications`, payload: { name: 'Sertraline' } },
      { method: 'POST', url: `/api/v1/patients/${id}/allergies`, payload: { substance: 'Latex' } },
      {
        method: 'POST',
        url: `/api/v1/patients/${id}/break-glass`,
        payload: { reason: 'Emergency in the waiting room' },
      },
    ] as const;
    for (const attempt of attempts) {
      const response = await as(app, prescriber)(attempt);
      expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(404);
      expect(response.body).not.toContain('Olive');
      expect(response.body).not.toContain(otherPatient.mrn);
    }
    // ...and the other clinic's own prescriber does see it.
    expect(
      (await as(app, otherPrescriber)({ method: 'GET', url: `/api/v1/patients/${id}` })).statusCode,
    ).toBe(200);
  });

  it('lets a patient account read its own record only', async () => {
    const account = await createPatientUser(database.db, home.id, homePatient.id);
    const patient = await signIn(app, account.email);
    const own = await as(app, patient)({ method: 'GET', url: '/api/v1/me/patient' });
    expect(own.statusCode).toBe(200);
    expect(own.json().id).toBe(homePatient.id);
    const someoneElse = await createPatient(database.db, home.id);
    expect(
      (await as(app, patient)({ method: 'GET', url: `/api/v1/patients/${someoneElse.id}` })).statusCode,
    ).toBe(403);
    expect((await as(app, patient)({ method: 'GET', url: '/api/v1/patients' })).statusCode).toBe(403);
  });

  it('audits every chart read, and the audit trail shows who saw the chart', async () => {
    const admin = await signIn(app, (await createStaffUser(database.db, home.id, ['admin'])).email);
    await as(app, prescriber)({ method: 'GET', url: `/api/v1/patients/${homePatient.id}` });
    const trail = (
      await as(
        app,
        admin,
      )({ method: 'GET', url: `/api/v1/audit-events?patientId=${homePatient.id}&action=patient.read` })
    ).json();
    expect(trail.items.length).toBeGreaterThan(0);
    expect(trail.items[0]).toMatchObject({
      action: 'patient.read',
      outcome: 'success',
      patient: { id: homePatient.id },
    });
    const csv = await as(
      app,
      admin,
    )({ method: 'GET', url: `/api/v1/audit-events/export.csv?patientId=${homePatient.id}` });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toMatch(/^sequence,occurred_at,actor_email/);
    expect(csv.body).toContain('patient.read');
  });
});

describe('care team and break-glass', () => {
  it('hides charts outside the care team until break-glass, which is time-boxed and audited', async () => {
    const clinic = await createClinic(database.db, { settings: { careScope: 'care-team' } });
    const therapistUser = await createStaffUser(database.db, clinic.id, ['therapist']);
    const adminUser = await createStaffUser(database.db, clinic.id, ['admin']);
    const mine = await createPatient(database.db, clinic.id);
    const notMine = await createPatient(database.db, clinic.id);
    await assignCareTeam(database.db, clinic.id, mine.id, therapistUser.id, 'therapist');
    const therapist = await signIn(app, therapistUser.email);
    const admin = await signIn(app, adminUser.email);

    expect((await as(app, therapist)({ method: 'GET', url: `/api/v1/patients/${mine.id}` })).statusCode).toBe(
      200,
    );
    expect(
      (await as(app, therapist)({ method: 'GET', url: `/api/v1/patients/${notMine.id}` })).statusCode,
    ).toBe(404);
    const list = (await as(app, therapist)({ method: 'GET', url: '/api/v1/patients' })).json();
    expect(list.items.find((p: { id: string }) => p.id === notMine.id).inCareTeam).toBe(false);

    const short = await as(
      app,
      therapist,
    )({ method: 'POST', url: `/api/v1/patients/${notMine.id}/break-glass`, payload: { reason: 'urgent' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].path).toBe('reason');
    const grant = await as(
      app,
      therapist,
    )({
      method: 'POST',
      url: `/api/v1/patients/${notMine.id}/break-glass`,
      payload: { reason: 'Patient in crisis at the front desk' },
    });
    expect(grant.statusCode).toBe(201);
    expect(
      (await as(app, therapist)({ method: 'GET', url: `/api/v1/patients/${notMine.id}` })).statusCode,
    ).toBe(200);

    const reads = (
      await as(
        app,
        admin,
      )({ method: 'GET', url: `/api/v1/audit-events?patientId=${notMine.id}&action=patient.read` })
    ).json();
    expect(reads.items[0].breakGlass).toBe(true);
    const grants = (
      await as(app, admin)({ method: 'GET', url: '/api/v1/break-glass-grants?active=true' })
    ).json();
    expect(grants.items).toEqual([
      expect.objectContaining({
        reason: 'Patient in crisis at the front desk',
        patient: expect.objectContaining({ id: notMine.id }),
      }),
    ]);

    clock.advanceMinutes(61);
    const later = await signIn(app, therapistUser.email);
    expect((await as(app, later)({ method: 'GET', url: `/api/v1/patients/${notMine.id}` })).statusCode).toBe(
      404,
    );
  });
});
