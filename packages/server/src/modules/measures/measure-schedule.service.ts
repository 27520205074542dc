import { randomUUID } from 'node:crypto';
import {
  type CourseDosing,
  type InstrumentId,
  instruments,
  measureSchedule,
  type ScheduledMeasure,
} from '@kapstone/clinical';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import type { ClinicSettings } from '../../db/schema/clinic.ts';
import {
  appointment,
  clinic,
  dosingSession,
  measureAssignment,
  questionnaireResponse,
  treatmentPlan,
  treatmentPlanEvent,
} from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import { screeningSetOf } from './measures.service.ts';

type AssignmentRow = typeof measureAssignment.$inferSelect;

/** Cancel reasons written by the schedule itself start with this (a person's cancellation never does). */
export const scheduleCancelPrefix = 'schedule:';

/** A patient self-reports an instrument marked patient-completed or in the clinic's screening set (as measures does). */
function respondentOf(id: InstrumentId, settings: ClinicSettings): 'patient' | 'clinician' {
  return instruments[id].completedBy === 'patient' || screeningSetOf(settings).includes(id)
    ? 'patient'
    : 'clinician';
}

interface CoursePlan {
  id: string;
  seriesId: string;
  protocolId: (typeof treatmentPlan.$inferSelect)['protocolId'];
  startDate: string;
  plannedDosingDates: string[];
  signedBy: string;
  endedOn: string | null;
}

export interface ScheduleState {
  timeZone: string;
  settings: ClinicSettings;
  today: string;
  plan: CoursePlan | null;
  items: ScheduledMeasure[];
  dueNow: ScheduledMeasure[];
  lastDose: string | null;
  assignments: AssignmentRow[];
}

/**
 * The patient's course plan: the latest signed version that no amendment superseded, whether still
 * active or ended (its follow-ups run after it ended). Null when no plan was ever signed.
 */
async function coursePlanOf(
  ctx: ServiceContext,
  patientId: string,
  timeZone: string,
): Promise<CoursePlan | null> {
  const [row] = await ctx.tx
    .select({ plan: treatmentPlan, event: treatmentPlanEvent })
    .from(treatmentPlan)
    .leftJoin(
      treatmentPlanEvent,
      and(
        eq(treatmentPlanEvent.clinicId, treatmentPlan.clinicId),
        eq(treatmentPlanEvent.planId, treatmentPlan.id),
      ),
    )
    .where(
      and(
        eq(treatmentPlan.clinicId, ctx.clinicId),
        eq(treatmentPlan.patientId, patientId),
        eq(treatmentPlan.status, 'signed'),
        sql`(${treatmentPlanEvent.kind} IS NULL OR ${treatmentPlanEvent.kind} = 'ended')`,
      ),
    )
    .orderBy(desc(treatmentPlan.signedAt), desc(treatmentPlan.id))
    .limit(1);
  if (!row?.plan.signedBy) return null;
  const p = row.plan;
  return {
    id: p.id,
    seriesId: p.seriesId,
    protocolId: p.protocolId,
    startDate: p.startDate,
    plannedDosingDates: p.plannedCourse.filter((e) => e.kind === 'dosing').map((e) => e.earliest),
    signedBy: p.signedBy as string,
    endedOn: row.event ? localParts(row.event.occurredAt, timeZone).date : null,
  };
}

