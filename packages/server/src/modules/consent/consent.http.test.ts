import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { StaffActor } from '../../context.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { auditEvent } from '../../db/schema/index.ts';
import { runUnitOfWork } from '../../http/unit-of-work.ts';
import { createTestDatabase } from '../../testing/database.ts';
import {
  as,
  buildTestApp,
  createClinic,
  createPatient,
  createPatientUser,
  createStaffUser,
  databaseError,
  type SignedIn,
  signIn,
  testPassword,
} from '../../testing/factories.ts';
import { sha256Hex } from './consent.render.ts';
import { consentStatus } from './consent.service.ts';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new ManualClock('2026-06-01T15:00:00Z');
let clinicId: string;
let admin: SignedIn;
let prescriber: SignedIn;
let prescriberId: string;
let nurse: SignedIn;
let frontDesk: SignedIn;
let researcher: SignedIn;
let foreignAdmin: SignedIn;
let foreignPrescriber: SignedIn;
let foreignPatientSelf: SignedIn;

const generalBody =
  'I, {{patientName}}, agree to ketamine-assisted psychotherapy at {{clinicName}}. Ketamine is Schedule III.';
const ivBody = 'I, {{patientName}}, agree to ketamine by IV infusion at {{clinicName}} on {{date}}.';

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  clinicId = (await createClinic(database.db, { name: 'Cedar Consent Clinic' })).id;
  admin = await signIn(app, (await createStaffUser(database.db, clinicId, ['admin'])).email);
  const prescriberUser = await createStaffUser(database.db, clinicId, ['prescriber'], {
    displayName: 'Dr. Ada Prescriber',
  });
  prescriberId = prescriberUser.id;
  prescriber = await signIn(app, prescriberUser.email);
  nurse = await signIn(
    app,
    (await createStaffUser(database.db, clinicId, ['nurse'], { displayName: 'Nia Nurse, RN' })).email,
  );
  frontDesk = await signIn(app, (await createStaffUser(database.db, clinicId, ['frontdesk'])).email);
  researcher = await signIn(app, (await createStaffUser(database.db, clinicId, ['researcher'])).email);
  const foreign = await createClinic(database.db, { name: 'Elsewhere Clinic' });
  foreignAdmin = await signIn(app, (await createStaffUser(database.db, foreign.id, ['admin'])).email);
  foreignPrescriber = await signIn(
    app,
    (await createStaffUser(database.db, foreign.id, ['prescriber'])).email,
  );
  const foreignPatient = await createPatient(database.db, foreign.id);
  foreignPatientSelf = await signIn(
    app,
    (await createPatientUser(database.db, foreign.id, foreignPatient.id)).email,
  );
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function newPatient(names: { givenName: string; familyName: string }) {
  const patient = await createPatient(database.db, clinicId, names);
  const self = await signIn(app, (await createPatientUser(database.db, clinicId, patient.id)).email);
  return { patient, self: as(app, self) };
}

interface CreatedTemplate {
  id: string;
  currentVersion: { id: string };
}
let templates: { general: CreatedTemplate; iv: CreatedTemplate } | null = null;

async function ensureTemplates() {
  if (templates) return templates;
  const post = as(app, admin);
  const general = await post({
    method: 'POST',
    url: '/api/v1/consent-templates',
    payload: { kind: 'general', title: 'General KAP consent', required: true, body: generalBody },
  });
  expect(general.statusCode, general.body).toBe(201);
  const iv = await post({
    method: 'POST',
    url: '/api/v1/consent-templates',
    payload: { kind: 'iv', title: 'IV consent', required: true, routes: ['iv'], body: ivBody },
  });
  expect(iv.statusCode, iv.body).toBe(201);
  templates = { general: general.json(), iv: iv.json() };
  return templates;
}

type Self = ReturnType<typeof as>;

