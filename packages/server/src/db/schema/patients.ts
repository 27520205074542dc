import {
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinic } from './clinic.ts';

export type SexAtBirth = 'female' | 'male' | 'intersex' | 'unknown';

export interface PostalAddress {
  line1: string;
  line2?: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface EmergencyContact {
  name: string;
  relationship: string;
  phone: string;
}

/** The demographic part of a patient record; every change keeps the previous state in patient_version. */
export interface PatientDemographics {
  givenName: string;
  familyName: string;
  preferredName: string | null;
  dateOfBirth: string;
  sexAtBirth: SexAtBirth;
  genderIdentity: string | null;
  pronouns: string | null;
  email: string | null;
  phone: string | null;
  address: PostalAddress | null;
  emergencyContact: EmergencyContact | null;
}

/** Per-clinic counter behind medical record numbers (MRN), so MRNs are short, unique and never reused. */
export const mrnCounter = pgTable('mrn_counter', {
  clinicId: uuid('clinic_id')
    .primaryKey()
    .references(() => clinic.id),
  lastValue: integer('last_value').notNull(),
});

export const patient = pgTable(
  'patient',
  {
    id: uuid('id').notNull(),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinic.id),
    mrn: text('mrn').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    preferredName: text('preferred_name'),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    sexAtBirth: text('sex_at_birth').$type<SexAtBirth>().notNull(),
    genderIdentity: text('gender_identity'),
    pronouns: text('pronouns'),
    email: text('email'),
    phone: text('phone'),
    address: jsonb('address').$type<PostalAddress>(),
    emergencyContact: jsonb('emergency_contact').$type<EmergencyContact>(),
    /** Lower-cased, accent-free "given family preferred" for prefix search. */
    searchName: text('search_name').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    unique('patient_id_key').on(t.id),
    unique('patient_clinic_mrn_key').on(t.clinicId, t.mrn),
    index('patient_clinic_search_idx').on(t.clinicId, t.searchName),
    index('patient_clinic_dob_idx').on(t.clinicId, t.dateOfBirth),
  ],
);

/** The state of a patient's demographics before each change: amended, never overwritten. */
export const patientVersion = pgTable(
  'patient_version',
  {
    clinicId: uuid('clinic_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    version: integer('version').notNull(),
    demographics: jsonb('demographics').$type<PatientDemographics>().notNull(),
    /** Who made the change that ended this version, and when. */
    supersededBy: uuid('superseded_by'),
    supersededAt: timestamp('superseded_at', { withTimezone: true }).notNull(),
    changedFields: jsonb('changed_fields').$type<string[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.patientId, t.version] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
  ],
);

const listEntryColumns = () => ({
  id: uuid('id').notNull(),
  clinicId: uuid('clinic_id').notNull(),
  patientId: uuid('patient_id').notNull(),
  note: text('note'),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  recordedBy: uuid('recorded_by'),
  statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
  statusChangedBy: uuid('status_changed_by'),
});

/** A diagnosis on the problem list, coded in ICD-10-CM. */
export const patientCondition = pgTable(
  'patient_condition',
  {
    ...listEntryColumns(),
    icd10: text('icd10').notNull(),
    description: text('description').notNull(),
    onsetDate: date('onset_date', { mode: 'string' }),
    status: text('status').$type<'active' | 'resolved' | 'entered-in-error'>().notNull().default('active'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    index('patient_condition_patient_idx').on(t.clinicId, t.patientId),
  ],
);

export const patientMedication = pgTable(
  'patient_medication',
  {
    ...listEntryColumns(),
    name: text('name').notNull(),
    /** RxNorm concept id (RXCUI) when known. */
    rxnorm: text('rxnorm'),
    dose: text('dose'),
    route: text('route'),
    frequency: text('frequency'),
    startDate: date('start_date', { mode: 'string' }),
    status: text('status').$type<'active' | 'stopped' | 'entered-in-error'>().notNull().default('active'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    index('patient_medication_patient_idx').on(t.clinicId, t.patientId),
  ],
);

export const patientAllergy = pgTable(
  'patient_allergy',
  {
    ...listEntryColumns(),
    substance: text('substance').notNull(),
    reaction: text('reaction'),
    severity: text('severity').$type<'mild' | 'moderate' | 'severe'>(),
    status: text('status').$type<'active' | 'inactive' | 'entered-in-error'>().notNull().default('active'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patient.clinicId, patient.id] }),
    index('patient_allergy_patient_idx').on(t.clinicId, t.patientId),
  ],
);
