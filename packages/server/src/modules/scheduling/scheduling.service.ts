import { randomUUID } from 'node:crypto';
import { checkDoseSpacing, defaultMinimumIntervalHours } from '@kapstone/clinical';
import { and, asc, eq, inArray, lt, ne, type SQL, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import {
  appointment,
  appointmentStaff,
  patient,
  roleAssignment,
  room,
  userAccount,
} from '../../db/schema/index.ts';
import type { AppointmentKind } from '../../db/schema/scheduling.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';

export interface BookingInput {
  patientId: string;
  kind: AppointmentKind;
  roomId?: string | null;
  startsAt: string;
  endsAt: string;
  staff: { userId: string; role: string }[];
  note?: string | null;
}

/** The constraint PostgreSQL names in an exclusion violation, mapped to what the front desk needs to hear. */
const doubleBookings: Record<string, { path: string; message: string }> = {
  appointment_room_no_overlap: {
    path: 'roomId',
    message: 'This room is already booked for part of that time.',
  },
  appointment_patient_no_overlap: {
    path: 'patientId',
    message: 'The patient already has an appointment at an overlapping time.',
  },
  appointment_staff_no_overlap: {
    path: 'staff',
    message: 'A staff member is already booked at an overlapping time.',
  },
};

function exclusionViolation(error: unknown): { path: string; message: string } | null {
  const e = error as {
    code?: string;
    constraint?: string;
    cause?: { code?: string; constraint?: string; message?: string };
  };
  const code = e.code ?? e.cause?.code;
  if (code !== '23P01') return null;
  const name =
    e.constraint ??
    e.cause?.constraint ??
    Object.keys(doubleBookings).find((k) => (e.cause?.message ?? '').includes(k));
  return (
    (name && doubleBookings[name]) || { path: 'startsAt', message: 'That time overlaps another booking.' }
  );
}

/**
 * Books an appointment. The room, the staff and the patient must belong to the clinic; overlaps are refused
 * by the database's exclusion constraints, so two concurrent bookings of one slot cannot both succeed.
 */
export async function bookAppointment(ctx: ServiceContext, input: BookingInput) {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (!(endsAt > startsAt))
    throw new Invalid('The appointment must end after it starts.', [
      { path: 'endsAt', message: 'Must be after the start.' },
    ]);
  if (endsAt.getTime() - startsAt.getTime() > 12 * 3_600_000) {
    throw new Invalid('An appointment lasts at most 12 hours.', [
      { path: 'endsAt', message: 'At most 12 hours after the start.' },
    ]);
  }
  await assertChartAccess(ctx, input.patientId);
  if (input.roomId) {
    const [found] = await ctx.tx
      .select({ id: room.id })
      .from(room)
      .where(and(eq(room.clinicId, ctx.clinicId), eq(room.id, input.roomId), eq(room.active, true)));
    if (!found)
      throw new Invalid('No such room in this clinic.', [
        { path: 'roomId', message: 'Choose one of the clinic’s rooms.' },
      ]);
  }
  const staffIds = [...new Set(input.staff.map((s) => s.userId))];
  if (staffIds.length !== input.staff.length)
    throw new Invalid('A staff member is listed twice.', [
      { path: 'staff', message: 'List each person once.' },
    ]);
  if (staffIds.length > 0) {
    const found = await ctx.tx
      .select({ id: userAccount.id })
      .from(userAccount)
      .where(
        and(
          eq(userAccount.clinicId, ctx.clinicId),
          eq(userAccount.kind, 'staff'),
          inArray(userAccount.id, staffIds),
        ),
      );
    if (found.length !== staffIds.length)
      throw new Invalid('A listed staff member is not part of this clinic.', [
        { path: 'staff', message: 'Choose staff of this clinic.' },
      ]);
  }
  if (input.kind === 'dosing') await assertDoseSpacing(ctx, input.patientId, startsAt);
  const id = randomUUID();
  const now = ctx.clock.now();
  try {
    // A savepoint, so a refused booking is answered 409 without aborting the unit of work (and its audit).
    await ctx.tx.transaction(async (sp) => {
      await sp.insert(appointment).values({
        id,
        clinicId: ctx.clinicId,
        patientId: input.patientId,
        kind: input.kind,
        roomId: input.roomId ?? null,
        startsAt,
        endsAt,
        note: input.note ?? null,
        createdAt: now,
        createdBy: ctx.actor.userId,
      });
      if (input.staff.length > 0) {
        await sp.insert(appointmentStaff).values(
          input.staff.map((s) => ({
            clinicId: ctx.clinicId,
            appointmentId: id,
            userId: s.userId,
            role: s.role,
            startsAt,
            endsAt,
          })),
        );
      }
    });
  } catch (error) {
    const clash = exclusionViolation(error);
    if (clash) throw new Conflict(clash.message, [clash]);
    throw error;
  }
  ctx.audit.record({
    action: 'appointment.create',
    resourceType: 'appointment',
    resourceId: id,
    patientId: input.patientId,
    detail: { kind: input.kind },
  });
  return getAppointment(ctx, id);
}

/**
 * Keeps dosing sessions of a patient at least the minimum interval apart (@kapstone/clinical:
 * checkDoseSpacing; clinical-reference 2.1, a clinic setting). The patient's row is locked first, so two
 * concurrent bookings for the same patient are checked one after the other, not both against the old state.
 */
async function assertDoseSpacing(ctx: ServiceContext, patientId: string, startsAt: Date): Promise<void> {
  await ctx.tx
    .select({ id: patient.id })
    .from(patient)
    .where(and(eq(patient.clinicId, ctx.clinicId), eq(patient.id, patientId)))
    .for('update');
  const windowMs = defaultMinimumIntervalHours * 3_600_000;
  const nearby = await ctx.tx
    .select({ startsAt: appointment.startsAt })
    .from(appointment)
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        eq(appointment.patientId, patientId),
        eq(appointment.kind, 'dosing'),
        ne(appointment.status, 'cancelled'),
        lt(appointment.startsAt, new Date(startsAt.getTime() + windowMs)),
        sql`${appointment.startsAt} > ${new Date(startsAt.getTime() - windowMs).toISOString()}`,
      ),
    );
  const spacing = checkDoseSpacing(
    startsAt.toISOString(),
    nearby.map((n) => n.startsAt.toISOString()),
  );
  if (!spacing.ok) {
    throw new Conflict(
      `Dosing sessions must be at least ${defaultMinimumIntervalHours} hours apart; this one would be ${spacing.hoursApart} hours from another.`,
      [
        {
          path: 'startsAt',
          message: `At least ${defaultMinimumIntervalHours} hours from the patient's other dosing sessions.`,
        },
      ],
    );
  }
}