/** Doses given under the plan's series, and its dosing bookings from today on that have not been dosed. */
async function courseDosings(
  ctx: ServiceContext,
  patientId: string,
  seriesId: string,
  timeZone: string,
  today: string,
): Promise<CourseDosing[]> {
  const versions = await ctx.tx
    .select({ id: treatmentPlan.id })
    .from(treatmentPlan)
    .where(and(eq(treatmentPlan.clinicId, ctx.clinicId), eq(treatmentPlan.seriesId, seriesId)));
  const planIds = versions.map((v) => v.id);
  const sessions = await ctx.tx
    .select({
      appointmentId: dosingSession.appointmentId,
      dosingStartedAt: dosingSession.dosingStartedAt,
      endedAt: dosingSession.endedAt,
    })
    .from(dosingSession)
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        eq(dosingSession.patientId, patientId),
        inArray(dosingSession.planId, planIds),
      ),
    );
  const dosed = sessions.filter((s) => s.dosingStartedAt !== null);
  // A booking that was dosed counts as given; one stopped before the dose counts no more (a checked-in
  // session still waiting for its dose is still the booked dose of today).
  const notBooked = new Set(
    sessions.filter((s) => s.dosingStartedAt !== null || s.endedAt !== null).map((s) => s.appointmentId),
  );
  const bookings = await ctx.tx
    .select({ id: appointment.id, startsAt: appointment.startsAt })
    .from(appointment)
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        eq(appointment.patientId, patientId),
        eq(appointment.kind, 'dosing'),
        eq(appointment.status, 'scheduled'),
        inArray(appointment.planId, planIds),
      ),
    );
  return [
    ...dosed.map((s) => ({
      date: localParts(s.dosingStartedAt as Date, timeZone).date,
      status: 'given' as const,
    })),
    ...bookings
      .filter((b) => !notBooked.has(b.id))
      .map((b) => ({ date: localParts(b.startsAt, timeZone).date, status: 'booked' as const }))
      .filter((b) => b.date >= today),
  ];
}

/** Everything the schedule of one patient is computed from, read in one pass (no overlapping queries). */
export async function loadScheduleState(ctx: ServiceContext, patientId: string): Promise<ScheduleState> {
  const [clinicRow] = await ctx.tx
    .select({ settings: clinic.settings, timeZone: clinic.timeZone })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  if (!clinicRow) throw new NotFound('Clinic');
  const { timeZone, settings } = clinicRow;
  const today = localParts(ctx.clock.now(), timeZone).date;
  const assignments = await ctx.tx
    .select()
    .from(measureAssignment)
    .where(and(eq(measureAssignment.clinicId, ctx.clinicId), eq(measureAssignment.patientId, patientId)))
    .orderBy(asc(measureAssignment.assignedAt), asc(measureAssignment.id));
  const plan = await coursePlanOf(ctx, patientId, timeZone);
  if (!plan) {
    return { timeZone, settings, today, plan, items: [], dueNow: [], lastDose: null, assignments };
  }
  const dosings = await courseDosings(ctx, patientId, plan.seriesId, timeZone, today);
  const answers = await ctx.tx
    .select({ instrument: questionnaireResponse.instrument, authoredAt: questionnaireResponse.authoredAt })
    .from(questionnaireResponse)
    .where(
      and(eq(questionnaireResponse.clinicId, ctx.clinicId), eq(questionnaireResponse.patientId, patientId)),
    );
  const schedule = measureSchedule({
    protocolId: plan.protocolId,
    planStartDate: plan.startDate,
    plannedDosingDates: plan.plannedDosingDates,
    dosings,
    endedOn: plan.endedOn,
    today,
    answered: answers.map((a) => ({
      instrument: a.instrument,
      date: localParts(a.authoredAt, timeZone).date,
    })),
  });
  return { timeZone, settings, today, plan, ...schedule, assignments };
}

/** A completed assignment answers an item when it was due that day or completed within the item's window. */
function answers(
  a: AssignmentRow,
  item: ScheduledMeasure,
  instrument: InstrumentId,
  timeZone: string,
): boolean {
  if (a.scheduleKey !== item.scheduleKey || a.instrument !== instrument || a.status !== 'completed')
    return false;
  if (a.dueDate === item.dueDate) return true;
  const done = a.completedAt ? localParts(a.completedAt, timeZone).date : null;
  return done !== null && done >= item.earliest && done <= item.latest;
}

export interface SyncResult {
  created: number;
  cancelled: number;
}

/**
 * Brings a patient's scheduled measure assignments in line with the plan's schedule (measureSchedule):
 * creates those due now that are missing, and cancels pending scheduled ones whose point moved (a dosing
 * session moved or was cancelled), vanished (the plan ended before that dose) or belongs to no signed
 * plan. Completed assignments are never touched, nor assignments outside a schedule. Idempotent (the
 * one-pending unique index settles a race). `assignedBy` is the prescriber who signed the plan; a
 * cancellation by the schedule has no `cancelledBy` and a reason starting with 'schedule:'.
 *
 * It checks no chart access: callers are services that already did (plans, scheduling, sessions) and the
 * daily task (system work). Runs inside the caller's transaction.
 */
