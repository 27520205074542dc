import { randomUUID } from 'node:crypto';
import type { InstrumentId } from '@kapstone/clinical';
import type { Clock } from '../../clock.ts';
import type { Actor, AuditEntry, Role, ServiceContext } from '../../context.ts';
import type { Transaction } from '../../db/client.ts';
import { appendAuditEvents } from '../audit/audit-chain.ts';
import { assignMeasures, recordStaffResponse, submitPortalResponse } from './measures.service.ts';

/**
 * Synthetic baseline answers for demo patients, one array per instrument of the default screening set, in
 * item order (yes/no as 1/0; null where the form does not ask). Invented for the demo: they describe no
 * real person. The scores are whatever @kapstone/clinical computes from them when they are stored.
 */
export type DemoMeasuresProfile = 'mild' | 'moderate' | 'severe-with-risk';

const answersByProfile: Record<DemoMeasuresProfile, Partial<Record<InstrumentId, (number | null)[]>>> = {
  mild: {
    phq9: [1, 1, 1, 1, 0, 1, 1, 0, 0, 1],
    gad7: [1, 1, 1, 0, 0, 1, 1],
    pcl5: [1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1],
    'cssrs-screener': [0, 0, null, null, null, 0, null],
    mdq: [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    'audit-c': [1, 0, 0],
    dast10: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
  },
  moderate: {
    phq9: [2, 2, 2, 2, 1, 2, 1, 1, 0, 2],
    gad7: [2, 2, 1, 2, 1, 2, 1],
    pcl5: [2, 1, 2, 1, 2, 2, 1, 0, 2, 1, 1, 2, 1, 1, 1, 2, 0, 2, 1, 2],
    'cssrs-screener': [1, 0, null, null, null, 0, null],
    mdq: [0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1],
    'audit-c': [2, 1, 1],
    dast10: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
  },
  'severe-with-risk': {
    phq9: [3, 3, 2, 3, 2, 3, 2, 2, 1, 3],
    gad7: [3, 2, 3, 2, 2, 3, 2],
    pcl5: [3, 3, 2, 3, 2, 3, 2, 1, 3, 2, 3, 3, 2, 2, 1, 3, 1, 3, 2, 3],
    'cssrs-screener': [1, 1, 1, 0, 0, 0, null],
    mdq: [0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 2],
    'audit-c': [1, 1, 0],
    dast10: [1, 0, 1, 0, 1, 0, 0, 0, 0, 0],
  },
};

function contextFor(tx: Transaction, clock: Clock, actor: Actor, queued: AuditEntry[]): ServiceContext {
  return {
    actor,
    clinicId: actor.clinicId,
    tx,
    clock,
    request: { requestId: null, ip: null, userAgent: null },
    audit: { record: (entry) => queued.push(entry) },
  };
}

/**
 * Assigns the clinic's screening set to a demo patient and stores completed baseline responses through the
 * measures service itself (so scores, observations, alerts and audit events are exactly what a real
 * submission produces). With a portal account the patient answers (source 'patient'); without one the staff
 * member enters them on the patient's behalf. `staff` must be able to open the patient's clinical record
 * (on the care team in a 'care-team' clinic). The 'severe-with-risk' profile raises the risk alerts of a
 * positive PHQ-9 item 9 and a moderate C-SSRS. Not wired into the seed; the seed's owner decides.
 */
export async function seedDemoMeasures(
  tx: Transaction,
  clock: Clock,
  input: {
    clinicId: string;
    patientId: string;
    staff: { userId: string; email: string; displayName: string; roles: Role[] };
    patientAccount?: { userId: string; email: string; displayName: string } | null;
    profile: DemoMeasuresProfile;
  },
): Promise<{ responses: number }> {
  const queuedStaff: AuditEntry[] = [];
  const queuedPatient: AuditEntry[] = [];
  const staffActor: Actor = {
    kind: 'staff',
    userId: input.staff.userId,
    clinicId: input.clinicId,
    sessionId: 'demo-seed',
    email: input.staff.email,
    displayName: input.staff.displayName,
    roles: input.staff.roles,
  };
  const staffCtx = contextFor(tx, clock, staffActor, queuedStaff);
  const patientCtx = input.patientAccount
    ? contextFor(
        tx,
        clock,
        {
          kind: 'patient',
          userId: input.patientAccount.userId,
          clinicId: input.clinicId,
          sessionId: 'demo-seed',
          email: input.patientAccount.email,
          displayName: input.patientAccount.displayName,
          patientId: input.patientId,
        },
        queuedPatient,
      )
    : null;

  const { assigned } = await assignMeasures(staffCtx, input.patientId, {});
  const answers = answersByProfile[input.profile];
  let responses = 0;
  for (const assignment of assigned) {
    const given = answers[assignment.instrument];
    if (!given) continue; // an instrument outside the default set: left due
    const response = { id: randomUUID(), answers: given };
    if (patientCtx && assignment.respondent === 'patient') {
      await submitPortalResponse(patientCtx, assignment.id, response);
    } else {
      await recordStaffResponse(staffCtx, input.patientId, assignment.id, response);
    }
    responses += 1;
  }
  const now = clock.now();
  const meta = { requestId: null, ip: null, userAgent: null };
  await appendAuditEvents(tx, input.clinicId, staffActor, queuedStaff, meta, now);
  if (patientCtx) await appendAuditEvents(tx, input.clinicId, patientCtx.actor, queuedPatient, meta, now);
  return { responses };
}