export async function cancelAppointment(ctx: ServiceContext, appointmentId: string, reason: string) {
  const now = ctx.clock.now();
  const [row] = await ctx.tx
    .update(appointment)
    .set({ status: 'cancelled', cancelledAt: now, cancelledBy: ctx.actor.userId, cancelReason: reason })
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        eq(appointment.id, appointmentId),
        ne(appointment.status, 'cancelled'),
      ),
    )
    .returning();
  if (!row) {
    const [existing] = await ctx.tx
      .select({ id: appointment.id })
      .from(appointment)
      .where(and(eq(appointment.clinicId, ctx.clinicId), eq(appointment.id, appointmentId)));
    if (!existing) throw new NotFound('Appointment');
    throw new Conflict('The appointment is already cancelled.');
  }
  await ctx.tx
    .update(appointmentStaff)
    .set({ active: false })
    .where(
      and(eq(appointmentStaff.clinicId, ctx.clinicId), eq(appointmentStaff.appointmentId, appointmentId)),
    );
  ctx.audit.record({
    action: 'appointment.cancel',
    resourceType: 'appointment',
    resourceId: appointmentId,
    patientId: row.patientId,
  });
  return getAppointment(ctx, appointmentId);
}

export async function getAppointment(ctx: ServiceContext, appointmentId: string) {
  const [row] = await ctx.tx
    .select()
    .from(appointment)
    .where(and(eq(appointment.clinicId, ctx.clinicId), eq(appointment.id, appointmentId)));
  if (!row) throw new NotFound('Appointment');
  const staff = await ctx.tx
    .select({
      userId: appointmentStaff.userId,
      role: appointmentStaff.role,
      displayName: userAccount.displayName,
    })
    .from(appointmentStaff)
    .innerJoin(userAccount, eq(userAccount.id, appointmentStaff.userId))
    .where(
      and(eq(appointmentStaff.clinicId, ctx.clinicId), eq(appointmentStaff.appointmentId, appointmentId)),
    );
  return presentAppointment(row, staff);
}

export function presentAppointment(
  row: typeof appointment.$inferSelect,
  staff: { userId: string; role: string; displayName: string }[],
) {
  return {
    id: row.id,
    patientId: row.patientId,
    kind: row.kind,
    roomId: row.roomId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    status: row.status,
    note: row.note,
    staff,
  };
}

