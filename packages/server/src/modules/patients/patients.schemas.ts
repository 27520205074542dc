import { z } from 'zod';

const trimmed = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const isoDate = z.iso.date();

export const sexAtBirth = z.enum(['female', 'male', 'intersex', 'unknown']);

export const addressSchema = z.strictObject({
  line1: trimmed(200),
  line2: optionalText(200),
  city: trimmed(100),
  region: trimmed(100),
  postalCode: trimmed(20),
  country: z.string().trim().length(2, 'Use the two-letter ISO 3166 country code').toUpperCase(),
});

export const emergencyContactSchema = z.strictObject({
  name: trimmed(200),
  relationship: trimmed(100),
  phone: z.string().trim().min(3).max(40),
});

/** ICD-10-CM: a letter, two characters, then optionally a dot and up to four more (CDC ICD-10-CM guidelines). */
export const icd10Code = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/, 'Use an ICD-10-CM code such as F33.2')
  .transform((code) => (code.length > 3 && code[3] !== '.' ? `${code.slice(0, 3)}.${code.slice(3)}` : code));

/** RxNorm concept ids (RXCUI) are positive integers. */
export const rxnormCode = z
  .string()
  .trim()
  .regex(/^[1-9][0-9]{0,9}$/, 'An RxNorm code is a number (RXCUI)');

const demographicsFields = {
  givenName: trimmed(100),
  familyName: trimmed(100),
  preferredName: optionalText(100),
  dateOfBirth: isoDate,
  sexAtBirth,
  genderIdentity: optionalText(100),
  pronouns: optionalText(50),
  email: z.email().max(254).nullable().optional(),
  phone: z.string().trim().min(3).max(40).nullable().optional(),
  address: addressSchema.nullable().optional(),
  emergencyContact: emergencyContactSchema.nullable().optional(),
};

export const patientCreateSchema = z.strictObject({
  ...demographicsFields,
  mrn: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,32}$/, 'Letters, digits and hyphens only')
    .optional(),
});
export type PatientCreateInput = z.infer<typeof patientCreateSchema>;

export const patientUpdateSchema = z
  .strictObject({
    version: z.int().min(1),
    givenName: demographicsFields.givenName.optional(),
    familyName: demographicsFields.familyName.optional(),
    preferredName: demographicsFields.preferredName,
    dateOfBirth: isoDate.optional(),
    sexAtBirth: sexAtBirth.optional(),
    genderIdentity: demographicsFields.genderIdentity,
    pronouns: demographicsFields.pronouns,
    email: demographicsFields.email,
    phone: demographicsFields.phone,
    address: demographicsFields.address,
    emergencyContact: demographicsFields.emergencyContact,
  })
  .refine((body) => Object.keys(body).length > 1, {
    message: 'Change at least one field',
    path: ['version'],
  });
export type PatientUpdateInput = z.infer<typeof patientUpdateSchema>;

export const patientSearchSchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
  dateOfBirth: isoDate.optional(),
  mrn: z.string().trim().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(512).optional(),
});
export type PatientSearchInput = z.infer<typeof patientSearchSchema>;

export const conditionCreateSchema = z.strictObject({
  icd10: icd10Code,
  description: trimmed(300),
  onsetDate: isoDate.nullable().optional(),
  note: optionalText(2000),
});
export const conditionStatusSchema = z.strictObject({
  status: z.enum(['active', 'resolved', 'entered-in-error']),
  note: optionalText(2000),
});

export const medicationCreateSchema = z.strictObject({
  name: trimmed(200),
  rxnorm: rxnormCode.nullable().optional(),
  dose: optionalText(100),
  route: optionalText(50),
  frequency: optionalText(100),
  startDate: isoDate.nullable().optional(),
  note: optionalText(2000),
});
export const medicationStatusSchema = z.strictObject({
  status: z.enum(['active', 'stopped', 'entered-in-error']),
  note: optionalText(2000),
});

export const allergyCreateSchema = z.strictObject({
  substance: trimmed(200),
  reaction: optionalText(200),
  severity: z.enum(['mild', 'moderate', 'severe']).nullable().optional(),
  note: optionalText(2000),
});
export const allergyStatusSchema = z.strictObject({
  status: z.enum(['active', 'inactive', 'entered-in-error']),
  note: optionalText(2000),
});

export const patientSummaryView = z.object({
  id: z.uuid(),
  mrn: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  preferredName: z.string().nullable(),
  dateOfBirth: z.string(),
  sexAtBirth,
  inCareTeam: z.boolean(),
});

const conditionView = z.object({
  id: z.uuid(),
  icd10: z.string(),
  description: z.string(),
  onsetDate: z.string().nullable(),
  status: z.string(),
  note: z.string().nullable(),
  recordedAt: z.string(),
});
const medicationView = z.object({
  id: z.uuid(),
  name: z.string(),
  rxnorm: z.string().nullable(),
  dose: z.string().nullable(),
  route: z.string().nullable(),
  frequency: z.string().nullable(),
  startDate: z.string().nullable(),
  status: z.string(),
  note: z.string().nullable(),
  recordedAt: z.string(),
});
const allergyView = z.object({
  id: z.uuid(),
  substance: z.string(),
  reaction: z.string().nullable(),
  severity: z.string().nullable(),
  status: z.string(),
  note: z.string().nullable(),
  recordedAt: z.string(),
});

export const patientView = patientSummaryView.extend({
  version: z.int(),
  genderIdentity: z.string().nullable(),
  pronouns: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: addressSchema.nullable(),
  emergencyContact: emergencyContactSchema.nullable(),
  /** False when the caller may see demographics only (front desk, admin): the lists below are then empty. */
  clinicalDataIncluded: z.boolean(),
  conditions: z.array(conditionView),
  medications: z.array(medicationView),
  allergies: z.array(allergyView),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PatientView = z.infer<typeof patientView>;
export { allergyView, conditionView, medicationView };

export const patientHistoryView = z.object({
  items: z.array(
    z.object({
      version: z.int(),
      changedAt: z.string(),
      changedBy: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
      changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    }),
  ),
});
