import { randomUUID } from 'node:crypto';
import { daysBetween, shiftDay } from '@kapstone/clinical';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { loadConfig } from '../../config.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import {
  adverseEvent,
  auditEvent,
  consentSignature,
  consentTemplate,
  consentTemplateVersion,
  consentWithdrawal,
  observation,
  patientCondition,
  patientVersion,
  questionnaireResponse,
  researchExportSubject,
  rideHomeConfirmation,
  vitalSigns,
} from '../../db/schema/index.ts';
import type { PatientDemographics } from '../../db/schema/patients.ts';
import { JobRunner } from '../../jobs/runner.ts';
import type { JobEnvironment } from '../../jobs/types.ts';
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
import { localParts } from '../scheduling/clinic-time.ts';
import { createDosingSession } from '../session-safety/session.fixture.ts';
import { exportColumns } from './research-export.build.ts';
import { createResearchExportHandler } from './research-export.service.ts';

/*
 * The acceptance test of issue 6: patients with every identifier filled with distinctive values, some with
 * research consent, one withdrawn, one who never consented; the export is built by the job runner, and every
 * cell of every file is checked against every column of the patient table, its versions, the patients'
 * accounts and contacts, read generically (SELECT *).
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let runner: JobRunner;
let jobEnv: JobEnvironment;
const clock = new ManualClock('2026-11-20T15:00:00Z');
let clinicId: string;
let timeZone: string;
let researcher: SignedIn;
let admin: SignedIn;
let prescriber: SignedIn;
let foreignResearcher: SignedIn;
const consented: string[] = [];
let withdrawnId: string;
let neverId: string;
let nonagenarianId: string;
let turnsNinetyId: string;
let fortySevenId: string;
const firstDoseDay = new Map<string, string>();

const psychotherapySentence =
  'Zebulon spoke of the lighthouse keeper Amaryllis Thistlewood and the red kite.';
const freeTexts = [
  psychotherapySentence,
  'Condition noted by Dr Quenby at the Quillhaven walk-in, 4 Larkspur Mews',
  'Vitals taken while the patient described the Harrowgate bakery',
  'Patient felt faint near the Thistlewood orchard; lay down',
  'Gave water, reassured; called Ignatius Escortley',
];

interface Person {
  demographics: Partial<PatientDemographics>;
  consent: 'signed' | 'withdrawn' | 'never' | 'withdrawn-then-signed';
  dose: string;
}

const people: Person[] = [
  {
    demographics: {
      givenName: 'Zebulon',
      familyName: 'Quixmore',
      preferredName: 'Zebbo',
      dateOfBirth: '1931-02-03',
      sexAtBirth: 'male',
      genderIdentity: 'Quillgender',
      pronouns: 'ze/zir',
      email: 'zebulon.quixmore@mailbox.example',
      phone: '617-555-0142',
      address: {
        line1: '42 Quixmore Lane',
        line2: 'Apartment 7B',
        city: 'Quillhaven',
        region: 'Vermont',
        postalCode: '05401',
        country: 'US',
      },
      emergencyContact: { name: 'Octavia Quixmore', relationship: 'daughter', phone: '802-555-0199' },
    },
    consent: 'signed',
    dose: '2026-10-05T14:00:00Z',
  },
  {
    demographics: {
      givenName: 'Philippa',
      familyName: 'Wrenfield',
      preferredName: 'Pippa',
      dateOfBirth: '1979-07-21',
      sexAtBirth: 'female',
      genderIdentity: 'Woman-Wrenish',
      pronouns: 'she/her',
      email: 'pippa.wrenfield@postbox.example',
      phone: '(413) 555-0177',
      address: {
        line1: '9 Harrowgate Close',
        line2: null,
        city: 'Marblethorpe',
        region: 'Massachusetts',
        postalCode: '01060',
        country: 'US',
      },
      emergencyContact: { name: 'Barnaby Wrenfield', relationship: 'husband', phone: '413-555-0123' },
    },
    consent: 'withdrawn-then-signed',
    dose: '2026-10-12T15:30:00Z',
  },
  {
    demographics: {
      givenName: 'Octavian',
      familyName: 'Brumblethorpe',
      dateOfBirth: '1990-12-30',
      sexAtBirth: 'intersex',
      email: 'octavian.b@letters.example',
      phone: '207-555-0111',
      address: {
        line1: '1 Brumble Row',
        city: 'Fernwick',
        region: 'Maine',
        postalCode: '04101',
        country: 'US',
      },
      emergencyContact: { name: 'Cressida Brumblethorpe', relationship: 'sister', phone: '207-555-0112' },
    },
    consent: 'withdrawn',
    dose: '2026-10-07T13:00:00Z',
  },
  {
    demographics: {
      givenName: 'Marigold',
      familyName: 'Fentiman',
      dateOfBirth: '1968-04-09',
      sexAtBirth: 'female',
      email: 'marigold.fentiman@inbox.example',
      phone: '603-555-0190',
      address: {
        line1: '77 Fentiman Square',
        city: 'Ashbourne',
        region: 'New Hampshire',
        postalCode: '03301',
        country: 'US',
      },
      emergencyContact: { name: 'Rupert Fentiman', relationship: 'son', phone: '603-555-0191' },
    },
    consent: 'never',
    dose: '2026-10-09T16:00:00Z',
  },
  {
    // 89 at the first dose, 90 on 2026-10-15: the score two weeks after the dose is given at 90.
    demographics: {
      givenName: 'Euphemia',
      familyName: 'Nightingale-Roe',
      dateOfBirth: '1936-10-15',
      sexAtBirth: 'female',
      email: 'euphemia.nr@paper.example',
      phone: '802-555-0133',
      address: {
        line1: '5 Cobble Wynd',
        city: 'Grantleigh',
        region: 'Vermont',
        postalCode: '05201',
        country: 'US',
      },
      emergencyContact: { name: 'Tobias Nightingale', relationship: 'nephew', phone: '802-555-0134' },
    },
    consent: 'signed',
    dose: '2026-10-10T14:00:00Z',
  },
];

/** A scored PHQ-9 response and its total observation (the rows the measures service writes). */
async function insertPhq9Total(patientId: string, accountId: string, at: Date, total: number, band: string) {
  const responseId = randomUUID();
  await database.db.insert(questionnaireResponse).values({
    id: responseId,
    clinicId,
    patientId,
    instrument: 'phq9',
    answers: [2, 2, 2, 2, 2, 2, 2, 2, 0],
    score: { instrument: 'phq9', total, band, complete: true, flags: [] },
    scoreContext: {},
    source: 'patient',
    enteredBy: accountId,
    authoredAt: at,
  });
  await database.db.insert(observation).values({
    id: randomUUID(),
    clinicId,
    patientId,
    responseId,
    instrument: 'phq9',
    key: 'total',
    codeSystem: 'http://loinc.org',
    code: '44261-6',
    display: 'PHQ-9 total score',
    value: total,
    band,
    effectiveAt: at,
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database, clock);
  const home = await createClinic(database.db, {
    name: 'Quillhaven Ketamine Clinic',
    settings: { crisisPhone: '802-555-0166' },
  });
  clinicId = home.id;
  timeZone = home.timeZone;
  const foreign = await createClinic(database.db, { name: 'Elsewhere' });
  // Staff with distinctive names: a staff name is an identifier a file must not carry either.
  const nurse = await createStaffUser(database.db, clinicId, ['nurse'], {
    displayName: 'Ottoline Brackenbury RN',
  });
  const therapistUser = await createStaffUser(database.db, clinicId, ['therapist'], {
    displayName: 'Dr Leofric Amberwell',
  });
  const adminUser = await createStaffUser(database.db, clinicId, ['admin']);
  researcher = await signIn(app, (await createStaffUser(database.db, clinicId, ['researcher'])).email);
  admin = await signIn(app, adminUser.email);
  prescriber = await signIn(app, (await createStaffUser(database.db, clinicId, ['prescriber'])).email);
  foreignResearcher = await signIn(
    app,
    (await createStaffUser(database.db, foreign.id, ['researcher'])).email,
  );
  const therapist = await signIn(app, therapistUser.email);

  // The research consent form.
  const templateId = randomUUID();
  const versionId = randomUUID();
  await database.db.insert(consentTemplate).values({
    id: templateId,
    clinicId,
    kind: 'research',
    title: 'Research use of de-identified data',
    required: false,
    routes: [],
    createdAt: new Date('2026-01-01T00:00:00Z'),
    createdBy: adminUser.id,
  });
  await database.db.insert(consentTemplateVersion).values({
    id: versionId,
    clinicId,
    templateId,
    version: 1,
    title: 'Research use of de-identified data',
    body: 'I, {{patientName}}, agree.',
    publishedAt: new Date('2026-01-01T00:00:00Z'),
    publishedBy: adminUser.id,
  });

  for (const person of people) {
    const p = await createPatient(database.db, clinicId, person.demographics);
    const account = await createPatientUser(database.db, clinicId, p.id);
    // An older version of the demographics, with other distinctive values (a former address and phone).
    await database.db.insert(patientVersion).values({
      clinicId,
      patientId: p.id,
      version: 1,
      demographics: {
        ...(person.demographics as PatientDemographics),
        familyName: `${person.demographics.familyName}-Formerly`,
        phone: '999-555-0100',
        address: {
          line1: `3 Old ${person.demographics.familyName} Yard`,
          city: 'Oldcastleford',
          region: 'Vermont',
          postalCode: '05602',
          country: 'US',
        },
      },
      supersededAt: new Date('2026-02-14T10:00:00Z'),
      changedFields: ['familyName', 'phone', 'address'],
    });
    const sign = async (at: string) => {
      const id = randomUUID();
      await database.db.insert(consentSignature).values({
        id,
        clinicId,
        patientId: p.id,
        templateVersionId: versionId,
        signedBy: account.id,
        typedName: `${person.demographics.givenName} ${person.demographics.familyName}`,
        agreed: true,
        signedAt: new Date(at),
        ip: '203.0.113.77',
        userAgent: 'Mozilla/5.0 QuixBrowser/9.9',
        renderedText: `I, ${person.demographics.givenName} ${person.demographics.familyName}, agree.`,
        textSha256: 'a'.repeat(64),
      });
      return id;
    };
    const withdraw = async (signatureId: string, at: string) =>
      database.db.insert(consentWithdrawal).values({
        id: randomUUID(),
        clinicId,
        signatureId,
        recordedBy: account.id,
        recordedByKind: 'patient',
        withdrawnAt: new Date(at),
        reason: `${person.demographics.givenName} changed their mind`,
      });
    if (person.consent === 'signed') await sign('2026-03-01T12:00:00Z');
    if (person.consent === 'withdrawn')
      await withdraw(await sign('2026-03-01T12:00:00Z'), '2026-03-10T12:00:00Z');
    if (person.consent === 'withdrawn-then-signed') {
      await withdraw(await sign('2026-03-01T12:00:00Z'), '2026-03-05T12:00:00Z');
      await sign('2026-03-12T12:00:00Z');
    }
    if (person.consent === 'signed' || person.consent === 'withdrawn-then-signed') consented.push(p.id);
    if (person.consent === 'withdrawn') withdrawnId = p.id;
    if (person.consent === 'never') neverId = p.id;
    if (person.demographics.dateOfBirth === '1931-02-03') nonagenarianId = p.id;
    if (person.demographics.dateOfBirth === '1936-10-15') turnsNinetyId = p.id;
    if (person.demographics.dateOfBirth === '1979-07-21') fortySevenId = p.id;

    // Free text in the chart: a condition's note.
    await database.db.insert(patientCondition).values({
      id: randomUUID(),
      clinicId,
      patientId: p.id,
      icd10: 'F33.2',
      description: 'Major depressive disorder, recurrent, severe',
      note: freeTexts[1],
      recordedAt: new Date('2026-04-01T10:00:00Z'),
    });
    // A dosing session with two doses, vitals (with a note), sedation and dissociation, an adverse event and
    // a discharge with an escort's name; a ride home with the escort's phone.
    const session = await createDosingSession(database.db, {
      clinicId,
      patientId: p.id,
      staffId: nurse.id,
      product: 'ketamine-racemic',
      route: 'im',
      dosingStartedAt: person.dose,
      dischargedAfterMinutes: 125,
    });
    firstDoseDay.set(p.id, localParts(new Date(person.dose), timeZone).date);
    await session.administer(0, 35, `LOT-${person.demographics.familyName}`);
    await session.administer(40, 17.5, `LOT-${person.demographics.familyName}`);
    await session.vitals(15, 152, 91, { spo2: 95 });
    await database.db.insert(vitalSigns).values({
      id: randomUUID(),
      clinicId,
      patientId: p.id,
      context: 'session',
      sessionId: session.id,
      systolic: 138,
      diastolic: 84,
      heartRate: 80,
      spo2: 97,
      measuredAt: session.at(60),
      recordedAt: session.at(60),
      recordedBy: nurse.id,
      note: freeTexts[2],
    });
    await session.moaas(20, 3);
    await session.cadss6(30, [2, 1, 1, 0, 2, 1]);
    const eventId = randomUUID();
    await database.db.insert(adverseEvent).values({
      id: eventId,
      clinicId,
      sessionId: session.id,
      patientId: p.id,
      seriesId: eventId,
      version: 1,
      category: 'nausea-vomiting',
      severity: 'mild',
      serious: false,
      description: freeTexts[3]!,
      actionTaken: freeTexts[4]!,
      outcome: 'resolved',
      onsetAt: session.at(50),
      recordedBy: nurse.id,
      recordedAt: session.at(55),
    });
    await session.discharge(`${person.demographics.emergencyContact?.name ?? 'Robin'} (escort)`);
    await database.db.insert(rideHomeConfirmation).values({
      id: randomUUID(),
      clinicId,
      appointmentId: session.appointmentId,
      patientId: p.id,
      status: 'confirmed',
      escortName: person.demographics.emergencyContact?.name ?? 'Robin',
      escortPhone: person.demographics.emergencyContact?.phone ?? null,
      escortRelationship: 'family',
      confirmedBy: nurse.id,
      confirmedAt: new Date('2026-01-15T12:00:00Z'),
      clientId: randomUUID(),
    });
    // PHQ-9 totals: a baseline the week before the first dose, and two weeks after.
    for (const [at, total, band] of [
      [new Date(new Date(person.dose).getTime() - 6 * 86_400_000), 19, 'moderately-severe'],
      [new Date(new Date(person.dose).getTime() + 14 * 86_400_000), 8, 'mild'],
    ] as const) {
      await insertPhq9Total(p.id, account.id, at, total, band);
    }
    // A psychotherapy note through its own route (sealed, author-only).
    const note = await as(
      app,
      therapist,
    )({
      method: 'POST',
      url: '/api/v1/psychotherapy-notes',
      payload: {
        id: randomUUID(),
        patientId: p.id,
        appointmentId: session.appointmentId,
        body: psychotherapySentence,
      },
    });
    expect(note.statusCode, note.body).toBe(201);
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: '/nonexistent-kapstone-web',
  });
  jobEnv = { database: database.db, clock, config, log: { info() {}, warn() {}, error() {} } };
  runner = new JobRunner(jobEnv, [createResearchExportHandler()], []);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

const exportRequest = {
  instruments: ['phq9'],
  from: '2026-09-01',
  to: '2026-11-19',
  formats: ['csv', 'ndjson'],
};

async function buildExport(): Promise<{ id: string; files: Record<string, string> }> {
  const created = await as(
    app,
    researcher,
  )({ method: 'POST', url: '/api/v1/research/exports', payload: exportRequest });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect(created.json().status).toBe('queued');
  await runner.runOnce();
  const ready = (await as(app, researcher)({ method: 'GET', url: `/api/v1/research/exports/${id}` })).json();
  expect(ready.status).toBe('ready');
  const files: Record<string, string> = {};
  for (const name of [
    'patients.csv',
    'observations.csv',
    'sessions.csv',
    'data-dictionary.csv',
    'bundle.ndjson',
  ]) {
    const download = await as(
      app,
      researcher,
    )({ method: 'GET', url: `/api/v1/research/exports/${id}/files/${name}` });
    expect(download.statusCode, name).toBe(200);
    files[name] = download.body;
  }
  return { id, files };
}

/** A minimal RFC 4180 reader (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let cell = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r') continue;
    else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

function leaves(value: unknown, out: unknown[] = [], skipKeys: ReadonlySet<string> = new Set()): unknown[] {
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) if (!skipKeys.has(k)) leaves(v, out, skipKeys);
  } else out.push(value);
  return out;
}

/** Inside JSON columns: the sex (a version's demographics, exported by design) and the clinic's care scope setting are not identifiers. */
const describingKeys = new Set(['sexAtBirth', 'careScope']);

const rowsOf = async (query: ReturnType<typeof sql>) =>
  (await database.db.execute(query)) as unknown as { rows: Record<string, unknown>[] };

/** Every cell of every exported file, with where it came from. */
function cellsOf(files: Record<string, string>): { where: string; value: string }[] {
  const cells: { where: string; value: string }[] = [];
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('.csv')) {
      const [header, ...rows] = parseCsv(content);
      for (const row of rows)
        for (const [i, value] of row.entries()) cells.push({ where: `${name}:${header![i]}`, value });
    } else {
      for (const line of content.trim().split('\n'))
        for (const value of leaves(JSON.parse(line))) cells.push({ where: name, value: String(value) });
    }
  }
  return cells;
}

