import type { Role } from '../../context.ts';

/** The demo clinics and their sign-ins (README "The demo"). Synthetic; the password is public on purpose. */
export const demoPassword = 'kapstone-demo-2026';

export const demoClinics = [
  {
    slug: 'harbor',
    name: 'Harbor Psychiatry & KAP',
    timeZone: 'America/Los_Angeles',
    careScope: 'care-team' as const,
  },
  {
    slug: 'summit',
    name: 'Summit Ketamine Center',
    timeZone: 'America/Denver',
    careScope: 'clinic' as const,
  },
];

export const demoRoles: Role[] = ['prescriber', 'nurse', 'therapist', 'frontdesk', 'admin', 'researcher'];

/** How many patients of each demo clinic get a portal login (patient1@..., patient2@..., patient6@...). */
export const demoPatientAccounts = 6;

export function demoLogins(): { email: string; role: string; clinic: string }[] {
  return demoClinics.flatMap((clinic) => [
    ...demoRoles.map((role) => ({ email: `${role}@${clinic.slug}.demo`, role, clinic: clinic.name })),
    { email: `patient1@${clinic.slug}.demo`, role: 'patient', clinic: clinic.name },
  ]);
}
