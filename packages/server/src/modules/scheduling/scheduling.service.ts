import { randomUUID } from 'node:crypto';
import {
  appointmentLength,
  checkDoseSpacing,
  checkDosingStaffing,
  defaultMinimumIntervalHours,
  dosingStaffingRule,
} from '@kapstone/clinical';
import { and, asc, eq, inArray, isNull, lt, ne, type SQL, sql } from 'drizzle-orm';
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
import { Conflict, type FieldProblem, Invalid, NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import { syncMeasureSchedule } from '../measures/measure-schedule.service.ts';
import { type DosingPathway, dosingPathway, pathwayMessage } from './pathway-gate.ts';
import { acknowledgedAppointments, latestRideHome } from './pre-check-in.service.ts';
import { proposeIntegration, withinItem } from './proposals.ts';
import { loadSchedulingContext } from './scheduling-settings.ts';
import { checkWorkingHours } from './working-hours.service.ts';

export type BookedRole = 'prescriber' | 'nurse' | 'therapist' | 'monitor';

export interface BookingInput {
  patientId: string;
  kind: AppointmentKind;
  roomId?: string | null;
  startsAt: string;
  /** Absent: the appointment type's default length (@kapstone/clinical appointmentLength). */
  endsAt?: string | null;
  staff: { userId: string; role: BookedRole }[];
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

/** Roles a booked clinician must hold for the part they are booked in (a monitor is a nurse or prescriber). */
const accountRolesFor: Record<BookedRole, readonly string[]> = {
  prescriber: ['prescriber'],
  nurse: ['nurse'],
  therapist: ['therapist'],
  monitor: ['nurse', 'prescriber'],
};

export interface BookingOptions {
  /** Course booking: the pathway was checked once for the whole course. */
  pathway?: DosingPathway;
  /** Propose integration slots after a dosing session (default true; a course brings its own). */
  proposeIntegration?: boolean;
}

/**
 * Books an appointment. The room, the staff and the patient must belong to the clinic; overlaps are refused
 * by the database's exclusion constraints, so two concurrent bookings of one slot cannot both succeed.
 * A dosing session also needs the pathway (eligibility, consent, plan: 409 naming all that is missing), the
 * staffing of its protocol (400 per field), a length of at least the observation minimum, and the dose
 * spacing. Outside a clinician's recorded working hours the booking is refused (409).
 */
export async function bookAppointment(
  ctx: ServiceContext,
  input: BookingInput,
  options: BookingOptions = {},
) {
  await assertChartAccess(ctx, input.patientId);
  const { timeZone, settings } = await loadSchedulingContext(ctx);
  const startsAt = new Date(input.startsAt);
  const pathway =
    input.kind === 'dosing' ? (options.pathway ?? (await dosingPathway(ctx, input.patientId))) : null;
  const plan = pathway?.plan ?? null;

  const length = appointmentLength(input.kind, {
    route: plan?.route,
    product: plan?.product,
    settings: settings.lengths,
  });
  let endsAt: Date;
  if (input.endsAt) endsAt = new Date(input.endsAt);
  else if (length.defaultMinutes !== null)
    endsAt = new Date(startsAt.getTime() + length.defaultMinutes * 60_000);
  else if (input.kind === 'dosing' && !plan)
    // Without a plan there is no route, hence no length; the pathway refusal below says why.
    endsAt = new Date(startsAt.getTime() + 60_000);
  else
    throw new Invalid(`No default length for a ${input.kind} appointment: give an end time.`, [
      { path: 'endsAt', message: `${length.explanation}` },
    ]);
  if (!(endsAt > startsAt))
    throw new Invalid('The appointment must end after it starts.', [
      { path: 'endsAt', message: 'Must be after the start.' },
    ]);
  if (endsAt.getTime() - startsAt.getTime() > 12 * 3_600_000) {
    throw new Invalid('An appointment lasts at most 12 hours.', [
      { path: 'endsAt', message: 'At most 12 hours after the start.' },
    ]);
  }
  const minutes = Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);

  const problems: FieldProblem[] = [];
  let roomKind: string | null = null;
  if (input.roomId) {
    const [found] = await ctx.tx
      .select({ id: room.id, kind: room.kind })
      .from(room)
      .where(and(eq(room.clinicId, ctx.clinicId), eq(room.id, input.roomId), eq(room.active, true)));
    if (!found) problems.push({ path: 'roomId', message: 'Choose one of the clinic’s rooms.' });
    else roomKind = found.kind;
  }
  const staffIds = [...new Set(input.staff.map((s) => s.userId))];
  if (staffIds.length !== input.staff.length)
    problems.push({ path: 'staff', message: 'List each person once.' });
  const people = new Map<string, { displayName: string; roles: string[] }>();
  if (staffIds.length > 0) {
    const found = await ctx.tx
      .select({ id: userAccount.id, displayName: userAccount.displayName, role: roleAssignment.role })
      .from(userAccount)
      .leftJoin(
        roleAssignment,
        and(eq(roleAssignment.clinicId, userAccount.clinicId), eq(roleAssignment.userId, userAccount.id)),
      )
      .where(
        and(
          eq(userAccount.clinicId, ctx.clinicId),
          eq(userAccount.kind, 'staff'),
          isNull(userAccount.disabledAt),
          inArray(userAccount.id, staffIds),
        ),
      );
    for (const r of found) {
      const person = people.get(r.id) ?? { displayName: r.displayName, roles: [] };
      if (r.role) person.roles.push(r.role);
      people.set(r.id, person);
    }
    input.staff.forEach((s, i) => {
      const person = people.get(s.userId);
      if (!person) problems.push({ path: `staff.${i}.userId`, message: 'Choose staff of this clinic.' });
      else if (!person.roles.some((r) => accountRolesFor[s.role].includes(r)))
        problems.push({
          path: `staff.${i}.role`,
          message:
            s.role === 'monitor'
              ? `${person.displayName} is not a nurse or prescriber, so cannot monitor.`
              : `${person.displayName} does not hold the ${s.role} role.`,
        });
    });
  }
  if (input.kind === 'dosing') {
    if (plan && length.minimumMinutes !== null && minutes < length.minimumMinutes)
      problems.push({
        path: 'endsAt',
        message: `At least ${length.minimumMinutes} minutes: ${length.explanation} (${length.citation.section}).`,
      });
    const rule = dosingStaffingRule(plan?.protocolId ?? 'kap-im');
    problems.push(
      ...checkDosingStaffing(rule, { roomKind: input.roomId ? roomKind : null, staff: input.staff }),
    );
  }
  if (problems.length) throw new Invalid(problems[0]!.message, problems);
  if (pathway?.missing.length) throw new Conflict(pathwayMessage(pathway.missing), pathway.missing);

  const { warnings } = await checkWorkingHours(
    ctx,
    timeZone,
    staffIds.map((id) => ({ userId: id, displayName: people.get(id)!.displayName })),
    startsAt,
    endsAt,
  );
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
        planId: plan?.id ?? null,
        protocolId: plan?.protocolId ?? null,
        route: input.kind === 'dosing' ? (plan?.route ?? null) : null,
        product: input.kind === 'dosing' ? (plan?.product ?? null) : null,
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
    detail: { kind: input.kind, minutes, defaultLength: !input.endsAt },
  });
  // A dosing booking anchors the measures due before it (and moves them when a session moves).
  if (input.kind === 'dosing') await syncMeasureSchedule(ctx, input.patientId);
  const booked = await getAppointment(ctx, id, { audit: false });
  const integrationProposals =
    input.kind === 'dosing' && plan && options.proposeIntegration !== false
      ? await proposeIntegration(ctx, booked, plan.protocolId)
      : [];
  return { ...booked, warnings, integrationProposals };
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
  if (row.kind === 'dosing') await syncMeasureSchedule(ctx, row.patientId);
  return getAppointment(ctx, appointmentId, { audit: false });
}

