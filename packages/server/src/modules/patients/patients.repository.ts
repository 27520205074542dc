import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  careTeamMember,
  mrnCounter,
  patient,
  patientAllergy,
  patientCondition,
  patientMedication,
  patientVersion,
  userAccount,
} from '../../db/schema/index.ts';
import type { PatientDemographics } from '../../db/schema/patients.ts';
import { withinCareScope } from '../../security/care-scope.ts';

export type PatientRow = typeof patient.$inferSelect;

/** Lower-case, accents removed: "José Núñez" is found by "jose nun". */
export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function searchNameOf(
  d: Pick<PatientDemographics, 'givenName' | 'familyName' | 'preferredName'>,
): string {
  return ` ${normaliseForSearch([d.givenName, d.familyName, d.preferredName ?? ''].join(' '))}`;
}

export function demographicsOf(row: PatientRow): PatientDemographics {
  return {
    givenName: row.givenName,
    familyName: row.familyName,
    preferredName: row.preferredName,
    dateOfBirth: row.dateOfBirth,
    sexAtBirth: row.sexAtBirth,
    genderIdentity: row.genderIdentity,
    pronouns: row.pronouns,
    email: row.email,
    phone: row.phone,
    address: row.address,
    emergencyContact: row.emergencyContact,
  };
}

export async function findById(db: Db, clinicId: string, patientId: string): Promise<PatientRow | undefined> {
  const [row] = await db
    .select()
    .from(patient)
    .where(and(eq(patient.clinicId, clinicId), eq(patient.id, patientId)));
  return row;
}

export async function findByIdForUpdate(
  db: Db,
  clinicId: string,
  patientId: string,
  version: number,
): Promise<PatientRow | undefined> {
  const [row] = await db
    .select()
    .from(patient)
    .where(and(eq(patient.clinicId, clinicId), eq(patient.id, patientId), eq(patient.version, version)))
    .for('update');
  return row;
}

/** The next medical record number of a clinic: K000001, K000002... never reused. */
export async function nextMrn(db: Db, clinicId: string): Promise<string> {
  const [row] = await db
    .insert(mrnCounter)
    .values({ clinicId, lastValue: 1 })
    .onConflictDoUpdate({ target: mrnCounter.clinicId, set: { lastValue: sql`${mrnCounter.lastValue} + 1` } })
    .returning({ value: mrnCounter.lastValue });
  return `K${String(row!.value).padStart(6, '0')}`;
}

export interface SearchFilters {
  q?: string;
  dateOfBirth?: string;
  mrn?: string;
  after?: { familyName: string; givenName: string; id: string };
  limit: number;
}

/**
 * Patients of one clinic in name order, with keyset pagination, and whether each chart opens to the user
 * without break-glass (on the care team, or a clinic-wide care scope).
 */
export async function search(
  db: Db,
  clinicId: string,
  userId: string,
  filters: SearchFilters,
): Promise<(PatientRow & { inCareTeam: boolean })[]> {
  const conditions = [eq(patient.clinicId, clinicId)];
  if (filters.q) {
    for (const word of normaliseForSearch(filters.q).split(' ').filter(Boolean)) {
      const escaped = word.replace(/[\\%_]/g, (c) => `\\${c}`);
      conditions.push(sql`${patient.searchName} LIKE ${`% ${escaped}%`}`);
    }
  }
  if (filters.dateOfBirth) conditions.push(eq(patient.dateOfBirth, filters.dateOfBirth));
  if (filters.mrn) conditions.push(sql`upper(${patient.mrn}) = upper(${filters.mrn})`);
  if (filters.after) {
    const a = filters.after;
    conditions.push(
      sql`(${patient.familyName}, ${patient.givenName}, ${patient.id}) > (${a.familyName}, ${a.givenName}, ${a.id})`,
    );
  }
  const rows = await db
    .select({
      patient,
      inCareTeam: withinCareScope(patient.clinicId, patient.id, userId),
    })
    .from(patient)
    .where(and(...conditions))
    .orderBy(asc(patient.familyName), asc(patient.givenName), asc(patient.id))
    .limit(filters.limit);
  return rows.map((r) => ({ ...r.patient, inCareTeam: Boolean(r.inCareTeam) }));
}

export async function isInCareTeam(
  db: Db,
  clinicId: string,
  patientId: string,
  userId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ userId: careTeamMember.userId })
    .from(careTeamMember)
    .where(
      and(
        eq(careTeamMember.clinicId, clinicId),
        eq(careTeamMember.patientId, patientId),
        eq(careTeamMember.userId, userId),
      ),
    );
  return row !== undefined;
}

export async function listConditions(db: Db, clinicId: string, patientId: string) {
  return db
    .select()
    .from(patientCondition)
    .where(and(eq(patientCondition.clinicId, clinicId), eq(patientCondition.patientId, patientId)))
    .orderBy(asc(patientCondition.recordedAt), asc(patientCondition.id));
}

export async function listMedications(db: Db, clinicId: string, patientId: string) {
  return db
    .select()
    .from(patientMedication)
    .where(and(eq(patientMedication.clinicId, clinicId), eq(patientMedication.patientId, patientId)))
    .orderBy(asc(patientMedication.recordedAt), asc(patientMedication.id));
}

export async function listAllergies(db: Db, clinicId: string, patientId: string) {
  return db
    .select()
    .from(patientAllergy)
    .where(and(eq(patientAllergy.clinicId, clinicId), eq(patientAllergy.patientId, patientId)))
    .orderBy(asc(patientAllergy.recordedAt), asc(patientAllergy.id));
}

export async function listVersions(db: Db, clinicId: string, patientId: string) {
  return db
    .select({ version: patientVersion, changedByName: userAccount.displayName })
    .from(patientVersion)
    .leftJoin(userAccount, eq(userAccount.id, patientVersion.supersededBy))
    .where(and(eq(patientVersion.clinicId, clinicId), eq(patientVersion.patientId, patientId)))
    .orderBy(asc(patientVersion.version));
}
