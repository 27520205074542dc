import {
  appointmentLength,
  checkDoseSpacing,
  defaultMinimumIntervalHours,
  dosingStaffingRule,
  integrationWindow,
  type PlannedEvent,
  type ProtocolId,
  planCourse,
} from '@kapstone/clinical';
import { and, asc, eq, ne } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { appointment } from '../../db/schema/index.ts';
import { DomainError, type FieldProblem } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import { Availability, datesBetween, type ProposedSlot, type StaffNeed } from './availability.ts';
import { addDays, localParts, zonedInstant } from './clinic-time.ts';
import { type ActivePlanFacts, dosingPathway } from './pathway-gate.ts';
import { loadSchedulingContext } from './scheduling-settings.ts';

type ProposableKind = 'preparation' | 'dosing' | 'integration' | 'follow-up';

/**
 * Who to find for a slot. Dosing follows the protocol's staffing (@kapstone/clinical dosingStaffingRule): a
 * prescriber or nurse, and a therapist; where the protocol allows a monitor instead, the second variant
 * books a second nurse or prescriber as monitor when no therapist is free.
 */
function staffVariants(kind: ProposableKind, protocolId: ProtocolId, prefer: string[] = []): StaffNeed[][] {
  if (kind === 'dosing') {
    const rule = dosingStaffingRule(protocolId);
    const administering: StaffNeed = { anyOfRoles: rule.administeredBy };
    const variants: StaffNeed[][] = [[administering, { as: 'therapist', anyOfRoles: ['therapist'], prefer }]];
    if (rule.support === 'therapist-or-monitor')
      variants.push([administering, { as: 'monitor', anyOfRoles: ['nurse', 'prescriber'] }]);
    return variants;
  }
  if (kind === 'follow-up') return [[{ as: 'prescriber', anyOfRoles: ['prescriber'], prefer }]];
  return [[{ as: 'therapist', anyOfRoles: ['therapist'], prefer }]];
}

function findWithVariants(
  availability: Availability,
  variants: StaffNeed[][],
  input: Omit<Parameters<Availability['find']>[0], 'needs'>,
): ProposedSlot | null {
  for (const needs of variants) {
    const slot = availability.find({ ...input, needs });
    if (slot) return slot;
  }
  return null;
}

/** Rooms by kind of appointment, in order of preference. */
const roomKinds = (kind: ProposableKind) =>
  kind === 'dosing' ? ['dosing-room'] : ['therapy-room', 'exam-room'];

/**
 * After a dosing session is booked: free integration slots in the protocol's window (1–3 days after the
 * dose, @kapstone/clinical integrationWindow), the earliest on each day, with the session's therapist first.
 */
export async function proposeIntegration(
  ctx: ServiceContext,
  dosing: { patientId: string; startsAt: string; staff: { userId: string; role: string }[] },
  protocolId: ProtocolId,
): Promise<ProposedSlot[]> {
  const window = integrationWindow(protocolId);
  if (!window) return [];
  const { timeZone, settings } = await loadSchedulingContext(ctx);
  const minutes = appointmentLength('integration', { settings: settings.lengths }).defaultMinutes ?? 60;
  const doseDate = localParts(new Date(dosing.startsAt), timeZone).date;
  const dates = datesBetween(addDays(doseDate, window[0]), addDays(doseDate, window[1]));
  const availability = await Availability.load(
    ctx,
    timeZone,
    dosing.patientId,
    zonedInstant(dates[0]!, 0, timeZone),
    zonedInstant(addDays(dates.at(-1)!, 1), 0, timeZone),
  );
  const prefer = dosing.staff.filter((s) => s.role === 'therapist').map((s) => s.userId);
  const out: ProposedSlot[] = [];
  for (const date of dates) {
    const slot = findWithVariants(availability, staffVariants('integration', protocolId, prefer), {
      dates: [date],
      minutes,
      roomKinds: roomKinds('integration'),
      roomRequired: false,
    });
    if (slot) out.push(slot);
  }
  return out;
}