export async function syncMeasureSchedule(ctx: ServiceContext, patientId: string): Promise<SyncResult> {
  const state = await loadScheduleState(ctx, patientId);
  const now = ctx.clock.now();
  const result: SyncResult = { created: 0, cancelled: 0 };

  // Cancel pending scheduled assignments that no longer match an anchored point of the schedule.
  const anchored = state.items.filter((i) => i.anchor === 'anchored');
  for (const a of state.assignments) {
    if (a.status !== 'pending' || a.scheduleKey === null) continue;
    const item = anchored.find((i) => i.scheduleKey === a.scheduleKey);
    const stillDue = item && item.dueDate === a.dueDate && item.instruments.includes(a.instrument);
    if (stillDue) continue;
    const why = !state.plan
      ? 'no signed treatment plan'
      : state.plan.endedOn !== null && a.reason === 'pre-dose'
        ? 'the plan ended before this dose'
        : item && item.dueDate === a.dueDate
          ? 'already answered in the baseline window'
          : item
            ? 'its dosing date moved'
            : 'no longer in the plan’s schedule';
    const cancelled = await ctx.tx
      .update(measureAssignment)
      .set({
        status: 'cancelled',
        cancelledAt: now,
        cancelledBy: null,
        cancelReason: `${scheduleCancelPrefix} ${why}`,
      })
      .where(
        and(
          eq(measureAssignment.clinicId, ctx.clinicId),
          eq(measureAssignment.id, a.id),
          eq(measureAssignment.status, 'pending'),
        ),
      )
      .returning({ id: measureAssignment.id });
    if (cancelled.length === 1) {
      result.cancelled++;
      a.status = 'cancelled';
      ctx.audit.record({
        action: 'measure-assignment.cancel',
        resourceType: 'measure-assignment',
        resourceId: a.id,
        patientId,
        detail: { instrument: a.instrument, scheduleKey: a.scheduleKey, by: 'schedule', why },
      });
    }
  }
  if (!state.plan) return result;

  // Create what is due now and missing.
  const pendingBaseline = new Set(
    state.assignments
      .filter((a) => a.status === 'pending' && a.scheduleKey === null && a.reason === 'baseline')
      .map((a) => a.instrument),
  );
  const rows: (typeof measureAssignment.$inferInsert)[] = [];
  for (const item of state.dueNow) {
    for (const instrument of item.instruments) {
      if (item.reason === 'baseline' && pendingBaseline.has(instrument)) continue;
      const exists = state.assignments.some(
        (a) =>
          a.scheduleKey === item.scheduleKey &&
          a.instrument === instrument &&
          (a.status === 'pending' ||
            answers(a, item, instrument, state.timeZone) ||
            // A person cancelled it for this date: the schedule does not bring it back.
            (a.status === 'cancelled' &&
              a.dueDate === item.dueDate &&
              !(a.cancelReason ?? '').startsWith(scheduleCancelPrefix))),
      );
      if (exists) continue;
      rows.push({
        id: randomUUID(),
        clinicId: ctx.clinicId,
        patientId,
        instrument,
        reason: item.reason,
        respondent: respondentOf(instrument, state.settings),
        dueDate: item.dueDate,
        assignedAt: now,
        assignedBy: state.plan.signedBy,
        planId: state.plan.id,
        scheduleKey: item.scheduleKey,
      });
    }
  }
  if (rows.length > 0) {
    const created = await ctx.tx
      .insert(measureAssignment)
      .values(rows)
      .onConflictDoNothing()
      .returning({ id: measureAssignment.id });
    const createdIds = new Set(created.map((c) => c.id));
    for (const row of rows) {
      if (!createdIds.has(row.id as string)) continue;
      result.created++;
      ctx.audit.record({
        action: 'measure-assignment.create',
        resourceType: 'measure-assignment',
        resourceId: row.id,
        patientId,
        detail: {
          instrument: row.instrument,
          reason: row.reason,
          scheduleKey: row.scheduleKey,
          by: 'schedule',
        },
      });
    }
  }
  return result;
}

