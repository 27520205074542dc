import type { InstrumentId } from '@kapstone/clinical';
import { and, asc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import {
  dosingSession,
  measureAssignment,
  observation,
  questionnaireResponse,
} from '../../db/schema/index.ts';
import type { MeasureReason } from '../../db/schema/measures.ts';

/**
 * One scored total of an instrument, as it stands now: a response corrected later counts with the corrected
 * answers, at the time the original was given (a correction fixes what was answered, not when).
 */
export interface ScorePoint {
  /** The response that holds the current answers (the last correction, or the original). */
  responseId: string;
  instrument: InstrumentId;
  total: number;
  band: string | null;
  at: Date;
  /** Why the measure was due (null for a response given without an assignment). */
  reason: MeasureReason | null;
  /** Where it sits in the plan's measure schedule ('baseline', 'dose:2', 'follow-up:3m'...), when scheduled. */
  scheduleKey: string | null;
}

/**
 * The current totals of a patient's instruments, oldest first per instrument. Instruments without a total
 * (the C-SSRS screener) have no points. Reads only; the caller has proven chart access and audits the read.
 */
export async function loadScoreSeries(
  ctx: ServiceContext,
  patientId: string,
  instruments?: readonly InstrumentId[],
): Promise<Map<InstrumentId, ScorePoint[]>> {
  return (await loadScoreSeriesOfPatients(ctx, [patientId], instruments)).get(patientId) ?? new Map();
}

/** Patients per query of `loadScoreSeriesOfPatients` (bounds the statement's parameter list). */
const patientsPerQuery = 500;

/**
 * `loadScoreSeries` of many patients at once (the outcomes cohort): one query per 500 patients instead of one
 * per patient. Patients with no points are absent from the map. Reads only, one query at a time.
 */
export async function loadScoreSeriesOfPatients(
  ctx: ServiceContext,
  patientIds: readonly string[],
  instruments?: readonly InstrumentId[],
): Promise<Map<string, Map<InstrumentId, ScorePoint[]>>> {
  const result = new Map<string, Map<InstrumentId, ScorePoint[]>>();
  if (patientIds.length === 0 || instruments?.length === 0) return result;
  const ids = [...new Set(patientIds)];
  for (let start = 0; start < ids.length; start += patientsPerQuery) {
    const rows = await scoreRows(ctx, ids.slice(start, start + patientsPerQuery), instruments);
    const byPatient = new Map<string, ScoreRow[]>();
    for (const row of rows) {
      const own = byPatient.get(row.patientId) ?? [];
      own.push(row);
      byPatient.set(row.patientId, own);
    }
    for (const [patientId, own] of byPatient) result.set(patientId, seriesOf(own));
  }
  return result;
}

function scoreRows(ctx: ServiceContext, patientIds: string[], instruments?: readonly InstrumentId[]) {
  const where: SQL[] = [
    eq(questionnaireResponse.clinicId, ctx.clinicId),
    patientIds.length === 1
      ? eq(questionnaireResponse.patientId, patientIds[0]!)
      : inArray(questionnaireResponse.patientId, patientIds),
  ];
  if (instruments) where.push(inArray(questionnaireResponse.instrument, [...instruments]));
  return ctx.tx
    .select({
      id: questionnaireResponse.id,
      patientId: questionnaireResponse.patientId,
      instrument: questionnaireResponse.instrument,
      authoredAt: questionnaireResponse.authoredAt,
      supersedesId: questionnaireResponse.supersedesId,
      assignmentId: questionnaireResponse.assignmentId,
      total: observation.value,
      band: observation.band,
      reason: measureAssignment.reason,
      scheduleKey: measureAssignment.scheduleKey,
    })
    .from(questionnaireResponse)
    .leftJoin(
      observation,
      and(
        eq(observation.clinicId, questionnaireResponse.clinicId),
        eq(observation.responseId, questionnaireResponse.id),
        eq(observation.key, 'total'),
      ),
    )
    .leftJoin(
      measureAssignment,
      and(
        eq(measureAssignment.clinicId, questionnaireResponse.clinicId),
        eq(measureAssignment.id, questionnaireResponse.assignmentId),
      ),
    )
    .where(and(...where))
    .orderBy(asc(questionnaireResponse.authoredAt), asc(questionnaireResponse.id));
}

type ScoreRow = Awaited<ReturnType<typeof scoreRows>>[number];

/** One patient's rows (oldest first) as series: corrections in place of what they corrected. */
function seriesOf(rows: readonly ScoreRow[]): Map<InstrumentId, ScorePoint[]> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const superseded = new Set(rows.flatMap((r) => (r.supersedesId ? [r.supersedesId] : [])));
  const series = new Map<InstrumentId, ScorePoint[]>();
  for (const current of rows) {
    if (superseded.has(current.id) || current.total === null) continue;
    // Walk back to the original response: its time is when the patient answered.
    let original = current;
    const seen = new Set<string>();
    while (original.supersedesId && !seen.has(original.id)) {
      seen.add(original.id);
      const previous = byId.get(original.supersedesId);
      if (!previous) break;
      original = previous;
    }
    const points = series.get(current.instrument) ?? [];
    points.push({
      responseId: current.id,
      instrument: current.instrument,
      total: current.total,
      band: current.band,
      at: original.authoredAt,
      reason: current.reason ?? original.reason ?? null,
      scheduleKey: current.scheduleKey ?? original.scheduleKey ?? null,
    });
    series.set(current.instrument, points);
  }
  for (const points of series.values()) {
    points.sort((a, b) => a.at.getTime() - b.at.getTime() || a.responseId.localeCompare(b.responseId));
  }
  return series;
}

