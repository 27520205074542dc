import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import type { Clock } from '../clock.ts';
import { ManualClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import type { Role } from '../context.ts';
import type { DatabaseHandle, Db } from '../db/client.ts';
import type { ClinicSettings } from '../db/schema/clinic.ts';
import { careTeamMember, clinic, patient, roleAssignment, userAccount } from '../db/schema/index.ts';
import type { PatientDemographics } from '../db/schema/patients.ts';
import { searchNameOf } from '../modules/patients/patients.repository.ts';
import { hashPassword } from '../security/passwords.ts';

export const testPassword = 'correct horse battery staple';
let testPasswordHash: Promise<string> | null = null;
const passwordHash = () => {
  testPasswordHash ??= hashPassword(testPassword);
  return testPasswordHash;
};

let counter = 0;
const unique = () =>
  `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export async function createClinic(
  db: Db,
  overrides: Partial<{ name: string; settings: Partial<ClinicSettings> }> = {},
) {
  const row = {
    id: randomUUID(),
    slug: `clinic-${unique()}`,
    name: overrides.name ?? 'Test Clinic',
    timeZone: 'America/New_York',
    demo: false,
    settings: { mfaRequired: false, careScope: 'clinic' as const, ...overrides.settings },
    createdAt: new Date('2026-01-01T00:00:00Z'),
  };
  await db.insert(clinic).values(row);
  return row;
}

export async function createPatient(db: Db, clinicId: string, overrides: Partial<PatientDemographics> = {}) {
  const demographics: PatientDemographics = {
    givenName: 'Avery',
    familyName: `Testpatient${unique()}`,
    preferredName: null,
    dateOfBirth: '1985-04-12',
    sexAtBirth: 'female',
    genderIdentity: null,
    pronouns: null,
    email: null,
    phone: null,
    address: null,
    emergencyContact: null,
    ...overrides,
  };
  const now = new Date('2026-01-02T00:00:00Z');
  const row = {
    id: randomUUID(),
    clinicId,
    mrn: `T${unique()}`.slice(0, 32),
    ...demographics,
    searchName: searchNameOf(demographics),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(patient).values(row);
  return row;
}

export async function createStaffUser(
  db: Db,
  clinicId: string,
  roles: Role[],
  overrides: Partial<{ email: string; displayName: string }> = {},
) {
  const id = randomUUID();
  const email = overrides.email ?? `${roles.join('-') || 'staff'}-${unique()}@test.example`;
  await db.insert(userAccount).values({
    id,
    clinicId,
    email,
    displayName: overrides.displayName ?? `Test ${roles.join('/')}`,
    kind: 'staff',
    passwordHash: await passwordHash(),
    passwordChangedAt: new Date('2026-01-01T00:00:00Z'),
    createdAt: new Date('2026-01-01T00:00:00Z'),
  });
  if (roles.length > 0) {
    await db
      .insert(roleAssignment)
      .values(roles.map((role) => ({ clinicId, userId: id, role, grantedAt: new Date() })));
  }
  return { id, email, clinicId, roles };
}

export async function createPatientUser(db: Db, clinicId: string, patientId: string) {
  const id = randomUUID();
  const email = `patient-${unique()}@test.example`;
  await db.insert(userAccount).values({
    id,
    clinicId,
    email,
    displayName: 'Test Patient',
    kind: 'patient',
    patientId,
    passwordHash: await passwordHash(),
    passwordChangedAt: new Date('2026-01-01T00:00:00Z'),
    createdAt: new Date('2026-01-01T00:00:00Z'),
  });
  return { id, email, clinicId, patientId };
}

export async function assignCareTeam(
  db: Db,
  clinicId: string,
  patientId: string,
  userId: string,
  role: Role,
) {
  await db.insert(careTeamMember).values({ clinicId, patientId, userId, role, assignedAt: new Date() });
}

export async function buildTestApp(
  database: DatabaseHandle,
  clock: Clock = new ManualClock(),
): Promise<FastifyInstance> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: '/nonexistent-kapstone-web',
  });
  return buildApp({ config, database, clock, logger: false });
}

export interface SignedIn {
  cookie: string;
  csrfToken: string;
}

export async function signIn(
  app: FastifyInstance,
  email: string,
  password = testPassword,
): Promise<SignedIn> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const body = response.json() as { status: string; session?: { csrfToken: string } };
  if (body.status !== 'authenticated' || !body.session)
    throw new Error(`sign-in not complete: ${body.status}`);
  return { cookie: sessionCookieOf(response), csrfToken: body.session.csrfToken };
}

export function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'kapstone_session');
  if (!cookie) throw new Error('no session cookie set');
  return `kapstone_session=${cookie.value}`;
}

/** app.inject as a signed-in user: the cookie always, the CSRF header on state-changing methods. */
export function as(app: FastifyInstance, who: SignedIn | null) {
  return (options: InjectOptions): Promise<LightMyRequestResponse> => {
    const method = (options.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
    if (who) {
      headers.cookie = who.cookie;
      if (!['GET', 'HEAD', 'OPTIONS'].includes(method)) headers['x-csrf-token'] = who.csrfToken;
    }
    return app.inject({ ...options, headers });
  };
}

/** The database's own message of a failed query (Drizzle wraps it in a "Failed query" error). */
export async function databaseError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as { message?: string; cause?: { message?: string } };
    return `${e.message ?? ''} | ${e.cause?.message ?? ''}`;
  }
  throw new Error('expected the statement to be rejected by the database');
}
