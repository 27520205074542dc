import type { StaffActor } from '../context.ts';

/**
 * The user id of the system actor: work no signed-in person started (a recurring task, a queued job). It
 * names no user account, so the audit writer records such work with no actor and the role 'system', and no
 * service may store it in a column that references user_account. Apart from system-work.ts so that the
 * audit writer can recognise it without importing the job machinery.
 */
export const systemUserId = '00000000-0000-4000-8000-000000000000';

export function systemActor(clinicId: string): StaffActor {
  return {
    kind: 'staff',
    roles: [],
    userId: systemUserId,
    clinicId,
    sessionId: 'system',
    email: 'system@kapstone.invalid',
    displayName: 'Kapstone (scheduled work)',
  };
}

export function isSystemActor(actor: { userId: string } | null): boolean {
  return actor?.userId === systemUserId;
}