describe('research export: no identifier leaves Kapstone', () => {
  let built: { id: string; files: Record<string, string> };
  beforeAll(async () => {
    built = await buildExport();
  }, 120_000);

  it('contains only the patients whose research consent stands', async () => {
    const patients = parseCsv(built.files['patients.csv']!);
    expect(patients.length - 1).toBe(consented.length);
    const bundlePatients = built.files['bundle.ndjson']!.trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.resourceType === 'Patient');
    expect(bundlePatients).toHaveLength(consented.length);
    const key = await database.db
      .select()
      .from(researchExportSubject)
      .where(and(eq(researchExportSubject.clinicId, clinicId), eq(researchExportSubject.exportId, built.id)));
    expect(key.map((k) => k.patientId).sort()).toEqual([...consented].sort());
    expect(key.map((k) => k.patientId)).not.toContain(withdrawnId);
    expect(key.map((k) => k.patientId)).not.toContain(neverId);
    const view = (
      await as(app, researcher)({ method: 'GET', url: `/api/v1/research/exports/${built.id}` })
    ).json();
    expect(view.patientCount).toBe(consented.length);
    expect(view.rowCounts['observations.csv']).toBe(consented.length * 2);
    expect(view.rowCounts['sessions.csv']).toBe(consented.length);
  });

  it('no cell of any file equals or contains any value of any column of the patients, their versions, accounts and contacts', async () => {
    // Read generically: every column of every row, JSON columns down to their leaves.
    const sources = [
      ['patient', await rowsOf(sql`SELECT * FROM patient WHERE clinic_id = ${clinicId}`)],
      ['patient_version', await rowsOf(sql`SELECT * FROM patient_version WHERE clinic_id = ${clinicId}`)],
      [
        'user_account',
        await rowsOf(
          sql`SELECT * FROM user_account WHERE clinic_id = ${clinicId} AND patient_id IS NOT NULL`,
        ),
      ],
      [
        'ride_home_confirmation',
        await rowsOf(sql`SELECT * FROM ride_home_confirmation WHERE clinic_id = ${clinicId}`),
      ],
      ['consent_signature', await rowsOf(sql`SELECT * FROM consent_signature WHERE clinic_id = ${clinicId}`)],
      ['session_discharge', await rowsOf(sql`SELECT * FROM session_discharge WHERE clinic_id = ${clinicId}`)],
      // Less obvious identifiers: the clinic (name, slug, phone), the staff (names, e-mails) and the
      // lot numbers of the doses given.
      ['clinic', await rowsOf(sql`SELECT * FROM clinic WHERE id = ${clinicId}`)],
      [
        'staff',
        await rowsOf(sql`SELECT * FROM user_account WHERE clinic_id = ${clinicId} AND patient_id IS NULL`),
      ],
      [
        'dose_administration',
        await rowsOf(sql`SELECT * FROM dose_administration WHERE clinic_id = ${clinicId}`),
      ],
    ] as const;
    // Columns that describe rather than identify, exported by design or bookkeeping values every row shares.
    const notIdentifiers = new Set([
      'patient.sex_at_birth',
      'patient.version',
      'patient_version.version',
      'patient_version.changed_fields',
      'user_account.kind',
      'ride_home_confirmation.status',
      'consent_signature.agreed',
      'session_discharge.ready',
      'session_discharge.instructions_given',
      'session_discharge.unmet',
      'session_discharge.readiness_input',
      'clinic.time_zone',
      'staff.kind',
      // The dose as exported by design (product, route, mg); the calculation repeats the same numbers.
      'dose_administration.sequence',
      'dose_administration.product',
      'dose_administration.route',
      'dose_administration.dose_mg',
      'dose_administration.concentration',
      'dose_administration.concentration_unit',
      'dose_administration.volume_ml',
      'dose_administration.quantity',
      'dose_administration.calculation',
    ]);
    // Events of the record (not demographic dates): their shifts are checked below.
    const eventTables = new Set(['session_discharge', 'dose_administration', 'staff', 'clinic']);
    const needles = new Set<string>();
    const dates = new Set<string>();
    let columnsRead = 0;
    for (const [table, { rows }] of sources) {
      expect(rows.length, table).toBeGreaterThan(0);
      for (const row of rows)
        for (const [column, value] of Object.entries(row)) {
          columnsRead++;
          if (notIdentifiers.has(`${table}.${column}`)) continue;
          for (const leaf of leaves(value, [], describingKeys)) {
            if (leaf === null || leaf === undefined || typeof leaf === 'boolean') continue;
            // Counters (a version, failed sign-ins) are not identifiers; a long number would be.
            if (typeof leaf === 'number' && String(leaf).length < 4) continue;
            if (leaf instanceof Date) {
              // A discharge is an event of the record, not a demographic date: shifts are checked below.
              if (eventTables.has(table)) continue;
              dates.add(leaf.toISOString().slice(0, 10));
              dates.add(localParts(leaf, timeZone).date);
              continue;
            }
            const text = String(leaf).trim().toLowerCase();
            if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
              if (!eventTables.has(table)) dates.add(text.slice(0, 10));
              continue;
            }
            if (text.length > 0) needles.add(text);
            const digits = text.replace(/\D/g, '');
            if (digits.length >= 7) needles.add(digits);
          }
        }
    }
    expect(columnsRead).toBeGreaterThan(100);
    expect(dates.has('1931-02-03')).toBe(true);
    for (const expected of [
      'zebulon',
      'quixmore',
      '617-555-0142',
      '6175550142',
      '05401',
      '203.0.113.77',
      'quillhaven ketamine clinic',
      '802-555-0166',
      'ottoline brackenbury rn',
      'lot-quixmore',
    ]) {
      expect(
        [...needles].some((n) => n === expected || n.includes(expected)),
        expected,
      ).toBe(true);
    }
    const cells = cellsOf(built.files);
    expect(cells.length).toBeGreaterThan(100);
    const leaks: string[] = [];
    for (const { where, value } of cells) {
      const text = value.trim().toLowerCase();
      if (text.length === 0) continue;
      for (const needle of needles) {
        // Short values (a country code, an initial) are compared whole; longer ones also inside a cell.
        if (text === needle || (needle.length >= 4 && text.includes(needle)))
          leaks.push(`${where}: ${needle}`);
      }
      for (const date of dates) if (text.includes(date)) leaks.push(`${where}: date ${date}`);
    }
    expect(leaks).toEqual([]);
  });

  it('carries no database id of any kind (patient, session, dose, response, staff, clinic): no UUID in any cell', () => {
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    const cells = cellsOf(built.files);
    expect(cells.length).toBeGreaterThan(100);
    expect(cells.filter((c) => uuid.test(c.value)).map((c) => `${c.where}: ${c.value}`)).toEqual([]);
    // Nor inside the NDJSON's keys or references.
    expect(built.files['bundle.ndjson']).not.toMatch(uuid);
  });

  it('exports no free text: the psychotherapy note and every note, reason and description appear nowhere', () => {
    const everything = Object.values(built.files).join('\n').toLowerCase();
    for (const text of freeTexts) {
      expect(everything).not.toContain(text.toLowerCase());
    }
    for (const name of [
      'amaryllis',
      'thistlewood',
      'quenby',
      'quillhaven',
      'larkspur',
      'harrowgate',
      'escortley',
    ])
      expect(everything, name).not.toContain(name);
    expect(everything).not.toContain('lot-');
    expect(everything).not.toContain('escort');
  });

  it('gives dates only as days since the first dose and as dates shifted per patient (never by 0)', async () => {
    const key = await database.db
      .select()
      .from(researchExportSubject)
      .where(and(eq(researchExportSubject.clinicId, clinicId), eq(researchExportSubject.exportId, built.id)));
    const byResearchId = new Map(key.map((k) => [k.researchId, k]));
    let checked = 0;
    for (const name of ['observations.csv', 'sessions.csv']) {
      const [header, ...rows] = parseCsv(built.files[name]!);
      const col = (n: string) => header!.indexOf(n);
      for (const row of rows) {
        const subject = byResearchId.get(row[col('research_id')]!)!;
        expect(subject.shiftDays).not.toBe(0);
        const realDay = shiftDay(firstDoseDay.get(subject.patientId)!, Number(row[col('day')]));
        expect(row[col('shifted_date')]).toBe(shiftDay(realDay, subject.shiftDays));
        expect(row[col('shifted_date')]).not.toBe(realDay);
        checked++;
      }
    }
    expect(checked).toBe(consented.length * 3);
    const [header, ...obs] = parseCsv(built.files['observations.csv']!);
    expect(obs.map((r) => Number(r[header!.indexOf('day')])).sort((a, b) => a - b)).toEqual(
      consented.flatMap(() => [-6, 14]).sort((a, b) => a - b),
    );
    // The FHIR resources carry the same shifted dates and relative days.
    for (const line of built.files['bundle.ndjson']!.trim().split('\n')) {
      const resource = JSON.parse(line);
      expect(resource.birthDate).toBeUndefined();
      if (resource.resourceType === 'Patient') continue;
      const subject = byResearchId.get(resource.subject.reference.replace('Patient/', ''))!;
      const day = resource.extension[0].valueInteger as number;
      const realDay = shiftDay(firstDoseDay.get(subject.patientId)!, day);
      expect(resource.effectiveDateTime).toBe(shiftDay(realDay, subject.shiftDays));
      expect(daysBetween(realDay, resource.effectiveDateTime)).toBe(subject.shiftDays);
    }
  });

  it('groups ages over 89 (on day zero or any later exported day) as "90+" and gives the others in whole years at the first dose', async () => {
    const key = await database.db
      .select()
      .from(researchExportSubject)
      .where(and(eq(researchExportSubject.clinicId, clinicId), eq(researchExportSubject.exportId, built.id)));
    const [header, ...rows] = parseCsv(built.files['patients.csv']!);
    const ages = new Map(rows.map((r) => [r[0], r[header!.indexOf('age_at_day_zero')]]));
    const nonagenarian = key.find((k) => k.patientId === nonagenarianId)!;
    expect(ages.get(nonagenarian.researchId)).toBe('90+');
    const other = key.find((k) => k.patientId === fortySevenId)!;
    expect(ages.get(other.researchId)).toBe('47');
    // 89 at the first dose and 90 at a later exported score: an exact 89 would give away an age over 89.
    const turnsNinety = key.find((k) => k.patientId === turnsNinetyId)!;
    expect(ages.get(turnsNinety.researchId)).toBe('90+');
    for (const age of ages.values()) expect(age === '90+' || Number(age) <= 89).toBe(true);
    expect(built.files['bundle.ndjson']).toContain('"valueString":"90+"');
  });

  it('codes observations with LOINC and doses in mg, ids being research ids', () => {
    const resources = built.files['bundle.ndjson']!.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const observations = resources.filter((r) => r.resourceType === 'Observation');
    expect(observations).toHaveLength(consented.length * 2);
    expect(observations[0].code.coding).toEqual([{ system: 'http://loinc.org', code: '44261-6' }]);
    const doses = resources.filter((r) => r.resourceType === 'MedicationAdministration');
    expect(doses).toHaveLength(consented.length * 2);
    expect(doses.map((d) => d.dosage.dose.value).sort()).toEqual(consented.flatMap(() => [17.5, 35]).sort());
    for (const r of resources) expect(r.id).toMatch(/^R-[0-9A-Z]{10}(-(obs|dose)-[\d-]+)?$/);
  });

  it('describes every column of every CSV file in the data dictionary', () => {
    const [, ...dictionary] = parseCsv(built.files['data-dictionary.csv']!);
    for (const name of ['patients.csv', 'observations.csv', 'sessions.csv'] as const) {
      const [header] = parseCsv(built.files[name]!);
      expect(header).toEqual(exportColumns[name].map((c) => c.name));
      const described = dictionary.filter((d) => d[0] === name);
      expect(described.map((d) => d[1])).toEqual(header);
      for (const d of described) {
        expect(d[2], `${name} ${d[1]} type`).not.toBe('');
        expect(d[6], `${name} ${d[1]} de-identification`).not.toBe('');
      }
    }
    expect(dictionary.filter((d) => d[0] === 'bundle.ndjson').map((d) => d[1])).toEqual([
      'Patient',
      'Observation',
      'MedicationAdministration',
    ]);
  });

  it('audits create, build and download with counts, never with data', async () => {
    const events = await database.db
      .select({ action: auditEvent.action, detail: auditEvent.detail, patientId: auditEvent.patientId })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.resourceId, built.id)));
    const actions = events.map((e) => e.action);
    expect(actions).toContain('research-export.create');
    expect(actions).toContain('research-export.build');
    expect(actions.filter((a) => a === 'research-export.download')).toHaveLength(5);
    const written = JSON.stringify(events);
    for (const e of events) expect(e.patientId).toBeNull();
    expect(written).not.toMatch(/R-[0-9A-Z]{10}/);
    expect(written.toLowerCase()).not.toContain('quixmore');
  });
});