export async function getAppointment(
  ctx: ServiceContext,
  appointmentId: string,
  options: { audit?: boolean } = {},
): Promise<AppointmentView> {
  const [row] = await ctx.tx
    .select()
    .from(appointment)
    .where(and(eq(appointment.clinicId, ctx.clinicId), eq(appointment.id, appointmentId)));
  if (!row) throw new NotFound('Appointment');
  const [view] = await presentAppointments(ctx, [row]);
  if (options.audit !== false)
    ctx.audit.record({
      action: 'appointment.read',
      resourceType: 'appointment',
      resourceId: row.id,
      patientId: row.patientId,
    });
  return view!;
}

export type AppointmentView = Awaited<ReturnType<typeof presentAppointments>>[number];

/**
 * Appointments as staff see them: the patient's name and MRN (as on the patient list, open to every role
 * with the schedule), room, staff, and for a dosing session whether the ride home is confirmed and the
 * patient has acknowledged not driving (both needed at check-in).
 */
export async function presentAppointments(ctx: ServiceContext, rows: (typeof appointment.$inferSelect)[]) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [staff, patients, rooms, escorts, acknowledgements] = [
    await ctx.tx
      .select({
        appointmentId: appointmentStaff.appointmentId,
        userId: appointmentStaff.userId,
        role: appointmentStaff.role,
        displayName: userAccount.displayName,
      })
      .from(appointmentStaff)
      .innerJoin(
        userAccount,
        and(eq(userAccount.clinicId, appointmentStaff.clinicId), eq(userAccount.id, appointmentStaff.userId)),
      )
      .where(and(eq(appointmentStaff.clinicId, ctx.clinicId), inArray(appointmentStaff.appointmentId, ids))),
    await ctx.tx
      .select({
        id: patient.id,
        givenName: patient.givenName,
        familyName: patient.familyName,
        preferredName: patient.preferredName,
        mrn: patient.mrn,
      })
      .from(patient)
      .where(
        and(
          eq(patient.clinicId, ctx.clinicId),
          inArray(patient.id, [...new Set(rows.map((r) => r.patientId))]),
        ),
      ),
    await ctx.tx.select({ id: room.id, name: room.name }).from(room).where(eq(room.clinicId, ctx.clinicId)),
    await latestRideHome(ctx, ids),
    await acknowledgedAppointments(ctx, ids),
  ];
  const patientById = new Map(patients.map((p) => [p.id, p]));
  const roomById = new Map(rooms.map((r) => [r.id, r.name]));
  return rows.map((row) => {
    const p = patientById.get(row.patientId);
    const escort = escorts.get(row.id) ?? null;
    const dosing = row.kind === 'dosing';
    return {
      id: row.id,
      patientId: row.patientId,
      patient: p
        ? {
            displayName: `${p.preferredName ?? p.givenName} ${p.familyName}`,
            mrn: p.mrn,
          }
        : null,
      kind: row.kind,
      roomId: row.roomId,
      roomName: row.roomId ? (roomById.get(row.roomId) ?? null) : null,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt.toISOString(),
      status: row.status,
      note: row.note,
      planId: row.planId,
      protocolId: row.protocolId,
      route: row.route,
      product: row.product,
      cancelReason: row.cancelReason,
      staff: staff.filter((s) => s.appointmentId === row.id).map(({ appointmentId: _a, ...s }) => s),
      /** Dosing sessions only (null otherwise): both are required before check-in. */
      rideHomeConfirmed: dosing ? escort?.status === 'confirmed' : null,
      noDrivingAcknowledged: dosing ? acknowledgements.has(row.id) : null,
      rideHome:
        dosing && escort
          ? {
              status: escort.status,
              escortName: escort.escortName,
              escortPhone: escort.escortPhone,
              escortRelationship: escort.escortRelationship,
              confirmedBy: escort.confirmedBy,
              confirmedByName: escort.confirmedByName,
              confirmedAt: escort.confirmedAt.toISOString(),
            }
          : null,
    };
  });
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
  if (filters.patientId) await assertChartAccess(ctx, filters.patientId);
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
  ctx.audit.record({
    action: 'appointment.list',
    resourceType: 'appointment',
    patientId: filters.patientId ?? null,
    detail: { count: rows.length, patients: [...new Set(rows.map((r) => r.patientId))].length },
  });
  const { timeZone } = await loadSchedulingContext(ctx);
  return { timeZone, items: await presentAppointments(ctx, rows) };
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

