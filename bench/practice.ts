import { randomUUID } from 'node:crypto';
import type { Database } from '../packages/server/src/db/client.ts';
import {
  careTeamMember,
  clinic,
  patient,
  patientAllergy,
  patientCondition,
  patientMedication,
  roleAssignment,
  userAccount,
} from '../packages/server/src/db/schema/index.ts';
import { searchNameOf } from '../packages/server/src/modules/patients/patients.repository.ts';
import { hashPassword } from '../packages/server/src/security/passwords.ts';

/** A synthetic practice for benchmarks: clinics, one prescriber each, many patients with short problem lists. */
export interface Practice {
  clinics: { id: string; prescriberEmail: string; patientIds: string[] }[];
  password: string;
}

const given = [
  'Ava',
  'Ben',
  'Cleo',
  'Dev',
  'Eli',
  'Fay',
  'Gus',
  'Hana',
  'Ivo',
  'Jun',
  'Kai',
  'Lia',
  'Max',
  'Nia',
  'Oto',
  'Pia',
];
const family = [
  'Abe',
  'Berg',
  'Cruz',
  'Diaz',
  'Ek',
  'Fox',
  'Gil',
  'Holm',
  'Ito',
  'Juul',
  'Kim',
  'Lund',
  'Moe',
  'Nagy',
  'Orr',
  'Park',
];

export async function generatePractice(
  db: Database,
  clinics: number,
  patientsPerClinic: number,
): Promise<Practice> {
  const password = 'bench-password-2026';
  const passwordHash = await hashPassword(password);
  const now = new Date();
  const result: Practice = { clinics: [], password };
  for (let c = 0; c < clinics; c++) {
    const clinicId = randomUUID();
    const prescriberId = randomUUID();
    const prescriberEmail = `prescriber-${c}-${clinicId.slice(0, 8)}@bench.example`;
    await db.insert(clinic).values({
      id: clinicId,
      slug: `bench-${clinicId.slice(0, 8)}`,
      name: `Bench clinic ${c}`,
      timeZone: 'UTC',
      demo: false,
      settings: { mfaRequired: false, careScope: 'care-team' },
      createdAt: now,
    });
    await db.insert(userAccount).values({
      id: prescriberId,
      clinicId,
      email: prescriberEmail,
      displayName: 'Bench Prescriber',
      kind: 'staff',
      passwordHash,
      passwordChangedAt: now,
      createdAt: now,
    });
    await db
      .insert(roleAssignment)
      .values({ clinicId, userId: prescriberId, role: 'prescriber', grantedAt: now });
    const patientIds: string[] = [];
    for (let start = 0; start < patientsPerClinic; start += 500) {
      const batch = Array.from({ length: Math.min(500, patientsPerClinic - start) }, (_, k) => {
        const i = start + k;
        const d = {
          givenName: given[i % given.length]!,
          familyName: `${family[(i >> 4) % family.length]}${i}`,
          preferredName: null,
        };
        return {
          id: randomUUID(),
          clinicId,
          mrn: `B${String(i).padStart(7, '0')}`,
          ...d,
          dateOfBirth: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
          sexAtBirth: (i % 2 ? 'female' : 'male') as 'female' | 'male',
          searchName: searchNameOf(d),
          version: 1,
          createdAt: now,
          updatedAt: now,
        };
      });
      await db.insert(patient).values(batch);
      const recorded = { clinicId, recordedAt: now, recordedBy: prescriberId };
      await db.insert(patientCondition).values(
        batch.map((p) => ({
          id: randomUUID(),
          patientId: p.id,
          ...recorded,
          icd10: 'F33.2',
          description: 'Major depressive disorder, recurrent severe without psychotic features',
        })),
      );
      await db.insert(patientMedication).values(
        batch.map((p) => ({
          id: randomUUID(),
          patientId: p.id,
          ...recorded,
          name: 'Sertraline',
          rxnorm: '36437',
          dose: '100 mg',
        })),
      );
      await db
        .insert(patientAllergy)
        .values(
          batch
            .filter((_, k) => k % 4 === 0)
            .map((p) => ({ id: randomUUID(), patientId: p.id, ...recorded, substance: 'Penicillin' })),
        );
      await db.insert(careTeamMember).values(
        batch.map((p) => ({
          clinicId,
          patientId: p.id,
          userId: prescriberId,
          role: 'prescriber',
          assignedAt: now,
        })),
      );
      patientIds.push(...batch.map((p) => p.id));
    }
    result.clinics.push({ id: clinicId, prescriberEmail, patientIds });
  }
  return result;
}