export interface CourseProposalItem {
  /** Position in the course, stable between the proposal and the booking. */
  ref: number;
  kind: ProposableKind;
  note: string;
  window: { earliest: string; latest: string };
  startsAt: string | null;
  endsAt: string | null;
  roomId: string | null;
  roomName: string | null;
  staff: ProposedSlot['staff'];
  /** Why no slot was proposed (the front desk picks one by hand). */
  problem: string | null;
  /** A live appointment of the patient already covers this event (nothing to book for it). */
  bookedAppointmentId: string | null;
}

/** The course as signed with the plan (planCourse at signing); recomputed only for a plan stored without it. */
function courseEvents(plan: ActivePlanFacts): PlannedEvent[] {
  if (plan.plannedCourse.length) return plan.plannedCourse;
  const psychotherapyProtocol = plan.protocolId === 'kap-im' || plan.protocolId === 'kap-sublingual';
  return planCourse(
    plan.protocolId,
    plan.startDate,
    psychotherapyProtocol && plan.dosingSessions <= 6 ? { dosingSessions: plan.dosingSessions } : {},
  );
}

/**
 * Turns the active plan's course (@kapstone/clinical planCourse) into proposed appointments: each on a day
 * of its event's window, in working hours, with free staff and rooms, doses kept the minimum interval apart
 * and each integration 1–3 days after the dose as proposed. Nothing is booked; past events are left out.
 */