async function sign(
  self: Self,
  versionId: string,
  typedName: string,
  overrides: Record<string, unknown> = {},
) {
  const shown = await self({ method: 'GET', url: `/api/v1/me/consents/${versionId}` });
  expect(shown.statusCode, shown.body).toBe(200);
  return self({
    method: 'POST',
    url: `/api/v1/me/consents/${versionId}/signatures`,
    payload: { id: randomUUID(), typedName, agreed: true, textSha256: shown.json().textSha256, ...overrides },
  });
}

function staffActor(userId: string): StaffActor {
  return {
    kind: 'staff',
    userId,
    clinicId,
    sessionId: randomUUID(),
    email: 'service@test.example',
    displayName: 'Service test',
    roles: ['prescriber'],
  };
}

const statusFor = (patientId: string, route?: 'iv' | 'im') =>
  runUnitOfWork(
    database.db,
    staffActor(prescriberId),
    { requestId: null, ip: null, userAgent: null },
    clock,
    (ctx) => consentStatus(ctx, patientId, route),
  );

/** The text drawn on a PDF made by pdf-lib: inflate each content stream and decode its hex strings. */
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

describe('consent templates', () => {
  it('creates forms with a first version, lists them, and refuses duplicates and nonsense', async () => {
    await ensureTemplates();
    const list = await as(app, admin)({ method: 'GET', url: '/api/v1/consent-templates' });
    expect(list.statusCode).toBe(200);
    const general = list.json().items.find((t: { kind: string }) => t.kind === 'general');
    expect(general).toMatchObject({
      title: 'General KAP consent',
      required: true,
      routes: [],
      currentVersion: { version: 1, body: generalBody },
    });
    expect(general.versions).toHaveLength(1);

    const post = as(app, admin);
    const duplicate = await post({
      method: 'POST',
      url: '/api/v1/consent-templates',
      payload: { kind: 'general', title: 'Another general', required: true, body: generalBody },
    });
    expect(duplicate.statusCode).toBe(409);
    const requiredResearch = await post({
      method: 'POST',
      url: '/api/v1/consent-templates',
      payload: { kind: 'research', title: 'Research', required: true, body: generalBody },
    });
    expect(requiredResearch.statusCode).toBe(400);
    expect(requiredResearch.json().errors).toEqual([{ path: 'required', message: expect.any(String) }]);
    const typo = await post({
      method: 'POST',
      url: '/api/v1/consent-templates',
      payload: {
        kind: 'touch',
        title: 'Touch',
        required: false,
        body: 'Hello {{patientname}}, welcome here.',
      },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().errors[0]).toMatchObject({
      path: 'body',
      message: expect.stringContaining('patientname'),
    });
    const noRoutes = await post({
      method: 'POST',
      url: '/api/v1/consent-templates',
      payload: { kind: 'im', title: 'IM consent', required: true, body: ivBody },
    });
    expect(noRoutes.json().errors[0].path).toBe('routes');
    const unknownField = await post({
      method: 'POST',
      url: '/api/v1/consent-templates',
      payload: { kind: 'im', title: 'IM', required: true, routes: ['im'], body: ivBody, extra: 1 },
    });
    expect(unknownField.statusCode).toBe(400);
  });

  it('lets only template managers of the clinic see or publish, and hides another clinic’s forms', async () => {
    const { general } = await ensureTemplates();
    for (const who of [prescriber, nurse, frontDesk, researcher]) {
      expect((await as(app, who)({ method: 'GET', url: '/api/v1/consent-templates' })).statusCode).toBe(403);
    }
    const foreignPublish = await as(
      app,
      foreignAdmin,
    )({
      method: 'POST',
      url: `/api/v1/consent-templates/${general.id}/versions`,
      payload: { body: generalBody, changeNote: 'Not mine to change' },
    });
    expect(foreignPublish.statusCode).toBe(404);
    const foreignList = (
      await as(app, foreignAdmin)({ method: 'GET', url: '/api/v1/consent-templates' })
    ).json();
    expect(foreignList.items.map((t: { id: string }) => t.id)).not.toContain(general.id);
    const foreignRead = await as(
      app,
      foreignPatientSelf,
    )({
      method: 'GET',
      url: `/api/v1/me/consents/${general.currentVersion.id}`,
    });
    expect(foreignRead.statusCode).toBe(404);
  });
});

describe('signing, countersigning and status', () => {
  it('renders the text for the patient and accepts a signature with the legal name, once', async () => {
    const { general } = await ensureTemplates();
    const { patient, self } = await newPatient({ givenName: 'José', familyName: 'Núñez' });
    const shown = (
      await self({ method: 'GET', url: `/api/v1/me/consents/${general.currentVersion.id}` })
    ).json();
    expect(shown.text).toContain(
      'I, José Núñez, agree to ketamine-assisted psychotherapy at Cedar Consent Clinic.',
    );
    expect(shown.text).toContain('Date: 1 June 2026');
    expect(shown.textSha256).toBe(sha256Hex(shown.text));
    expect(shown.current).toBe(true);

    const wrongHash = await sign(self, general.currentVersion.id, 'José Núñez', {
      textSha256: 'a'.repeat(64),
    });
    expect(wrongHash.statusCode).toBe(409);
    expect(wrongHash.json().detail).toContain('text changed');
    const wrongName = await sign(self, general.currentVersion.id, 'Jose Nunes');
    expect(wrongName.statusCode).toBe(400);
    expect(wrongName.json().errors).toEqual([{ path: 'typedName', message: expect.any(String) }]);
    const notAgreed = await sign(self, general.currentVersion.id, 'José Núñez', { agreed: false });
    expect(notAgreed.statusCode).toBe(400);
    expect(notAgreed.json().errors[0].path).toBe('agreed');
    const badHash = await sign(self, general.currentVersion.id, 'José Núñez', { textSha256: 'xyz' });
    expect(badHash.statusCode).toBe(400);

    const payload = {
      id: randomUUID(),
      typedName: '  jose   NUNEZ ',
      agreed: true,
      textSha256: shown.textSha256,
    };
    const url = `/api/v1/me/consents/${general.currentVersion.id}/signatures`;
    const signed = await self({ method: 'POST', url, payload, headers: { 'user-agent': 'ConsentTest/1.0' } });
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json()).toMatchObject({
      id: payload.id,
      typedName: 'jose   NUNEZ',
      version: 1,
      textSha256: shown.textSha256,
      countersignature: null,
      withdrawal: null,
    });
    // The retry of the same submission returns the first one; it does not sign twice.
    const retry = await self({ method: 'POST', url, payload });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(payload.id);
    const again = await sign(self, general.currentVersion.id, 'José Núñez');
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('already signed');

    const chart = (
      await as(app, prescriber)({ method: 'GET', url: `/api/v1/patients/${patient.id}/consents` })
    ).json();
    expect(chart.signatures).toHaveLength(1);
    expect(chart.signatures[0]).toMatchObject({ userAgent: 'ConsentTest/1.0', ip: expect.any(String) });
    const form = chart.forms.find((f: { template: { kind: string } }) => f.template.kind === 'general');
    expect(form.state).toBe('awaiting-countersignature');
    // Without an active plan, only the general form is needed now.
    expect(chart.route).toBeNull();
    expect(form.neededNow).toBe(true);
    expect(chart.forms.find((f: { template: { kind: string } }) => f.template.kind === 'iv').neededNow).toBe(
      false,
    );
  });

  it('is valid only when every required form is signed on the version in use and countersigned', async () => {
    const { general, iv } = await ensureTemplates();
    const { patient, self } = await newPatient({ givenName: 'Mira', familyName: 'Okafor-Lind' });

    let status = await statusFor(patient.id);
    expect(status.valid).toBe(false);
    expect(status.problems).toEqual(['“General KAP consent” has not been signed by the patient yet.']);

    const generalSignature = (await sign(self, general.currentVersion.id, 'Mira Okafor-Lind')).json();
    status = await statusFor(patient.id);
    expect(status.problems).toEqual([
      '“General KAP consent” is signed by the patient and waiting for a staff countersignature.',
    ]);

    const countersignUrl = `/api/v1/patients/${patient.id}/consents/${generalSignature.id}/countersignature`;
    expect((await as(app, frontDesk)({ method: 'POST', url: countersignUrl })).statusCode).toBe(403);
    const countersigned = await as(app, nurse)({ method: 'POST', url: countersignUrl });
    expect(countersigned.statusCode, countersigned.body).toBe(201);
    expect(countersigned.json().countersignature).toMatchObject({ by: { displayName: 'Nia Nurse, RN' } });
    const twice = await as(app, prescriber)({ method: 'POST', url: countersignUrl });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toContain('Nia Nurse, RN');

    expect(await statusFor(patient.id)).toEqual({ valid: true, problems: [] });
    // For an IV session the IV form is required too.
    status = await statusFor(patient.id, 'iv');
    expect(status).toEqual({
      valid: false,
      problems: ['“IV consent” has not been signed by the patient yet.'],
    });
    // A route without any form set up is never valid.
    status = await statusFor(patient.id, 'im');
    expect(status.valid).toBe(false);
    expect(status.problems[0]).toContain('No consent form for IM injection');

    const ivSignature = (await sign(self, iv.currentVersion.id, 'mira okafor-lind')).json();
    await as(
      app,
      prescriber,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${ivSignature.id}/countersignature`,
    });
    expect(await statusFor(patient.id, 'iv')).toEqual({ valid: true, problems: [] });
  });

  it('asks for consent again when a new version is published, naming the form', async () => {
    const post = as(app, admin);
    const created = (
      await post({
        method: 'POST',
        url: '/api/v1/consent-templates',
        payload: { kind: 'im', title: 'IM consent', required: true, routes: ['im'], body: ivBody },
      })
    ).json();
    const { general } = await ensureTemplates();
    const { patient, self } = await newPatient({ givenName: 'Theo', familyName: 'Brennan' });
    for (const versionId of [general.currentVersion.id, created.currentVersion.id]) {
      const signature = (await sign(self, versionId, 'Theo Brennan')).json();
      await as(
        app,
        nurse,
      )({
        method: 'POST',
        url: `/api/v1/patients/${patient.id}/consents/${signature.id}/countersignature`,
      });
    }
    expect(await statusFor(patient.id, 'im')).toEqual({ valid: true, problems: [] });

    const published = await post({
      method: 'POST',
      url: `/api/v1/consent-templates/${created.id}/versions`,
      payload: {
        body: `${ivBody} Now with a note on injection sites.`,
        changeNote: 'Injection sites explained',
      },
    });
    expect(published.statusCode, published.body).toBe(201);
    const v2 = published.json();
    expect(v2.currentVersion).toMatchObject({ version: 2, changeNote: 'Injection sites explained' });
    expect(v2.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const status = await statusFor(patient.id, 'im');
    expect(status.valid).toBe(false);
    expect(status.problems).toEqual([
      '“IM consent” changed: the patient signed version 1, and version 2 must be signed before the next dosing session.',
    ]);
    // The general consent alone is untouched.
    expect((await statusFor(patient.id)).valid).toBe(true);
    // The old version can still be read, marked as no longer in use, but not signed.
    const old = (
      await self({ method: 'GET', url: `/api/v1/me/consents/${created.currentVersion.id}` })
    ).json();
    expect(old.current).toBe(false);
    const oldSign = await sign(self, created.currentVersion.id, 'Theo Brennan');
    expect(oldSign.statusCode).toBe(409);
    const mine = (await self({ method: 'GET', url: '/api/v1/me/consents' })).json();
    expect(mine.forms.find((f: { template: { kind: string } }) => f.template.kind === 'im').state).toBe(
      'outdated',
    );

    const resigned = (await sign(self, v2.currentVersion.id, 'Theo Brennan')).json();
    await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${resigned.id}/countersignature`,
    });
    expect(await statusFor(patient.id, 'im')).toEqual({ valid: true, problems: [] });
  });

  it('records a withdrawal, never deletes it, and makes the status invalid until the patient signs again', async () => {
    const { general } = await ensureTemplates();
    const { patient, self } = await newPatient({ givenName: 'Ines', familyName: 'Dubois' });
    const signature = (await sign(self, general.currentVersion.id, 'Ines Dubois')).json();
    await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${signature.id}/countersignature`,
    });
    expect((await statusFor(patient.id)).valid).toBe(true);

    const withdrawal = await self({
      method: 'POST',
      url: `/api/v1/me/consents/${signature.id}/withdrawal`,
      payload: {},
    });
    expect(withdrawal.statusCode, withdrawal.body).toBe(201);
    expect(withdrawal.json().withdrawal).toMatchObject({ recordedBy: 'patient', reason: null });
    const replay = await self({
      method: 'POST',
      url: `/api/v1/me/consents/${signature.id}/withdrawal`,
      payload: {},
    });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().withdrawal.at).toBe(withdrawal.json().withdrawal.at);

    const status = await statusFor(patient.id);
    expect(status).toEqual({
      valid: false,
      problems: [
        'The patient withdrew “General KAP consent” on 1 June 2026; they must sign it again before the next dosing session.',
      ],
    });
    const chart = (
      await as(app, prescriber)({ method: 'GET', url: `/api/v1/patients/${patient.id}/consents` })
    ).json();
    expect(chart.signatures[0].withdrawal).not.toBeNull();
    const copy = await as(
      app,
      prescriber,
    )({
      method: 'GET',
      url: `/api/v1/patients/${patient.id}/consents/${signature.id}/document`,
    });
    expect(pdfText(copy.rawPayload)).toContain('WITHDRAWN: 1 June 2026');

    // Signing again after a withdrawal is a new signature; the withdrawn one stays on file.
    const again = (await sign(self, general.currentVersion.id, 'Ines Dubois')).json();
    expect(again.id).not.toBe(signature.id);
    const history = (await self({ method: 'GET', url: '/api/v1/me/consents' })).json();
    expect(history.signatures.map((s: { id: string }) => s.id).sort()).toEqual(
      [signature.id, again.id].sort(),
    );
    expect(
      history.forms.find((f: { template: { kind: string } }) => f.template.kind === 'general').state,
    ).toBe('awaiting-countersignature');
  });

  it('lets staff record a withdrawal given to them, with a reason, and not countersign a withdrawn consent', async () => {
    const { general } = await ensureTemplates();
    const { patient, self } = await newPatient({ givenName: 'Omar', familyName: 'Haddad' });
    const signature = (await sign(self, general.currentVersion.id, 'Omar Haddad')).json();
    const url = `/api/v1/patients/${patient.id}/consents/${signature.id}/withdrawal`;
    expect((await as(app, nurse)({ method: 'POST', url, payload: {} })).statusCode).toBe(400);
    expect(
      (await as(app, frontDesk)({ method: 'POST', url, payload: { reason: 'By phone' } })).statusCode,
    ).toBe(403);
    const recorded = await as(
      app,
      nurse,
    )({ method: 'POST', url, payload: { reason: 'Called the clinic to withdraw' } });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json().withdrawal).toMatchObject({
      recordedBy: 'staff',
      reason: 'Called the clinic to withdraw',
    });
    const countersign = await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${signature.id}/countersignature`,
    });
    expect(countersign.statusCode).toBe(409);
  });
});

