const roleLabels: Record<string, string> = {
  prescriber: 'Prescriber',
  nurse: 'Nurse',
  therapist: 'Therapist',
  frontdesk: 'Front desk',
  admin: 'Clinic admin',
  researcher: 'Researcher',
};

export function roleLabel(role: string): string {
  return roleLabels[role] ?? role;
}