export type ScheduleEntryStatus = 'planned' | 'due' | 'completed' | 'missed';

export interface ScheduleEntry {
  scheduleKey: string;
  reason: ScheduledMeasure['reason'];
  instrument: InstrumentId;
  instrumentName: string;
  dueDate: string;
  status: ScheduleEntryStatus;
  /** The date follows a given or booked dose ('anchored') or is estimated from the protocol ('planned'). */
  anchor: ScheduledMeasure['anchor'];
  explanation: string;
  assignmentId: string | null;
  completedAt: string | null;
  responseId: string | null;
}

/**
 * The measure schedule of a patient's course, for the care team: each point of the schedule and
 * instrument, planned (not due yet), due (assigned and waiting), completed, or missed (still unanswered
 * after the clinic's grace, or its window passed without an answer).
 */
export async function getMeasureSchedule(ctx: ServiceContext, patientId: string) {
  const access = await assertChartAccess(ctx, patientId);
  if (access.level !== 'clinical') throw new NotFound('Patient');
  const state = await loadScheduleState(ctx, patientId);
  const entries: ScheduleEntry[] = [];
  for (const item of state.items) {
    for (const instrument of item.instruments) {
      const completed = state.assignments.find((a) => answers(a, item, instrument, state.timeZone));
      const pending = state.assignments.find(
        (a) => a.status === 'pending' && a.scheduleKey === item.scheduleKey && a.instrument === instrument,
      );
      let status: ScheduleEntryStatus;
      if (completed) status = 'completed';
      else if (pending) status = pending.missedAt ? 'missed' : 'due';
      else if (item.anchor === 'anchored' && item.latest < state.today) status = 'missed';
      else status = 'planned';
      const chosen = completed ?? pending ?? null;
      entries.push({
        scheduleKey: item.scheduleKey,
        reason: item.reason,
        instrument,
        instrumentName: instruments[instrument].shortName,
        dueDate: item.dueDate,
        status,
        anchor: item.anchor,
        explanation: item.explanation,
        assignmentId: chosen?.id ?? null,
        completedAt: completed?.completedAt?.toISOString() ?? null,
        responseId: completed?.responseId ?? null,
      });
    }
  }
  ctx.audit.record({
    action: 'measure-schedule.read',
    resourceType: 'measure-schedule',
    resourceId: state.plan?.id ?? null,
    patientId,
    breakGlass: access.breakGlass,
    detail: { entries: entries.length },
  });
  return {
    planId: state.plan?.id ?? null,
    protocolId: state.plan?.protocolId ?? null,
    planEnded: state.plan?.endedOn ?? null,
    lastDose: state.lastDose,
    today: state.today,
    entries,
  };
}

/**
 * Patients whose measure schedule may still ask for something: a signed plan that is active, or ended
 * within the last 13 months (its follow-ups run to 12 months after the last dose). For the daily sync.
 */
export async function patientsWithScheduledCare(ctx: ServiceContext): Promise<string[]> {
  const since = new Date(ctx.clock.now().getTime() - 400 * 86_400_000);
  const rows = await ctx.tx
    .selectDistinct({ patientId: treatmentPlan.patientId })
    .from(treatmentPlan)
    .leftJoin(
      treatmentPlanEvent,
      and(
        eq(treatmentPlanEvent.clinicId, treatmentPlan.clinicId),
        eq(treatmentPlanEvent.planId, treatmentPlan.id),
      ),
    )
    .where(
      and(
        eq(treatmentPlan.clinicId, ctx.clinicId),
        eq(treatmentPlan.status, 'signed'),
        isNotNull(treatmentPlan.signedBy),
        sql`(${treatmentPlanEvent.id} IS NULL OR (${treatmentPlanEvent.kind} = 'ended' AND ${treatmentPlanEvent.occurredAt} >= ${since.toISOString()}))`,
      ),
    )
    .orderBy(treatmentPlan.patientId);
  return rows.map((r) => r.patientId);
}
