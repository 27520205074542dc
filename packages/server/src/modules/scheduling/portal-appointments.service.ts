import { type Product, preparationReminders } from '@kapstone/clinical';
import { and, asc, eq, gt, ne } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { appointment, room } from '../../db/schema/index.ts';
import { Forbidden } from '../../errors.ts';
import {
  acknowledgedAppointments,
  acknowledgeNoDriving,
  noDrivingStatement,
} from './pre-check-in.service.ts';
import { loadSchedulingContext } from './scheduling-settings.ts';

function patientOf(ctx: ServiceContext): string {
  if (ctx.actor.kind !== 'patient') throw new Forbidden('This is the patient portal.');
  return ctx.actor.patientId;
}

export const kindLabels = {
  screening: 'Screening visit',
  preparation: 'Preparation session',
  dosing: 'Ketamine session',
  integration: 'Integration session',
  'follow-up': 'Follow-up visit',
} as const;

/**
 * What the patient reads before a session, in plain words; the rules (fasting by product, ride home, no
 * driving until the next day) and their sources are @kapstone/clinical's preparationReminders.
 */
export function remindersFor(product: Product | null, fastingHours: number | null) {
  const rules = preparationReminders(product, { fastingHours });
  const fasting =
    rules.fasting.kind === 'label'
      ? `Do not eat for ${rules.fasting.foodHours} hours, and do not drink anything for ${rules.fasting.liquidsMinutes} minutes, before your session.`
      : rules.fasting.kind === 'clinic'
        ? `Do not eat for ${rules.fasting.foodHours} hours before your session (your clinic’s instruction).`
        : 'Eat and drink before your session as your clinic tells you.';
  return {
    fasting,
    rideHome: 'Arrange for a responsible adult to take you home. You cannot leave on your own.',
    noDriving: 'Do not drive, cycle or operate machinery until the next day, after a restful sleep.',
    sources: [
      rules.fasting.citation.section,
      rules.rideHome.citation.section,
      rules.noDriving.citation.section,
    ],
  };
}

/**
 * The patient's upcoming appointments: times, kind, room name and, for a ketamine session, the
 * preparation reminders and whether they have acknowledged not driving. Nothing about staff, notes or
 * psychotherapy content.
 */
export async function listMyAppointments(ctx: ServiceContext) {
  const patientId = patientOf(ctx);
  const { timeZone, clinicName, settings } = await loadSchedulingContext(ctx);
  const rows = await ctx.tx
    .select({
      id: appointment.id,
      kind: appointment.kind,
      startsAt: appointment.startsAt,
      endsAt: appointment.endsAt,
      product: appointment.product,
      roomName: room.name,
    })
    .from(appointment)
    .leftJoin(room, and(eq(room.clinicId, appointment.clinicId), eq(room.id, appointment.roomId)))
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        eq(appointment.patientId, patientId),
        ne(appointment.status, 'cancelled'),
        gt(appointment.endsAt, ctx.clock.now()),
      ),
    )
    .orderBy(asc(appointment.startsAt))
    .limit(100);
  const acknowledged = await acknowledgedAppointments(
    ctx,
    rows.filter((r) => r.kind === 'dosing').map((r) => r.id),
  );
  ctx.audit.record({
    action: 'portal.appointments.read',
    resourceType: 'appointment',
    patientId,
    detail: { count: rows.length },
  });
  return {
    clinicName,
    timeZone,
    noDrivingStatement,
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: kindLabels[r.kind],
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      roomName: r.roomName ?? null,
      preparation:
        r.kind === 'dosing'
          ? remindersFor((r.product as Product | null) ?? null, settings.fastingHours)
          : null,
      noDrivingAcknowledged: r.kind === 'dosing' ? acknowledged.has(r.id) : null,
    })),
  };
}

/** The portal's "I will not drive" button: the patient's own dosing appointment only (404 otherwise). */
export async function acknowledgeMyNoDriving(ctx: ServiceContext, appointmentId: string) {
  patientOf(ctx);
  await acknowledgeNoDriving(ctx, appointmentId);
  return { appointmentId, noDrivingAcknowledged: true, statement: noDrivingStatement };
}
