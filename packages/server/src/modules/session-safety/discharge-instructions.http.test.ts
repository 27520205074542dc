import { inflateSync } from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  type SignedIn,
  signIn,
} from '../../testing/factories.ts';
import { createDosingSession } from './session.fixture.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
let clinicId: string;
let bareClinicId: string;
let nurseId: string;
let nurse: SignedIn;
let frontDesk: SignedIn;
let foreignNurse: SignedIn;
const clock = new ManualClock('2026-06-01T18:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (
    await createClinic(database.db, { name: 'Harbor Clinic', settings: { crisisPhone: '(555) 010-0199' } })
  ).id;
  bareClinicId = (await createClinic(database.db, { name: 'Bare Clinic' })).id;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  const n = await createStaffUser(database.db, clinicId, ['nurse']);
  nurseId = n.id;
  nurse = await signIn(app, n.email);
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  foreignNurse = await signIn(app, (await createStaffUser(database.db, foreign.id, ['nurse'])).email);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  const parts: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      content = match[1]!;
    }
    for (const hex of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
      parts.push(Buffer.from(hex[1]!, 'hex').toString('latin1'));
  }
  return parts.join('\n');
}

async function dischargedSession(clinic = clinicId, staffId = nurseId) {
  const patient = await createPatient(database.db, clinic);
  const session = await createDosingSession(database.db, {
    clinicId: clinic,
    patientId: patient.id,
    staffId,
    dischargedAfterMinutes: 125,
  });
  await session.discharge('Robin Escort');
  return { patient, session };
}

describe('discharge instructions (clinical-reference 4.5)', () => {
  it('gives staff the instructions with the clinic’s phone and the escort, as JSON and as a PDF', async () => {
    const { patient, session } = await dischargedSession();
    const view = await as(
      app,
      nurse,
    )({ method: 'GET', url: `/api/v1/sessions/${session.id}/discharge-instructions` });
    expect(view.statusCode).toBe(200);
    const body = view.json();
    expect(body).toMatchObject({
      sessionId: session.id,
      date: '2026-06-01',
      title: 'After your SPRAVATO session at Harbor Clinic',
      crisisPhone: '(555) 010-0199',
      missingSettings: [],
    });
    const lines = body.sections.flatMap((s: { lines: string[] }) => s.lines).join('\n');
    expect(lines).toContain('Go home with Robin Escort');
    expect(lines).toContain('until the next day, after a restful sleep');
    expect(lines).toContain('call Harbor Clinic at (555) 010-0199');
    expect(body.sections[1].citations[0].section).toBe('clinical-reference 2.5');
    const pdf = await as(
      app,
      nurse,
    )({ method: 'GET', url: `/api/v1/sessions/${session.id}/discharge-instructions.pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdfText(pdf.rawPayload)).toContain(
      'Do not drive, ride a bike or scooter, or use machinery until the next day,',
    );
    const actions = (
      await database.db
        .select({ action: auditEvent.action })
        .from(auditEvent)
        .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)))
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['discharge-instructions.read', 'discharge-instructions.print']),
    );
  });

  it('says so when the clinic has no crisis phone, rather than inventing one', async () => {
    const staff = await createStaffUser(database.db, bareClinicId, ['nurse']);
    const { session } = await dischargedSession(bareClinicId, staff.id);
    const view = await as(
      app,
      await signIn(app, staff.email),
    )({
      method: 'GET',
      url: `/api/v1/sessions/${session.id}/discharge-instructions`,
    });
    expect(view.json()).toMatchObject({ crisisPhone: null, missingSettings: ['crisisPhone'] });
  });

  it('shows the patient their own instructions in the portal, and nobody else’s', async () => {
    const { patient, session } = await dischargedSession();
    const other = await dischargedSession();
    const account = await signIn(app, (await createPatientUser(database.db, clinicId, patient.id)).email);
    const self = as(app, account);
    const list = await self({ method: 'GET', url: '/api/v1/me/discharge-instructions' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { sessionId: string }) => i.sessionId)).toEqual([session.id]);
    const one = await self({
      method: 'GET',
      url: `/api/v1/me/sessions/${session.id}/discharge-instructions`,
    });
    expect(one.statusCode).toBe(200);
    expect(one.json().title).toBe('After your SPRAVATO session at Harbor Clinic');
    const pdf = await self({
      method: 'GET',
      url: `/api/v1/me/sessions/${session.id}/discharge-instructions.pdf`,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const theirs = await self({
      method: 'GET',
      url: `/api/v1/me/sessions/${other.session.id}/discharge-instructions`,
    });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain(other.patient.familyName);
    // Staff have no portal path, and the patient none of the staff paths.
    expect(
      (await as(app, nurse)({ method: 'GET', url: '/api/v1/me/discharge-instructions' })).statusCode,
    ).toBe(403);
    expect(
      (await self({ method: 'GET', url: `/api/v1/sessions/${session.id}/discharge-instructions` }))
        .statusCode,
    ).toBe(403);
  });

  it('refuses the front desk (403) and another clinic (404)', async () => {
    const { session } = await dischargedSession();
    const url = `/api/v1/sessions/${session.id}/discharge-instructions`;
    expect((await as(app, frontDesk)({ method: 'GET', url })).statusCode).toBe(403);
    expect((await as(app, foreignNurse)({ method: 'GET', url })).statusCode).toBe(404);
    expect((await as(app, foreignNurse)({ method: 'GET', url: `${url}.pdf` })).statusCode).toBe(404);
    expect(
      (await as(app, nurse)({ method: 'GET', url: '/api/v1/sessions/not-a-uuid/discharge-instructions' }))
        .statusCode,
    ).toBe(400);
  });
});
