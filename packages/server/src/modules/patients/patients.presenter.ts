import type { patientAllergy, patientCondition, patientMedication } from '../../db/schema/index.ts';
import type { PatientRow } from './patients.repository.ts';
import type { PatientView } from './patients.schemas.ts';

/** The only place a patient row becomes JSON. */
export function presentSummary(row: PatientRow & { inCareTeam: boolean }) {
  return {
    id: row.id,
    mrn: row.mrn,
    givenName: row.givenName,
    familyName: row.familyName,
    preferredName: row.preferredName,
    dateOfBirth: row.dateOfBirth,
    sexAtBirth: row.sexAtBirth,
    inCareTeam: row.inCareTeam,
  };
}

export const presentCondition = (c: typeof patientCondition.$inferSelect) => ({
  id: c.id,
  icd10: c.icd10,
  description: c.description,
  onsetDate: c.onsetDate,
  status: c.status,
  note: c.note,
  recordedAt: c.recordedAt.toISOString(),
});

export const presentMedication = (m: typeof patientMedication.$inferSelect) => ({
  id: m.id,
  name: m.name,
  rxnorm: m.rxnorm,
  dose: m.dose,
  route: m.route,
  frequency: m.frequency,
  startDate: m.startDate,
  status: m.status,
  note: m.note,
  recordedAt: m.recordedAt.toISOString(),
});

export const presentAllergy = (a: typeof patientAllergy.$inferSelect) => ({
  id: a.id,
  substance: a.substance,
  reaction: a.reaction,
  severity: a.severity,
  status: a.status,
  note: a.note,
  recordedAt: a.recordedAt.toISOString(),
});

export function presentPatient(
  row: PatientRow,
  parts: {
    inCareTeam: boolean;
    clinical: boolean;
    conditions: (typeof patientCondition.$inferSelect)[];
    medications: (typeof patientMedication.$inferSelect)[];
    allergies: (typeof patientAllergy.$inferSelect)[];
  },
): PatientView {
  return {
    ...presentSummary({ ...row, inCareTeam: parts.inCareTeam }),
    version: row.version,
    genderIdentity: row.genderIdentity,
    pronouns: row.pronouns,
    email: row.email,
    phone: row.phone,
    address: row.address ?? null,
    emergencyContact: row.emergencyContact ?? null,
    clinicalDataIncluded: parts.clinical,
    conditions: parts.conditions.map(presentCondition),
    medications: parts.medications.map(presentMedication),
    allergies: parts.allergies.map(presentAllergy),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