describe('with a treatment plan', () => {
  it('counts the active plan’s route forms in the chart’s status and in what the patient must sign', async () => {
    const { general, iv } = await ensureTemplates();
    const { patient, self } = await newPatient({ givenName: 'Andre', familyName: 'Castillo' });
    const staff = as(app, prescriber);
    await staff({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/conditions`,
      payload: { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
    });
    const plan = await staff({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/treatment-plans`,
      payload: {
        indication: { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
        protocolId: 'iv-series',
        route: 'iv',
        product: 'ketamine-racemic',
        startDate: '2026-06-15',
        dosingSessions: 6,
        weightKg: 70,
        startingDose: { value: 0.5, unit: 'mg/kg' },
        maximumDose: { value: 0.5, unit: 'mg/kg' },
        goals: [{ text: 'Sleep through the night' }],
        intentions: [{ text: 'Stay curious' }],
      },
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const signed = await staff({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/treatment-plans/${plan.json().id}/signature`,
      payload: { signatureId: randomUUID(), password: testPassword, revision: plan.json().revision },
    });
    expect(signed.statusCode, signed.body).toBe(200);

    const generalSignature = (await sign(self, general.currentVersion.id, 'Andre Castillo')).json();
    await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${generalSignature.id}/countersignature`,
    });
    let chart = (await staff({ method: 'GET', url: `/api/v1/patients/${patient.id}/consents` })).json();
    expect(chart.route).toBe('iv');
    expect(chart.status).toEqual({
      valid: false,
      problems: ['“IV consent” has not been signed by the patient yet.'],
    });
    const mine = (await self({ method: 'GET', url: '/api/v1/me/consents' })).json();
    expect(mine.forms.find((f: { template: { kind: string } }) => f.template.kind === 'iv').neededNow).toBe(
      true,
    );

    const ivSignature = (await sign(self, iv.currentVersion.id, 'Andre Castillo')).json();
    await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${ivSignature.id}/countersignature`,
    });
    chart = (await staff({ method: 'GET', url: `/api/v1/patients/${patient.id}/consents` })).json();
    expect(chart.status).toEqual({ valid: true, problems: [] });
  });
});

describe('under concurrency', () => {
  it('takes one of several simultaneous signatures of the same form, and numbers parallel publications apart', async () => {
    const { general } = await ensureTemplates();
    const { self } = await newPatient({ givenName: 'Priya', familyName: 'Raman' });
    const shown = (
      await self({ method: 'GET', url: `/api/v1/me/consents/${general.currentVersion.id}` })
    ).json();
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () =>
        self({
          method: 'POST',
          url: `/api/v1/me/consents/${general.currentVersion.id}/signatures`,
          payload: { id: randomUUID(), typedName: 'Priya Raman', agreed: true, textSha256: shown.textSha256 },
        }),
      ),
    );
    expect(attempts.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);

    const recording = (
      await as(
        app,
        admin,
      )({
        method: 'POST',
        url: '/api/v1/consent-templates',
        payload: { kind: 'recording', title: 'Recording consent', required: false, body: generalBody },
      })
    ).json();
    const published = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        as(
          app,
          admin,
        )({
          method: 'POST',
          url: `/api/v1/consent-templates/${recording.id}/versions`,
          payload: { body: `${generalBody} Revision ${i}.`, changeNote: `Revision ${i}` },
        }),
      ),
    );
    expect(published.map((p) => p.statusCode)).toEqual([201, 201, 201, 201]);
    const versions = published.map((p) => p.json().currentVersion.version).sort();
    expect(versions).toEqual([2, 3, 4, 5]);
  });
});

describe('the printable copy', () => {
  it('is a PDF of the signed text with the signature block and the hash, for staff and the patient', async () => {
    const { general } = await ensureTemplates();
    const { patient, self } = await newPatient({ givenName: 'Lucía', familyName: 'Valdés' });
    const signature = (await sign(self, general.currentVersion.id, 'Lucia Valdes')).json();
    await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${signature.id}/countersignature`,
    });
    const staffCopy = await as(
      app,
      frontDesk,
    )({
      method: 'GET',
      url: `/api/v1/patients/${patient.id}/consents/${signature.id}/document`,
    });
    expect(staffCopy.statusCode).toBe(200);
    expect(staffCopy.headers['content-type']).toBe('application/pdf');
    expect(staffCopy.headers['cache-control']).toBe('no-store');
    expect(staffCopy.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(staffCopy.rawPayload.subarray(-8).toString('latin1')).toContain('%%EOF');
    const text = pdfText(staffCopy.rawPayload);
    expect(text).toContain(signature.textSha256);
    expect(text).toContain('Lucia Valdes');
    expect(text).toContain(
      'I, Lucía Valdés, agree to ketamine-assisted psychotherapy at Cedar Consent Clinic.',
    );
    expect(text).toContain('Nia Nurse, RN');
    expect(text).toContain('The signed text reproduced above matches this hash.');

    const ownCopy = await self({ method: 'GET', url: `/api/v1/me/consents/${signature.id}/document` });
    expect(ownCopy.statusCode).toBe(200);
    expect(pdfText(ownCopy.rawPayload)).toContain(signature.textSha256);
  });
});

describe('boundaries', () => {
  it('answers 404 for another patient’s consent and for another clinic', async () => {
    const { general } = await ensureTemplates();
    const a = await newPatient({ givenName: 'Keiko', familyName: 'Fujita' });
    const b = await newPatient({ givenName: 'Felix', familyName: 'Moreau' });
    const signature = (await sign(a.self, general.currentVersion.id, 'Keiko Fujita')).json();

    // Patient B cannot see, print or withdraw patient A's signature.
    expect(
      (await b.self({ method: 'GET', url: `/api/v1/me/consents/${signature.id}/document` })).statusCode,
    ).toBe(404);
    const withdraw = await b.self({
      method: 'POST',
      url: `/api/v1/me/consents/${signature.id}/withdrawal`,
      payload: {},
    });
    expect(withdraw.statusCode).toBe(404);
    expect((await b.self({ method: 'GET', url: '/api/v1/me/consents' })).json().signatures).toEqual([]);
    // Nor reuse its id: a "retry" of someone else's signature is a clash, not a replay of their data.
    const shownToB = (
      await b.self({ method: 'GET', url: `/api/v1/me/consents/${general.currentVersion.id}` })
    ).json();
    const clash = await b.self({
      method: 'POST',
      url: `/api/v1/me/consents/${general.currentVersion.id}/signatures`,
      payload: { id: signature.id, typedName: 'Felix Moreau', agreed: true, textSha256: shownToB.textSha256 },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.body).not.toContain('Keiko');
    // Staff reach a signature only through the patient it belongs to.
    const wrongChart = await as(
      app,
      prescriber,
    )({
      method: 'GET',
      url: `/api/v1/patients/${b.patient.id}/consents/${signature.id}/document`,
    });
    expect(wrongChart.statusCode).toBe(404);

    for (const request of [
      { method: 'GET' as const, url: `/api/v1/patients/${a.patient.id}/consents` },
      {
        method: 'POST' as const,
        url: `/api/v1/patients/${a.patient.id}/consents/${signature.id}/countersignature`,
      },
      { method: 'GET' as const, url: `/api/v1/patients/${a.patient.id}/consents/${signature.id}/document` },
      {
        method: 'POST' as const,
        url: `/api/v1/patients/${a.patient.id}/consents/${signature.id}/withdrawal`,
        payload: { reason: 'Not my patient' },
      },
    ]) {
      const response = await as(app, foreignPrescriber)(request);
      expect(response.statusCode, request.url).toBe(404);
      expect(response.body).not.toContain('Keiko');
    }
    // Nothing of it changed.
    const chart = (
      await as(app, prescriber)({ method: 'GET', url: `/api/v1/patients/${a.patient.id}/consents` })
    ).json();
    expect(chart.signatures[0]).toMatchObject({ countersignature: null, withdrawal: null });
  });

  it('refuses roles without the permission, and staff on the portal routes', async () => {
    const { general } = await ensureTemplates();
    const { patient } = await newPatient({ givenName: 'Rosa', familyName: 'Santos' });
    expect(
      (await as(app, researcher)({ method: 'GET', url: `/api/v1/patients/${patient.id}/consents` }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await as(
          app,
          prescriber,
        )({
          method: 'POST',
          url: '/api/v1/consent-templates',
          payload: { kind: 'recording', title: 'Recording', required: false, body: generalBody },
        })
      ).statusCode,
    ).toBe(403);
    expect((await as(app, prescriber)({ method: 'GET', url: '/api/v1/me/consents' })).statusCode).toBe(403);
    expect(
      (await as(app, nurse)({ method: 'GET', url: `/api/v1/me/consents/${general.currentVersion.id}` }))
        .statusCode,
    ).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/consents' })).statusCode).toBe(401);
  });
});

describe('the record', () => {
  it('writes an audit event for each change and each read of a patient’s consent', async () => {
    const { general } = await ensureTemplates();
    const { patient, self } = await newPatient({ givenName: 'Hannah', familyName: 'Lindqvist' });
    const signature = (await sign(self, general.currentVersion.id, 'Hannah Lindqvist')).json();
    await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${signature.id}/countersignature`,
    });
    await as(app, prescriber)({ method: 'GET', url: `/api/v1/patients/${patient.id}/consents` });
    await as(
      app,
      prescriber,
    )({
      method: 'GET',
      url: `/api/v1/patients/${patient.id}/consents/${signature.id}/document`,
    });
    await self({
      method: 'POST',
      url: `/api/v1/me/consents/${signature.id}/withdrawal`,
      payload: { reason: 'Moved' },
    });
    const events = await database.db
      .select({ action: auditEvent.action, resourceId: auditEvent.resourceId })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.patientId, patient.id)))
      .orderBy(auditEvent.sequence);
    expect(events.map((e) => e.action)).toEqual([
      'consent.text.read',
      'consent.sign',
      'consent.countersign',
      'consent.list',
      'consent.document.read',
      'consent.withdraw',
    ]);
    expect(events.find((e) => e.action === 'consent.sign')!.resourceId).toBe(signature.id);
    const publish = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.action, 'consent-template.create')));
    expect(publish.length).toBeGreaterThanOrEqual(2);
  });

  it('is append-only in the database: signatures, versions, countersignatures and withdrawals', async () => {
    const { general } = await ensureTemplates();
    const { patient, self } = await newPatient({ givenName: 'Samuel', familyName: 'Petrov' });
    const signature = (await sign(self, general.currentVersion.id, 'Samuel Petrov')).json();
    await as(
      app,
      nurse,
    )({
      method: 'POST',
      url: `/api/v1/patients/${patient.id}/consents/${signature.id}/countersignature`,
    });
    const bare = await self({ method: 'POST', url: `/api/v1/me/consents/${signature.id}/withdrawal` });
    expect(bare.statusCode, bare.body).toBe(201);
    const db = database.db;
    const statements = [
      sql`UPDATE consent_signature SET typed_name = 'Someone Else' WHERE id = ${signature.id}`,
      sql`DELETE FROM consent_signature WHERE id = ${signature.id}`,
      sql`UPDATE consent_template_version SET body = 'rewritten' WHERE id = ${general.currentVersion.id}`,
      sql`DELETE FROM consent_template_version WHERE id = ${general.currentVersion.id}`,
      sql`UPDATE consent_countersignature SET countersigner_name = 'x' WHERE signature_id = ${signature.id}`,
      sql`DELETE FROM consent_countersignature WHERE signature_id = ${signature.id}`,
      sql`UPDATE consent_withdrawal SET reason = 'x' WHERE signature_id = ${signature.id}`,
      sql`DELETE FROM consent_withdrawal WHERE signature_id = ${signature.id}`,
      sql`DELETE FROM consent_template WHERE id = ${general.id}`,
    ];
    for (const statement of statements)
      expect(await databaseError(db.execute(statement))).toContain('append-only');
    const kept = await db.execute(sql`SELECT typed_name FROM consent_signature WHERE id = ${signature.id}`);
    expect((kept as unknown as { rows: { typed_name: string }[] }).rows).toEqual([
      { typed_name: 'Samuel Petrov' },
    ]);
  });
});