/** A dosing session in which a dose was started (whatever happened after), oldest first. */
export interface CourseDose {
  sessionId: string;
  planId: string;
  at: Date;
}

export async function loadCourseDoses(ctx: ServiceContext, patientId: string): Promise<CourseDose[]> {
  const rows = await ctx.tx
    .select({ sessionId: dosingSession.id, planId: dosingSession.planId, at: dosingSession.dosingStartedAt })
    .from(dosingSession)
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        eq(dosingSession.patientId, patientId),
        isNotNull(dosingSession.dosingStartedAt),
      ),
    )
    .orderBy(asc(dosingSession.dosingStartedAt), asc(dosingSession.id));
  return rows.map((r) => ({ sessionId: r.sessionId, planId: r.planId, at: r.at as Date }));
}

/**
 * The baseline a course is measured against: the answer to the baseline measure when there is one (the
 * latest, if it was asked again before the first dose), else the latest point at or before the first dose.
 * Before any dose there is no course yet, so no baseline from an unassigned answer.
 */
export function baselineOf(points: readonly ScorePoint[], firstDoseAt: Date | null): ScorePoint | null {
  const beforeFirstDose = (p: ScorePoint) => firstDoseAt === null || p.at.getTime() <= firstDoseAt.getTime();
  const assigned = points.filter((p) => p.reason === 'baseline' && beforeFirstDose(p));
  if (assigned.length > 0) return assigned.at(-1)!;
  if (firstDoseAt === null) return null;
  return points.filter(beforeFirstDose).at(-1) ?? null;
}

/** When the plan (any version of the series the dose was given under) ended, if it did. */
async function planEndOf(ctx: ServiceContext, planId: string): Promise<Date | null> {
  const result = await ctx.tx.execute(sql`
    SELECT min(e.occurred_at) AS ended_at
    FROM treatment_plan d
    JOIN treatment_plan p ON p.clinic_id = d.clinic_id AND p.series_id = d.series_id
    JOIN treatment_plan_event e ON e.clinic_id = p.clinic_id AND e.plan_id = p.id AND e.kind = 'ended'
    WHERE d.clinic_id = ${ctx.clinicId} AND d.id = ${planId}`);
  const value = (result as unknown as { rows: { ended_at: string | Date | null }[] }).rows[0]?.ended_at;
  return value ? new Date(value) : null;
}

/**
 * Which points were measured in follow-up, after the course: a follow-up measure of the plan's schedule
 * (reason 'follow-up', key 'follow-up:<m>m'), or any answer given once the plan of the last dose has ended
 * and after that dose (a measure the prescriber asked for after the course). The one rule for the relapse
 * alert and the chart's phases and maintenance signal, so the two never disagree. `doses` oldest first
 * (loadCourseDoses).
 */
export async function loadFollowUpTest(
  ctx: ServiceContext,
  doses: readonly CourseDose[],
): Promise<(p: ScorePoint) => boolean> {
  const lastDose = doses.at(-1) ?? null;
  const planEndedAt = lastDose ? await planEndOf(ctx, lastDose.planId) : null;
  return (p) =>
    p.reason === 'follow-up' ||
    (p.scheduleKey?.startsWith('follow-up:') ?? false) ||
    (planEndedAt !== null && lastDose !== null && p.at >= planEndedAt && p.at > lastDose.at);
}