export interface CourseBookingItem {
  kind: 'preparation' | 'dosing' | 'integration' | 'follow-up';
  startsAt: string;
  endsAt?: string | null;
  roomId?: string | null;
  staff: { userId: string; role: BookedRole }[];
  note?: string | null;
}

/**
 * Books a course in one transaction: every appointment or none. A refusal names the item (its position,
 * `items.N.<field>`) and the field; the unit of work then rolls back everything booked before it.
 */
export async function bookCourse(ctx: ServiceContext, patientId: string, items: CourseBookingItem[]) {
  await assertChartAccess(ctx, patientId);
  const pathway = items.some((i) => i.kind === 'dosing') ? await dosingPathway(ctx, patientId) : undefined;
  if (pathway?.missing.length) throw new Conflict(pathwayMessage(pathway.missing), pathway.missing);
  const booked = [];
  for (const [index, item] of items.entries()) {
    try {
      const { integrationProposals: _p, ...appointmentView } = await bookAppointment(
        ctx,
        { ...item, patientId },
        { pathway, proposeIntegration: false },
      );
      booked.push(appointmentView);
    } catch (error) {
      throw withinItem(error, index, item.note ?? item.kind);
    }
  }
  ctx.audit.record({
    action: 'course-booking.create',
    resourceType: 'appointment',
    patientId,
    detail: { appointments: booked.length, planId: pathway?.plan?.id ?? null },
  });
  return { items: booked };
}