export async function proposeCourse(ctx: ServiceContext, patientId: string) {
  await assertChartAccess(ctx, patientId);
  const pathway = await dosingPathway(ctx, patientId);
  const { timeZone, settings } = await loadSchedulingContext(ctx);
  if (!pathway.plan) {
    // Nothing to propose without an active plan; the answer says what else is missing too.
    ctx.audit.record({
      action: 'course-booking.propose',
      resourceType: 'patient',
      resourceId: patientId,
      patientId,
      detail: { items: 0, missing: pathway.missing.length },
    });
    return { planId: null, protocolId: null, timeZone, pathwayMissing: pathway.missing, items: [] };
  }
  const plan = pathway.plan;
  const today = localParts(ctx.clock.now(), timeZone).date;
  const events = courseEvents(plan).filter(
    (e): e is PlannedEvent & { kind: ProposableKind } =>
      e.kind !== 'measure' && e.latest >= addDays(today, 1),
  );
  const lastDate = events.reduce((max, e) => (e.latest > max ? e.latest : max), today);
  const availability = await Availability.load(
    ctx,
    timeZone,
    patientId,
    zonedInstant(addDays(today, -1), 0, timeZone),
    zonedInstant(addDays(lastDate, 8), 0, timeZone),
  );
  // The patient's live appointments, read once: every dose counts for the spacing; those not yet over are
  // what the patient already has (an event covered by one is shown as booked, not proposed again).
  const live = await ctx.tx
    .select({
      id: appointment.id,
      kind: appointment.kind,
      startsAt: appointment.startsAt,
      endsAt: appointment.endsAt,
      roomId: appointment.roomId,
    })
    .from(appointment)
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        eq(appointment.patientId, patientId),
        ne(appointment.status, 'cancelled'),
      ),
    )
    .orderBy(asc(appointment.startsAt));
  const existingDoses = live.filter((a) => a.kind === 'dosing').map((a) => a.startsAt.toISOString());
  const now = ctx.clock.now().getTime();
  const booked = live.filter((a) => a.endsAt.getTime() > now);
  const matched = new Set<string>();
  const proposedDoses: string[] = [];
  const usedDates = new Map<string, Set<string>>();
  let lastDoseDate: string | null = null;
  let lastDoseTherapist: string[] = [];
  const items: CourseProposalItem[] = [];

  events.forEach((event, ref) => {
    const kind = event.kind;
    const length = appointmentLength(kind, {
      route: plan.route,
      product: plan.product,
      settings: settings.lengths,
    });
    let window = { earliest: event.earliest, latest: event.latest };
    // Integration follows the dose as proposed, not as planned (a dose may slip within its window).
    if (kind === 'integration' && lastDoseDate) {
      const w = integrationWindow(plan.protocolId) ?? [1, 3];
      window = { earliest: addDays(lastDoseDate, w[0]), latest: addDays(lastDoseDate, w[1]) };
    }
    const base = { ref, kind, note: event.note ?? kind, window, staff: [] as ProposedSlot['staff'] };
    const empty = (problem: string): CourseProposalItem => ({
      ...base,
      startsAt: null,
      endsAt: null,
      roomId: null,
      roomName: null,
      problem,
      bookedAppointmentId: null,
    });
    const already = booked.find((a) => {
      if (matched.has(a.id) || a.kind !== kind) return false;
      const date = localParts(a.startsAt, timeZone).date;
      return date >= window.earliest && date <= window.latest;
    });
    if (already) {
      matched.add(already.id);
      const date = localParts(already.startsAt, timeZone).date;
      const taken = usedDates.get(kind) ?? new Set<string>();
      taken.add(date);
      usedDates.set(kind, taken);
      if (kind === 'dosing') {
        lastDoseDate = date;
        lastDoseTherapist = [];
      }
      items.push({
        ...base,
        startsAt: already.startsAt.toISOString(),
        endsAt: already.endsAt.toISOString(),
        roomId: already.roomId,
        roomName: null,
        problem: null,
        bookedAppointmentId: already.id,
      });
      return;
    }
    if (length.defaultMinutes === null) {
      items.push(empty(`${length.explanation} Set the clinic’s length, or choose times by hand.`));
      return;
    }
    const taken = usedDates.get(kind) ?? new Set<string>();
    const dates = datesBetween(
      window.earliest < addDays(today, 1) ? addDays(today, 1) : window.earliest,
      window.latest,
    ).filter((d) => !taken.has(d));
    const slot = findWithVariants(
      availability,
      staffVariants(kind, plan.protocolId, kind === 'integration' ? lastDoseTherapist : []),
      {
        dates,
        minutes: length.defaultMinutes,
        roomKinds: roomKinds(kind),
        roomRequired: kind === 'dosing',
        accept:
          kind === 'dosing'
            ? (startsAt) =>
                checkDoseSpacing(
                  startsAt.toISOString(),
                  [...existingDoses, ...proposedDoses],
                  defaultMinimumIntervalHours,
                ).ok
            : undefined,
      },
    );
    if (!slot) {
      items.push(
        empty(
          availability.hasWorkingHours()
            ? `No free ${kind === 'dosing' ? 'dosing room and staff' : 'clinician'} in working hours between ${window.earliest} and ${window.latest}.`
            : 'No working hours are recorded for the clinicians: record them to get proposals.',
        ),
      );
      return;
    }
    availability.reserve(slot);
    const date = localParts(new Date(slot.startsAt), timeZone).date;
    taken.add(date);
    usedDates.set(kind, taken);
    if (kind === 'dosing') {
      proposedDoses.push(slot.startsAt);
      lastDoseDate = date;
      lastDoseTherapist = slot.staff.filter((s) => s.role === 'therapist').map((s) => s.userId);
    }
    items.push({ ...base, ...slot, problem: null, bookedAppointmentId: null });
  });
  ctx.audit.record({
    action: 'course-booking.propose',
    resourceType: 'treatment_plan',
    resourceId: plan.id,
    patientId,
    detail: {
      items: items.length,
      unplaced: items.filter((i) => i.problem).length,
      alreadyBooked: items.filter((i) => i.bookedAppointmentId).length,
    },
  });
  return {
    planId: plan.id,
    protocolId: plan.protocolId,
    timeZone,
    pathwayMissing: pathway.missing,
    items,
  };
}

/** Prefixes a refusal's field paths with the course item it concerns. */
export function withinItem(error: unknown, index: number, label: string): unknown {
  if (!(error instanceof DomainError)) return error;
  const errors: FieldProblem[] = (
    error.errors.length ? error.errors : [{ path: '', message: error.message }]
  ).map((e) => ({
    path: `items.${index}${e.path ? `.${e.path}` : ''}`,
    message: e.message,
  }));
  const Kind = error.constructor as new (message: string, problems: FieldProblem[]) => DomainError;
  return new Kind(`Appointment ${index + 1} (${label}): ${error.message}`, errors);
}
