import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import {
  appointment,
  noDrivingAcknowledgement,
  rideHomeConfirmation,
  userAccount,
} from '../../db/schema/index.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';

/**
 * What the patient acknowledges, in our words, stored with each acknowledgement so the exact text is kept.
 * The rule behind it: no driving until the next day after a restful sleep, and a ride home
 * (@kapstone/clinical preparationReminders; clinical-reference 2.5, 4.6).
 */
export const noDrivingStatement =
  'After my ketamine session I will not drive, cycle or operate machinery until the next day, after a restful sleep. A responsible adult will take me home.';

/** Every ride-home row of the appointments with who confirmed it, oldest first (later rows supersede earlier). */
async function rideHomeHistory(ctx: ServiceContext, appointmentIds: string[]) {
  if (appointmentIds.length === 0) return [];
  return ctx.tx
    .select({ row: rideHomeConfirmation, confirmedByName: userAccount.displayName })
    .from(rideHomeConfirmation)
    .innerJoin(
      userAccount,
      and(
        eq(userAccount.clinicId, rideHomeConfirmation.clinicId),
        eq(userAccount.id, rideHomeConfirmation.confirmedBy),
      ),
    )
    .where(
      and(
        eq(rideHomeConfirmation.clinicId, ctx.clinicId),
        inArray(rideHomeConfirmation.appointmentId, appointmentIds),
      ),
    )
    .orderBy(asc(rideHomeConfirmation.confirmedAt), asc(rideHomeConfirmation.id));
}

export async function latestRideHome(ctx: ServiceContext, appointmentIds: string[]) {
  const out = new Map<string, typeof rideHomeConfirmation.$inferSelect & { confirmedByName: string }>();
  // The newest row of each appointment is the one in force.
  for (const r of await rideHomeHistory(ctx, appointmentIds))
    out.set(r.row.appointmentId, { ...r.row, confirmedByName: r.confirmedByName });
  return out;
}

export async function acknowledgedAppointments(ctx: ServiceContext, appointmentIds: string[]) {
  if (appointmentIds.length === 0) return new Set<string>();
  const rows = await ctx.tx
    .select({ appointmentId: noDrivingAcknowledgement.appointmentId })
    .from(noDrivingAcknowledgement)
    .where(
      and(
        eq(noDrivingAcknowledgement.clinicId, ctx.clinicId),
        inArray(noDrivingAcknowledgement.appointmentId, appointmentIds),
      ),
    );
  return new Set(rows.map((r) => r.appointmentId));
}

/** A live dosing appointment of the clinic (404 otherwise; 409 when cancelled or not a dosing session). */
async function dosingAppointment(ctx: ServiceContext, appointmentId: string) {
  const [row] = await ctx.tx
    .select()
    .from(appointment)
    .where(and(eq(appointment.clinicId, ctx.clinicId), eq(appointment.id, appointmentId)));
  if (!row) throw new NotFound('Appointment');
  await assertChartAccess(ctx, row.patientId);
  if (row.kind !== 'dosing')
    throw new Conflict('Only a dosing session needs a ride home and the no-driving acknowledgement.', [
      { path: 'appointmentId', message: 'Choose a dosing session.' },
    ]);
  if (row.status === 'cancelled')
    throw new Conflict('The appointment is cancelled.', [
      { path: 'appointmentId', message: 'This appointment is cancelled.' },
    ]);
  return row;
}

export type RideHomeInput =
  | {
      clientId: string;
      status: 'confirmed';
      escortName: string;
      escortPhone: string;
      escortRelationship: string;
    }
  | { clientId: string; status: 'withdrawn' };

/**
 * The front desk confirms who takes the patient home (name, phone, relationship), or records that the
 * escort fell through. Each call adds a row superseding the previous one (append-only); a retried call with
 * the same client id returns the state instead of adding a second row.
 */
export async function confirmRideHome(ctx: ServiceContext, appointmentId: string, input: RideHomeInput) {
  const row = await dosingAppointment(ctx, appointmentId);
  const [retried] = await ctx.tx
    .select()
    .from(rideHomeConfirmation)
    .where(
      and(eq(rideHomeConfirmation.clinicId, ctx.clinicId), eq(rideHomeConfirmation.clientId, input.clientId)),
    );
  if (retried) {
    if (retried.appointmentId !== appointmentId)
      throw new Conflict('This client id was used for another appointment.', [
        { path: 'clientId', message: 'Generate a new id for each confirmation.' },
      ]);
    return preCheckIn(ctx, appointmentId, { audit: false });
  }
  const previous = (await latestRideHome(ctx, [appointmentId])).get(appointmentId) ?? null;
  if (input.status === 'withdrawn' && previous?.status !== 'confirmed')
    throw new Conflict('There is no confirmed ride home to withdraw.', [
      { path: 'status', message: 'Nothing to withdraw.' },
    ]);
  const id = randomUUID();
  await ctx.tx.insert(rideHomeConfirmation).values({
    id,
    clinicId: ctx.clinicId,
    appointmentId,
    patientId: row.patientId,
    status: input.status,
    escortName: input.status === 'confirmed' ? input.escortName : null,
    escortPhone: input.status === 'confirmed' ? input.escortPhone : null,
    escortRelationship: input.status === 'confirmed' ? input.escortRelationship : null,
    supersedesId: previous?.id ?? null,
    confirmedBy: ctx.actor.userId,
    // Strictly after the previous row, so the newest row is always the last in time.
    confirmedAt: laterThan(ctx.clock.now(), previous?.confirmedAt),
    clientId: input.clientId,
  });
  ctx.audit.record({
    action: input.status === 'confirmed' ? 'ride-home.confirm' : 'ride-home.withdraw',
    resourceType: 'ride_home_confirmation',
    resourceId: id,
    patientId: row.patientId,
    detail: { appointmentId, supersedes: previous?.id ?? null },
  });
  return preCheckIn(ctx, appointmentId, { audit: false });
}