/** The clinic's calendar between two instants, optionally for one room, staff member or patient. */
export async function listAppointments(
  ctx: ServiceContext,
  filters: {
    from: string;
    to: string;
    roomId?: string;
    userId?: string;
    patientId?: string;
    includeCancelled?: boolean;
  },
) {
  const from = new Date(filters.from);
  const to = new Date(filters.to);
  if (!(to > from) || to.getTime() - from.getTime() > 62 * 86_400_000) {
    throw new Invalid('Choose a range of at most 62 days, ending after it starts.', [
      { path: 'to', message: 'At most 62 days after `from`.' },
    ]);
  }
  const where: SQL[] = [
    eq(appointment.clinicId, ctx.clinicId),
    lt(appointment.startsAt, to),
    sql`${appointment.endsAt} > ${from.toISOString()}`,
  ];
  if (filters.roomId) where.push(eq(appointment.roomId, filters.roomId));
  if (filters.patientId) where.push(eq(appointment.patientId, filters.patientId));
  if (!filters.includeCancelled) where.push(ne(appointment.status, 'cancelled'));
  if (filters.userId) {
    where.push(
      sql`EXISTS (SELECT 1 FROM ${appointmentStaff} s WHERE s.clinic_id = ${appointment.clinicId} AND s.appointment_id = ${appointment.id} AND s.user_id = ${filters.userId})`,
    );
  }
  const rows = await ctx.tx
    .select()
    .from(appointment)
    .where(and(...where))
    .orderBy(asc(appointment.startsAt))
    .limit(1000);
  const staff = rows.length
    ? await ctx.tx
        .select({
          appointmentId: appointmentStaff.appointmentId,
          userId: appointmentStaff.userId,
          role: appointmentStaff.role,
          displayName: userAccount.displayName,
        })
        .from(appointmentStaff)
        .innerJoin(userAccount, eq(userAccount.id, appointmentStaff.userId))
        .where(
          and(
            eq(appointmentStaff.clinicId, ctx.clinicId),
            inArray(
              appointmentStaff.appointmentId,
              rows.map((r) => r.id),
            ),
          ),
        )
    : [];
  ctx.audit.record({
    action: 'appointment.list',
    resourceType: 'appointment',
    patientId: filters.patientId ?? null,
    detail: { count: rows.length },
  });
  return {
    items: rows.map((r) =>
      presentAppointment(
        r,
        staff.filter((s) => s.appointmentId === r.id).map(({ appointmentId: _a, ...s }) => s),
      ),
    ),
  };
}

export async function createRoom(
  ctx: ServiceContext,
  input: { name: string; kind: 'dosing-room' | 'therapy-room' | 'exam-room' },
) {
  const id = randomUUID();
  try {
    await ctx.tx.transaction(async (sp) => {
      await sp.insert(room).values({
        id,
        clinicId: ctx.clinicId,
        name: input.name,
        kind: input.kind,
        createdAt: ctx.clock.now(),
      });
    });
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    if ((e.code ?? e.cause?.code) === '23505')
      throw new Conflict('A room with this name exists.', [
        { path: 'name', message: 'Choose another name.' },
      ]);
    throw error;
  }
  ctx.audit.record({ action: 'room.create', resourceType: 'room', resourceId: id });
  return { id, name: input.name, kind: input.kind, active: true };
}

export async function listRooms(ctx: ServiceContext) {
  const rows = await ctx.tx
    .select()
    .from(room)
    .where(eq(room.clinicId, ctx.clinicId))
    .orderBy(asc(room.name));
  return { items: rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, active: r.active })) };
}

/** Staff of the clinic who can be booked, with their roles (for the booking form). */
export async function listBookableStaff(ctx: ServiceContext) {
  const rows = await ctx.tx
    .select({ id: userAccount.id, displayName: userAccount.displayName, role: roleAssignment.role })
    .from(userAccount)
    .innerJoin(
      roleAssignment,
      and(eq(roleAssignment.userId, userAccount.id), eq(roleAssignment.clinicId, userAccount.clinicId)),
    )
    .where(
      and(
        eq(userAccount.clinicId, ctx.clinicId),
        eq(userAccount.kind, 'staff'),
        inArray(roleAssignment.role, ['prescriber', 'nurse', 'therapist']),
      ),
    );
  const byId = new Map<string, { id: string; displayName: string; roles: string[] }>();
  for (const r of rows) {
    const entry = byId.get(r.id) ?? { id: r.id, displayName: r.displayName, roles: [] };
    entry.roles.push(r.role);
    byId.set(r.id, entry);
  }
  return { items: [...byId.values()] };
}