describe('research export routes', () => {
  it('lets researchers and admins ask for exports, and nobody else', async () => {
    const denied = await as(
      app,
      prescriber,
    )({ method: 'POST', url: '/api/v1/research/exports', payload: exportRequest });
    expect(denied.statusCode).toBe(403);
    expect((await as(app, prescriber)({ method: 'GET', url: '/api/v1/research/exports' })).statusCode).toBe(
      403,
    );
    const byAdmin = await as(
      app,
      admin,
    )({ method: 'POST', url: '/api/v1/research/exports', payload: exportRequest });
    expect(byAdmin.statusCode).toBe(201);
    const list = (await as(app, researcher)({ method: 'GET', url: '/api/v1/research/exports' })).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(byAdmin.json().id);
    const running = await as(
      app,
      researcher,
    )({
      method: 'GET',
      url: `/api/v1/research/exports/${byAdmin.json().id}/files/patients.csv`,
    });
    expect(running.statusCode).toBe(409);
  });

  it('says an export failed, rather than "not ready yet", when a file of a failed export is asked for', async () => {
    const created = await as(
      app,
      researcher,
    )({ method: 'POST', url: '/api/v1/research/exports', payload: exportRequest });
    const id = created.json().id as string;
    // The job gave up after its last attempt.
    await database.db.execute(
      sql`UPDATE background_job SET status = 'failed' WHERE clinic_id = ${clinicId} AND payload->>'exportId' = ${id}`,
    );
    const download = await as(
      app,
      researcher,
    )({ method: 'GET', url: `/api/v1/research/exports/${id}/files/patients.csv` });
    expect(download.statusCode).toBe(409);
    expect(download.body).toContain('could not be built');
    expect(download.body).not.toContain('not ready yet');
  });

  it('refuses the files of a ready export to staff who are not researchers or admins (403)', async () => {
    const { id } = await buildExport();
    for (const name of ['patients.csv', 'bundle.ndjson', 'data-dictionary.csv']) {
      const denied = await as(
        app,
        prescriber,
      )({ method: 'GET', url: `/api/v1/research/exports/${id}/files/${name}` });
      expect(denied.statusCode, name).toBe(403);
      expect(denied.body).not.toContain('R-');
    }
    expect(
      (await as(app, prescriber)({ method: 'GET', url: `/api/v1/research/exports/${id}` })).statusCode,
    ).toBe(403);
  });

  it('refuses a range that ends before it starts, unknown instruments and formats, and unknown file names', async () => {
    const post = (payload: object) =>
      as(
        app,
        researcher,
      )({ method: 'POST', url: '/api/v1/research/exports', payload: { ...exportRequest, ...payload } });
    const backwards = await post({ from: '2026-10-01', to: '2026-09-01' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].path).toBe('to');
    expect((await post({ instruments: ['phq99'] })).statusCode).toBe(400);
    expect((await post({ instruments: [] })).statusCode).toBe(400);
    expect((await post({ formats: ['xlsx'] })).statusCode).toBe(400);
    expect((await post({ extra: true })).statusCode).toBe(400);
    const id = randomUUID();
    expect(
      (await as(app, researcher)({ method: 'GET', url: `/api/v1/research/exports/${id}/files/mrn.csv` }))
        .statusCode,
    ).toBe(400);
    expect(
      (await as(app, researcher)({ method: 'GET', url: `/api/v1/research/exports/${id}` })).statusCode,
    ).toBe(404);
  });

  it('does no harm when its job runs again (a retry after the files were written)', async () => {
    const { id, files } = await buildExport();
    let reported = 0;
    await createResearchExportHandler().run(
      { id: randomUUID(), clinicId, kind: 'research-export', payload: { exportId: id }, attempt: 2 },
      jobEnv,
      async () => {
        reported++;
      },
    );
    expect(reported).toBe(0);
    const again = await as(
      app,
      researcher,
    )({ method: 'GET', url: `/api/v1/research/exports/${id}/files/patients.csv` });
    expect(again.body).toBe(files['patients.csv']);
    const key = await database.db
      .select()
      .from(researchExportSubject)
      .where(and(eq(researchExportSubject.clinicId, clinicId), eq(researchExportSubject.exportId, id)));
    expect(key).toHaveLength(consented.length);
    // A second export of the same patients draws new research ids: two exports cannot be joined on them.
    const second = await buildExport();
    const secondKey = await database.db
      .select()
      .from(researchExportSubject)
      .where(
        and(eq(researchExportSubject.clinicId, clinicId), eq(researchExportSubject.exportId, second.id)),
      );
    const firstIds = new Set(key.map((k) => k.researchId));
    expect(secondKey.filter((k) => firstIds.has(k.researchId))).toEqual([]);
  });

  it('leaves out a patient who withdraws research consent while the export is being built', async () => {
    const p = await createPatient(database.db, clinicId, { givenName: 'Rosalind', familyName: 'Midbuild' });
    const account = await createPatientUser(database.db, clinicId, p.id);
    const [version] = await database.db
      .select({ id: consentTemplateVersion.id })
      .from(consentTemplateVersion)
      .where(eq(consentTemplateVersion.clinicId, clinicId));
    const signatureId = randomUUID();
    await database.db.insert(consentSignature).values({
      id: signatureId,
      clinicId,
      patientId: p.id,
      templateVersionId: version!.id,
      signedBy: account.id,
      typedName: 'Rosalind Midbuild',
      agreed: true,
      signedAt: new Date('2026-03-01T12:00:00Z'),
      renderedText: 'I, Rosalind Midbuild, agree.',
      textSha256: 'b'.repeat(64),
    });
    await insertPhq9Total(p.id, account.id, new Date('2026-10-20T15:00:00Z'), 8, 'mild');
    const created = await as(
      app,
      researcher,
    )({ method: 'POST', url: '/api/v1/research/exports', payload: exportRequest });
    const id = created.json().id as string;
    // The withdrawal lands between the batches that read the facts and the transaction that writes the files.
    let withdrawn = false;
    await createResearchExportHandler().run(
      { id: randomUUID(), clinicId, kind: 'research-export', payload: { exportId: id }, attempt: 1 },
      jobEnv,
      async (progress) => {
        if (withdrawn || progress >= 100) return;
        withdrawn = true;
        await database.db.insert(consentWithdrawal).values({
          id: randomUUID(),
          clinicId,
          signatureId,
          recordedBy: account.id,
          recordedByKind: 'patient',
          withdrawnAt: clock.now(),
          reason: null,
        });
      },
    );
    expect(withdrawn).toBe(true);
    const view = (await as(app, researcher)({ method: 'GET', url: `/api/v1/research/exports/${id}` })).json();
    expect(view.status).toBe('ready');
    expect(view.patientCount).toBe(consented.length);
    const key = await database.db
      .select({ patientId: researchExportSubject.patientId })
      .from(researchExportSubject)
      .where(and(eq(researchExportSubject.clinicId, clinicId), eq(researchExportSubject.exportId, id)));
    expect(key.map((k) => k.patientId)).not.toContain(p.id);
    expect(key).toHaveLength(consented.length);
  });

  it("hides a clinic's exports from another clinic (404)", async () => {
    const { id } = await buildExport();
    const other = as(app, foreignResearcher);
    expect((await other({ method: 'GET', url: `/api/v1/research/exports/${id}` })).statusCode).toBe(404);
    expect(
      (await other({ method: 'GET', url: `/api/v1/research/exports/${id}/files/patients.csv` })).statusCode,
    ).toBe(404);
    expect((await other({ method: 'GET', url: '/api/v1/research/exports' })).json().items).toEqual([]);
  });

  it('lets only an admin delete the files; the record stays, the key goes, and it is audited', async () => {
    const { id } = await buildExport();
    const url = `/api/v1/research/exports/${id}/files`;
    expect((await as(app, researcher)({ method: 'DELETE', url })).statusCode).toBe(403);
    const deleted = await as(app, admin)({ method: 'DELETE', url });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(deleted.json().status).toBe('files-deleted');
    expect(deleted.json().files).toEqual([]);
    expect(deleted.json().patientCount).toBe(consented.length);
    expect((await as(app, admin)({ method: 'DELETE', url })).statusCode).toBe(200);
    const download = await as(app, researcher)({ method: 'GET', url: `${url}/patients.csv` });
    expect(download.statusCode).toBe(409);
    const key = await database.db
      .select()
      .from(researchExportSubject)
      .where(and(eq(researchExportSubject.clinicId, clinicId), eq(researchExportSubject.exportId, id)));
    expect(key).toEqual([]);
    const events = await database.db
      .select({ action: auditEvent.action, detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.clinicId, clinicId), eq(auditEvent.resourceId, id)));
    expect(events.filter((e) => e.action === 'research-export.files-delete')).toEqual([
      { action: 'research-export.files-delete', detail: { files: 5 } },
    ]);
  });
});