function laterThan(now: Date, previous: Date | undefined): Date {
  if (previous && now.getTime() <= previous.getTime()) return new Date(previous.getTime() + 1);
  return now;
}

/**
 * Records the patient's no-driving acknowledgement: from the portal (the patient's own account), or by a
 * staff member on the patient's behalf (saying so). Once is enough: a second call returns the first.
 */
export async function acknowledgeNoDriving(ctx: ServiceContext, appointmentId: string) {
  const row = await dosingAppointment(ctx, appointmentId);
  if (ctx.actor.kind === 'patient' && ctx.actor.patientId !== row.patientId)
    throw new NotFound('Appointment');
  const [existing] = await ctx.tx
    .select()
    .from(noDrivingAcknowledgement)
    .where(
      and(
        eq(noDrivingAcknowledgement.clinicId, ctx.clinicId),
        eq(noDrivingAcknowledgement.appointmentId, appointmentId),
      ),
    )
    .orderBy(asc(noDrivingAcknowledgement.acknowledgedAt))
    .limit(1);
  if (!existing) {
    const id = randomUUID();
    const via = ctx.actor.kind === 'patient' ? 'portal' : 'staff-on-behalf';
    await ctx.tx.insert(noDrivingAcknowledgement).values({
      id,
      clinicId: ctx.clinicId,
      appointmentId,
      patientId: row.patientId,
      via,
      recordedBy: ctx.actor.userId,
      statement: noDrivingStatement,
      acknowledgedAt: ctx.clock.now(),
    });
    ctx.audit.record({
      action: 'no-driving.acknowledge',
      resourceType: 'no_driving_acknowledgement',
      resourceId: id,
      patientId: row.patientId,
      detail: { appointmentId, via },
    });
  }
  return row;
}

/** The ride-home history (newest first) and the acknowledgement of a dosing appointment. */
export async function preCheckIn(
  ctx: ServiceContext,
  appointmentId: string,
  options: { audit?: boolean } = {},
) {
  const row = await dosingAppointment(ctx, appointmentId);
  const rides = (await rideHomeHistory(ctx, [appointmentId])).reverse();
  const [ack] = await ctx.tx
    .select({ row: noDrivingAcknowledgement, recordedByName: userAccount.displayName })
    .from(noDrivingAcknowledgement)
    .innerJoin(
      userAccount,
      and(
        eq(userAccount.clinicId, noDrivingAcknowledgement.clinicId),
        eq(userAccount.id, noDrivingAcknowledgement.recordedBy),
      ),
    )
    .where(
      and(
        eq(noDrivingAcknowledgement.clinicId, ctx.clinicId),
        eq(noDrivingAcknowledgement.appointmentId, appointmentId),
      ),
    )
    .orderBy(asc(noDrivingAcknowledgement.acknowledgedAt))
    .limit(1);
  if (options.audit !== false)
    ctx.audit.record({
      action: 'pre-check-in.read',
      resourceType: 'appointment',
      resourceId: appointmentId,
      patientId: row.patientId,
    });
  const current = rides[0]?.row ?? null;
  return {
    appointmentId,
    rideHomeConfirmed: current?.status === 'confirmed',
    noDrivingAcknowledged: ack !== undefined,
    rideHome: rides.map((r) => ({
      id: r.row.id,
      status: r.row.status,
      escortName: r.row.escortName,
      escortPhone: r.row.escortPhone,
      escortRelationship: r.row.escortRelationship,
      supersedesId: r.row.supersedesId,
      confirmedBy: { id: r.row.confirmedBy, displayName: r.confirmedByName },
      confirmedAt: r.row.confirmedAt.toISOString(),
    })),
    noDriving: ack
      ? {
          id: ack.row.id,
          via: ack.row.via,
          recordedBy: { id: ack.row.recordedBy, displayName: ack.recordedByName },
          statement: ack.row.statement,
          acknowledgedAt: ack.row.acknowledgedAt.toISOString(),
        }
      : null,
    statement: noDrivingStatement,
  };
}
