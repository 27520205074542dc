import type { Address, Demographics, EmergencyContact, Patient, SexAtBirth } from '../../api/types.ts';

/**
 * The demographics form as flat strings keyed by the same paths the server uses in problem+json field
 * errors (`address.postalCode`), so a server message lands under the input it concerns.
 */
export const demographicsFieldPaths = [
  'givenName',
  'familyName',
  'preferredName',
  'dateOfBirth',
  'sexAtBirth',
  'genderIdentity',
  'pronouns',
  'email',
  'phone',
  'address.line1',
  'address.line2',
  'address.city',
  'address.region',
  'address.postalCode',
  'address.country',
  'emergencyContact.name',
  'emergencyContact.relationship',
  'emergencyContact.phone',
] as const;

export type DemographicsFieldPath = (typeof demographicsFieldPaths)[number];
export type DemographicsFormValues = Record<DemographicsFieldPath, string>;

export function emptyDemographicsForm(): DemographicsFormValues {
  return Object.fromEntries(demographicsFieldPaths.map((path) => [path, ''])) as DemographicsFormValues;
}

export function demographicsFormOf(patient: Demographics): DemographicsFormValues {
  return {
    givenName: patient.givenName,
    familyName: patient.familyName,
    preferredName: patient.preferredName ?? '',
    dateOfBirth: patient.dateOfBirth,
    sexAtBirth: patient.sexAtBirth,
    genderIdentity: patient.genderIdentity ?? '',
    pronouns: patient.pronouns ?? '',
    email: patient.email ?? '',
    phone: patient.phone ?? '',
    'address.line1': patient.address?.line1 ?? '',
    'address.line2': patient.address?.line2 ?? '',
    'address.city': patient.address?.city ?? '',
    'address.region': patient.address?.region ?? '',
    'address.postalCode': patient.address?.postalCode ?? '',
    'address.country': patient.address?.country ?? '',
    'emergencyContact.name': patient.emergencyContact?.name ?? '',
    'emergencyContact.relationship': patient.emergencyContact?.relationship ?? '',
    'emergencyContact.phone': patient.emergencyContact?.phone ?? '',
  };
}

const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** A group left entirely blank means "none"; a partly filled one is sent as is for the server to judge. */
function addressOf(values: DemographicsFormValues): Address | null {
  const parts = [
    values['address.line1'],
    values['address.line2'],
    values['address.city'],
    values['address.region'],
    values['address.postalCode'],
    values['address.country'],
  ];
  if (parts.every((part) => part.trim() === '')) return null;
  return {
    line1: values['address.line1'].trim(),
    line2: orNull(values['address.line2']),
    city: values['address.city'].trim(),
    region: values['address.region'].trim(),
    postalCode: values['address.postalCode'].trim(),
    country: values['address.country'].trim().toUpperCase(),
  };
}

function emergencyContactOf(values: DemographicsFormValues): EmergencyContact | null {
  const name = values['emergencyContact.name'].trim();
  const relationship = values['emergencyContact.relationship'].trim();
  const phone = values['emergencyContact.phone'].trim();
  if (!name && !relationship && !phone) return null;
  return { name, relationship, phone };
}

export function demographicsOf(values: DemographicsFormValues): Demographics {
  return {
    givenName: values.givenName.trim(),
    familyName: values.familyName.trim(),
    preferredName: orNull(values.preferredName),
    dateOfBirth: values.dateOfBirth,
    sexAtBirth: values.sexAtBirth as SexAtBirth,
    genderIdentity: orNull(values.genderIdentity),
    pronouns: orNull(values.pronouns),
    email: orNull(values.email),
    phone: orNull(values.phone),
    address: addressOf(values),
    emergencyContact: emergencyContactOf(values),
  };
}

/** Checks the browser can make before a round trip; the server validates everything again. */
export function missingRequiredFields(
  values: DemographicsFormValues,
): Partial<Record<DemographicsFieldPath, string>> {
  const problems: Partial<Record<DemographicsFieldPath, string>> = {};
  if (!values.givenName.trim()) problems.givenName = 'Enter the given name';
  if (!values.familyName.trim()) problems.familyName = 'Enter the family name';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.dateOfBirth)) problems.dateOfBirth = 'Enter the date of birth';
  if (!values.sexAtBirth) problems.sexAtBirth = 'Choose the sex assigned at birth';
  return problems;
}

/** Only the fields that changed, so an amendment records exactly what the person edited. */
export function changedDemographics(
  before: Patient | Demographics,
  after: Demographics,
): Partial<Demographics> {
  const changes: Partial<Demographics> = {};
  for (const key of Object.keys(after) as (keyof Demographics)[]) {
    if (JSON.stringify(normalise(before[key])) !== JSON.stringify(normalise(after[key]))) {
      (changes as Record<string, unknown>)[key] = after[key];
    }
  }
  return changes;
}

function normalise(value: unknown): unknown {
  if (value === undefined || value === '') return null;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .map(([key, inner]) => [key, inner === undefined || inner === '' ? null : inner] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  return value;
}
