import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import { appendAuditEvents } from '../../modules/audit/audit-chain.ts';
import { seedDemoConsentTemplates } from '../../modules/consent/consent.demo.ts';
import { searchNameOf } from '../../modules/patients/patients.repository.ts';
import { hashPassword } from '../../security/passwords.ts';
import type { Database } from '../client.ts';
import {
  careTeamMember,
  clinic,
  mrnCounter,
  patient,
  patientAllergy,
  patientCondition,
  patientMedication,
  roleAssignment,
  room,
  userAccount,
} from '../schema/index.ts';
import type { PatientDemographics, SexAtBirth } from '../schema/patients.ts';
import { demoClinics, demoPassword, demoPatientAccounts, demoRoles } from './demo-logins.ts';

/** A small deterministic PRNG (mulberry32), so the demo is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const femaleNames = [
  'Maya',
  'Elena',
  'Priya',
  'Grace',
  'Sofia',
  'Hannah',
  'Aisha',
  'Lucia',
  'Naomi',
  'Rosa',
  'Keiko',
  'Imani',
  'Claire',
  'Zoe',
  'Marisol',
];
const maleNames = [
  'Daniel',
  'Marcus',
  'Theo',
  'Samuel',
  'Javier',
  'Owen',
  'Kenji',
  'Andre',
  'Lucas',
  'Omar',
  'Felix',
  'Rafael',
  'Isaac',
  'Malik',
  'Henrik',
];
const familyNames = [
  'Alvarez',
  'Bennett',
  'Castillo',
  'Dubois',
  'Eriksen',
  'Fujita',
  'Gallagher',
  'Haddad',
  'Ibarra',
  'Jensen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rasmussen',
  'Santos',
  'Thornton',
  'Underwood',
  'Valdés',
  'Whitaker',
  'Yilmaz',
  'Zamora',
  'Núñez',
  'Ortega',
  'Brennan',
];

const staffNames: Record<string, Record<string, string>> = {
  harbor: {
    prescriber: 'Dr. Lena Ortiz, MD',
    nurse: 'Sam Whitfield, RN',
    therapist: 'Jordan Ellis, LMFT',
    frontdesk: 'Casey Morgan',
    admin: 'Riley Chen',
    researcher: 'Dr. Priya Natarajan, PhD',
  },
  summit: {
    prescriber: 'Dr. Aaron Feld, DO',
    nurse: 'Megan Holt, RN',
    therapist: 'Chris Lamb, PsyD',
    frontdesk: 'Taylor Brooks',
    admin: 'Morgan Reyes',
    researcher: 'Dr. Ines Duarte, PhD',
  },
};

/** Real ICD-10-CM codes for the indications KAP clinics treat (and one comorbidity the screening weighs). */
const diagnoses = [
  { icd10: 'F33.2', description: 'Major depressive disorder, recurrent severe without psychotic features' },
  { icd10: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
  {
    icd10: 'F32.2',
    description: 'Major depressive disorder, single episode, severe without psychotic features',
  },
  { icd10: 'F43.12', description: 'Post-traumatic stress disorder, chronic' },
  { icd10: 'F41.1', description: 'Generalized anxiety disorder' },
  { icd10: 'F42.2', description: 'Mixed obsessional thoughts and acts' },
  { icd10: 'F31.81', description: 'Bipolar II disorder' },
  { icd10: 'F40.10', description: 'Social phobia, unspecified' },
];
const comorbidities = [
  { icd10: 'I10', description: 'Essential (primary) hypertension' },
  { icd10: 'E03.9', description: 'Hypothyroidism, unspecified' },
  { icd10: 'G43.909', description: 'Migraine, unspecified, not intractable, without status migrainosus' },
];

/**
 * Medications with their RxNorm ingredient concept ids (RXCUI). Only codes we are sure of are given;
 * a medication without a code keeps rxnorm null rather than a guessed one.
 */
const medications = [
  { name: 'Sertraline', rxnorm: '36437', dose: '100 mg', frequency: 'once daily' },
  { name: 'Escitalopram', rxnorm: '321988', dose: '10 mg', frequency: 'once daily' },
  { name: 'Fluoxetine', rxnorm: '4493', dose: '40 mg', frequency: 'once daily' },
  { name: 'Bupropion XL', rxnorm: '42347', dose: '300 mg', frequency: 'once daily' },
  { name: 'Venlafaxine XR', rxnorm: '39786', dose: '150 mg', frequency: 'once daily' },
  { name: 'Lamotrigine', rxnorm: '28439', dose: '100 mg', frequency: 'twice daily' },
  { name: 'Lithium carbonate', rxnorm: '6448', dose: '300 mg', frequency: 'twice daily' },
  { name: 'Quetiapine', rxnorm: '51272', dose: '50 mg', frequency: 'at bedtime' },
  { name: 'Trazodone', rxnorm: '10737', dose: '50 mg', frequency: 'at bedtime as needed' },
  { name: 'Clonazepam', rxnorm: '2598', dose: '0.5 mg', frequency: 'as needed' },
  { name: 'Lisinopril', rxnorm: '29046', dose: '10 mg', frequency: 'once daily' },
  { name: 'Amlodipine', rxnorm: '17767', dose: '5 mg', frequency: 'once daily' },
];
const allergies = [
  { substance: 'Penicillin', reaction: 'Hives', severity: 'moderate' as const },
  { substance: 'Sulfonamide antibiotics', reaction: 'Rash', severity: 'mild' as const },
  { substance: 'Latex', reaction: 'Contact dermatitis', severity: 'mild' as const },
];

export const demoPatientsPerClinic = 25;

/** Seeds the two synthetic demo clinics. Refuses to run on a database that already has clinics. */
export async function seedDemo(
  database: Database,
  clock: Clock,
): Promise<{ clinics: number; patients: number; accounts: number }> {
  const passwordHash = await hashPassword(demoPassword);
  const now = clock.now();
  let patients = 0;
  let accounts = 0;
  await database.transaction(async (tx) => {
    for (const [clinicIndex, demo] of demoClinics.entries()) {
      const [existing] = await tx.select({ id: clinic.id }).from(clinic).where(eq(clinic.slug, demo.slug));
      if (existing)
        throw new Error(`The demo clinic "${demo.slug}" already exists; seed only an empty database.`);
      const random = prng(2026 + clinicIndex);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
      const clinicId = randomUUID();
      await tx.insert(clinic).values({
        id: clinicId,
        slug: demo.slug,
        name: demo.name,
        timeZone: demo.timeZone,
        demo: true,
        // Demo values, not recommendations (neither has a default: the reference gives no number; real clinics
        // choose theirs): missedAfterDays 3, so the demo shows missed-measure alerts; minimumCellSize 3, so the
        // researcher logins see the outcomes table and a narrow filter shows suppressed cells.
        settings: {
          mfaRequired: false,
          careScope: demo.careScope,
          crisisPhone: '(555) 010-0199',
          reminders: { missedAfterDays: 3 },
          outcomes: { minimumCellSize: 3 },
        },
        createdAt: now,
      });

      const rooms =
        demo.slug === 'harbor'
          ? [
              { name: 'Dosing room A', kind: 'dosing-room' as const },
              { name: 'Dosing room B', kind: 'dosing-room' as const },
              { name: 'Therapy room 1', kind: 'therapy-room' as const },
            ]
          : [
              { name: 'Chair 1', kind: 'dosing-room' as const },
              { name: 'Chair 2', kind: 'dosing-room' as const },
              { name: 'Chair 3', kind: 'dosing-room' as const },
              { name: 'Chair 4', kind: 'dosing-room' as const },
              { name: 'Integration room', kind: 'therapy-room' as const },
            ];
      await tx.insert(room).values(rooms.map((r) => ({ id: randomUUID(), clinicId, ...r, createdAt: now })));

      const staff = demoRoles.map((role) => ({
        id: randomUUID(),
        clinicId,
        email: `${role}@${demo.slug}.demo`,
        displayName: staffNames[demo.slug]![role]!,
        kind: 'staff' as const,
        passwordHash,
        passwordChangedAt: now,
        createdAt: now,
        role,
      }));
      await tx.insert(userAccount).values(staff.map(({ role: _role, ...account }) => account));
      await tx
        .insert(roleAssignment)
        .values(staff.map((s) => ({ clinicId, userId: s.id, role: s.role, grantedAt: now })));
      accounts += staff.length;
      // The clinic's consent forms, published by its admin (modules/consent/consent.demo.ts).
      await seedDemoConsentTemplates(tx, clinicId, staff.find((s) => s.role === 'admin')!.id, now);

      const patientRows = Array.from({ length: demoPatientsPerClinic }, (_, i) => {
        const sexAtBirth: SexAtBirth = random() < 0.55 ? 'female' : 'male';
        const givenName = pick(sexAtBirth === 'female' ? femaleNames : maleNames);
        const familyName = pick(familyNames);
        const age = 22 + Math.floor(random() * 48);
        const dob = new Date(
          Date.UTC(now.getUTCFullYear() - age, Math.floor(random() * 12), 1 + Math.floor(random() * 28)),
        );
        const hasAccount = i < demoPatientAccounts;
        const demographics: PatientDemographics = {
          givenName,
          familyName,
          preferredName: random() < 0.15 ? givenName.slice(0, 3) : null,
          dateOfBirth: dob.toISOString().slice(0, 10),
          sexAtBirth,
          genderIdentity: null,
          pronouns: sexAtBirth === 'female' ? 'she/her' : 'he/him',
          email: hasAccount
            ? `patient${i + 1}@${demo.slug}.demo`
            : `${`${givenName}.${familyName}`
                .normalize('NFD')
                .replace(/\p{Diacritic}/gu, '')
                .toLowerCase()}@example.org`,
          phone: `(555) 01${String(10 + i).padStart(2, '0')}-${String(1000 + Math.floor(random() * 8999))}`,
          address: {
            line1: `${100 + Math.floor(random() * 900)} ${pick(['Cedar', 'Harbor', 'Pine', 'Summit', 'Willow', 'Aspen'])} ${pick(['Street', 'Avenue', 'Lane'])}`,
            city: demo.slug === 'harbor' ? 'Bayview' : 'Pine Ridge',
            region: demo.slug === 'harbor' ? 'CA' : 'CO',
            postalCode: demo.slug === 'harbor' ? '90000' : '80000',
            country: 'US',
          },
          emergencyContact: {
            name: `${pick([...femaleNames, ...maleNames])} ${familyName}`,
            relationship: pick(['spouse', 'partner', 'parent', 'sibling', 'friend']),
            phone: '(555) 010-0100',
          },
        };
        return { id: randomUUID(), hasAccount, demographics, index: i };
      });
      await tx.insert(patient).values(
        patientRows.map((p) => ({
          id: p.id,
          clinicId,
          mrn: `K${String(p.index + 1).padStart(6, '0')}`,
          ...p.demographics,
          searchName: searchNameOf(p.demographics),
          version: 1,
          createdAt: now,
          updatedAt: now,
        })),
      );
      await tx.insert(mrnCounter).values({ clinicId, lastValue: patientRows.length });
      patients += patientRows.length;

      const clinician = (role: string) => staff.find((s) => s.role === role)!;
      for (const p of patientRows) {
        const recorded = {
          clinicId,
          patientId: p.id,
          recordedAt: now,
          recordedBy: clinician('prescriber').id,
        };
        const primary = pick(diagnoses);
        const conditions = [
          primary,
          ...(random() < 0.4 ? [pick(diagnoses.filter((d) => d !== primary))] : []),
          ...(random() < 0.25 ? [pick(comorbidities)] : []),
        ];
        await tx
          .insert(patientCondition)
          .values(conditions.map((d) => ({ id: randomUUID(), ...recorded, ...d })));
        const meds = [pick(medications.slice(0, 5)), ...(random() < 0.5 ? [pick(medications.slice(5))] : [])];
        await tx
          .insert(patientMedication)
          .values(meds.map((m) => ({ id: randomUUID(), ...recorded, ...m, route: 'oral' })));
        if (random() < 0.3)
          await tx.insert(patientAllergy).values({ id: randomUUID(), ...recorded, ...pick(allergies) });
        // Harbor keeps charts to care teams: the last three patients have none, to show break-glass.
        const assigned = demo.careScope === 'clinic' || p.index < demoPatientsPerClinic - 3;
        if (assigned) {
          await tx.insert(careTeamMember).values(
            (['prescriber', 'nurse', 'therapist'] as const).map((role) => ({
              clinicId,
              patientId: p.id,
              userId: clinician(role).id,
              role,
              assignedAt: now,
            })),
          );
        }
      }

      const patientAccounts = patientRows.filter((p) => p.hasAccount);
      await tx.insert(userAccount).values(
        patientAccounts.map((p) => ({
          id: randomUUID(),
          clinicId,
          email: p.demographics.email!,
          displayName: `${p.demographics.givenName} ${p.demographics.familyName}`,
          kind: 'patient' as const,
          patientId: p.id,
          passwordHash,
          passwordChangedAt: now,
          createdAt: now,
        })),
      );
      accounts += patientAccounts.length;
      await appendAuditEvents(
        tx,
        clinicId,
        null,
        [
          {
            action: 'system.seed-demo',
            resourceType: 'clinic',
            resourceId: clinicId,
            detail: { patients: patientRows.length },
          },
        ],
        { requestId: null, ip: null, userAgent: 'kapstone seed' },
        now,
      );
    }
  });
  return { clinics: demoClinics.length, patients, accounts };
}
