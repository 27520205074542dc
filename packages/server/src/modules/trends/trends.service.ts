import {
  assessCourse,
  changeInstruments,
  type InstrumentId,
  instrumentChartGuides,
  instruments,
  maintenanceSignal,
} from '@kapstone/clinical';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { clinic, doseAdministration, dosingSession } from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import {
  baselineOf,
  type CourseDose,
  loadCourseDoses,
  loadFollowUpTest,
  loadScoreSeries,
  type ScorePoint,
} from '../measures/measures.series.ts';

type Phase = 'before-baseline' | 'baseline' | 'course' | 'follow-up';

const bandLabelOf = (id: InstrumentId, band: string | null) =>
  band === null ? null : (instruments[id].bands.find((b) => b.id === band)?.label ?? null);

function presentPoint(p: ScorePoint, phase: Phase) {
  return {
    responseId: p.responseId,
    total: p.total,
    band: p.band,
    bandLabel: bandLabelOf(p.instrument, p.band),
    at: p.at.toISOString(),
    reason: p.reason,
    scheduleKey: p.scheduleKey,
    phase,
  };
}

async function clinicSettings(ctx: ServiceContext) {
  const [row] = await ctx.tx
    .select({ settings: clinic.settings })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  if (!row) throw new NotFound('Clinic');
  return row.settings;
}

/** Route, product and the mg given of each dosing session (one query over the sessions' doses). */
async function doseDetails(ctx: ServiceContext, patientId: string, doses: CourseDose[]) {
  if (doses.length === 0) return [];
  const rows = await ctx.tx
    .select({
      sessionId: dosingSession.id,
      route: dosingSession.route,
      product: dosingSession.product,
      doseMg: sql<string | null>`sum(${doseAdministration.doseMg})`,
      doses: count(doseAdministration.id),
    })
    .from(dosingSession)
    .leftJoin(
      doseAdministration,
      and(
        eq(doseAdministration.clinicId, dosingSession.clinicId),
        eq(doseAdministration.sessionId, dosingSession.id),
      ),
    )
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        eq(dosingSession.patientId, patientId),
        inArray(
          dosingSession.id,
          doses.map((d) => d.sessionId),
        ),
      ),
    )
    .groupBy(dosingSession.id, dosingSession.route, dosingSession.product)
    .orderBy(asc(dosingSession.id));
  const byId = new Map(rows.map((r) => [r.sessionId, r]));
  return doses.map((d) => {
    const row = byId.get(d.sessionId);
    return {
      sessionId: d.sessionId,
      planId: d.planId,
      at: d.at.toISOString(),
      route: row?.route ?? 'unknown',
      product: row?.product ?? 'unknown',
      doseMg: row?.doseMg === null || row?.doseMg === undefined ? null : Number(row.doseMg),
      doses: Number(row?.doses ?? 0),
    };
  });
}

/**
 * A patient's measurement-based-care summary for the chart (issue 6): per instrument with a total, the current
 * totals oldest first, the baseline, the chart's bands and lines, the course status (assessCourse, with the
 * clinic's no-response setting when it has one), and the maintenance signal for the prescriber. The dosing
 * sessions are the time axis' markers. One audited read.
 */
export async function measurementSummary(ctx: ServiceContext, patientId: string) {
  const access = await assertChartAccess(ctx, patientId);
  if (access.level !== 'clinical') throw new NotFound('Patient');
  const settings = await clinicSettings(ctx);
  const series = await loadScoreSeries(ctx, patientId);
  const courseDoses = await loadCourseDoses(ctx, patientId);
  const doses = await doseDetails(ctx, patientId, courseDoses);
  const inFollowUp = await loadFollowUpTest(ctx, courseDoses);
  const firstDoseAt = courseDoses[0]?.at ?? null;
  // Settings are stored data: anything but a whole number of sessions ≥ 1 counts as not set.
  const setting = settings.outcomes?.noResponseAfterSessions;
  const noResponseAfterSessions = Number.isInteger(setting) && setting! >= 1 ? setting : undefined;
  const sessionsCompleted = courseDoses.length;

  const summaries = [...series.entries()]
    .filter(([id, points]) => instruments[id].totalRange && points.length > 0)
    .sort(([a], [b]) => order(a) - order(b))
    .map(([id, points]) => {
      const baseline = baselineOf(points, firstDoseAt);
      const baselineIndex = baseline ? points.indexOf(baseline) : -1;
      const phaseOf = (p: ScorePoint, i: number): Phase =>
        baselineIndex < 0 || i < baselineIndex
          ? 'before-baseline'
          : i === baselineIndex
            ? 'baseline'
            : inFollowUp(p)
              ? 'follow-up'
              : 'course';
      const presented = points.map((p, i) => presentPoint(p, phaseOf(p, i)));
      const since = baseline ? points.slice(baselineIndex + 1) : [];
      const guides = instrumentChartGuides(id, baseline?.total ?? null, { cutoffs: settings.cutoffs });
      const options = { sessionsCompleted, noResponseAfterSessions };
      // Screeners (AUDIT-C, DAST-10, MDQ...) have no response criterion: a course status would only ever say
      // "no response yet", so they are charted without one (clinical-reference 1.13).
      const tracksChange = (changeInstruments as readonly InstrumentId[]).includes(id);
      const course =
        tracksChange && baseline
          ? assessCourse(
              id,
              baseline.total,
              since.map((p) => p.total),
              options,
            )
          : null;
      const signal =
        tracksChange && baseline
          ? maintenanceSignal(
              id,
              baseline.total,
              since.map((p, i) => ({ ...presented[baselineIndex + 1 + i]!, inFollowUp: inFollowUp(p) })),
              options,
            )
          : null;
      const strip = ({ inFollowUp: _, ...point }: (typeof presented)[number] & { inFollowUp: boolean }) =>
        point;
      return {
        instrument: id,
        name: instruments[id].name,
        shortName: instruments[id].shortName,
        range: guides.range,
        bands: guides.bands,
        series: presented,
        baseline: baselineIndex >= 0 ? presented[baselineIndex]! : null,
        lines: { response: guides.response, remission: guides.remission, worsening: guides.worsening },
        course: course && {
          status: course.status,
          everResponded: course.everResponded,
          latest: course.latest,
          reasons: course.reasons,
        },
        maintenance: signal && {
          strength: signal.strength,
          baseline: signal.baseline,
          best: strip(signal.best),
          latest: strip(signal.latest),
          riseFromBest: signal.riseFromBest,
          fractionTowardBaseline: signal.fractionTowardBaseline,
          mcid: signal.mcid,
          points: signal.points.map(strip),
          reasons: signal.reasons,
          explanation: signal.explanation,
          citations: signal.citations,
        },
      };
    });

  ctx.audit.record({
    action: 'measurement-summary.read',
    resourceType: 'patient',
    resourceId: patientId,
    patientId,
    breakGlass: access.breakGlass,
    detail: { instruments: summaries.map((s) => s.instrument) },
  });
  return {
    patientId,
    sessionsCompleted,
    noResponseAfterSessions: noResponseAfterSessions ?? null,
    doses,
    instruments: summaries,
  };
}

/** Instruments with change criteria first (in the reference's order), then the rest in the catalog's order. */
const catalogOrder = Object.keys(instruments) as InstrumentId[];
function order(id: InstrumentId): number {
  const primary = (changeInstruments as readonly InstrumentId[]).indexOf(id);
  return primary >= 0 ? primary : changeInstruments.length + catalogOrder.indexOf(id);
}

/** What each questionnaire the patient sees asks about, in plain words. */
const aboutInPlainWords: Partial<Record<InstrumentId, string>> = {
  phq9: 'low mood and depression',
  gad7: 'worry and anxiety',
  'qids-sr16': 'low mood and depression',
  pcl5: 'reactions to a stressful or traumatic experience',
};

/** Band names for patients: the PCL-5's screening bands said without a diagnosis. */
const patientBandLabels: Partial<Record<InstrumentId, Record<string, string>>> = {
  pcl5: { negative: 'Below the screening line', positive: 'At or above the screening line' },
};
const patientBandLabel = (id: InstrumentId, band: string | null) =>
  (band !== null && patientBandLabels[id]?.[band]) || bandLabelOf(id, band);

/**
 * The patient's own progress (portal): their totals over time on the self-reported questionnaires that track
 * change (PHQ-9, GAD-7, QIDS-SR16, PCL-5), with the severity bands and the dates of their dosing sessions. No
 * alert, note, course status or clinician's threshold: a patient reads scores and bands, and talks with the
 * care team about what they mean.
 */
export async function ownProgress(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'patient') throw new NotFound('Patient');
  const patientId = ctx.actor.patientId;
  await assertChartAccess(ctx, patientId);
  const settings = await clinicSettings(ctx);
  const shown = changeInstruments.filter((id) => instruments[id].completedBy === 'patient');
  const series = await loadScoreSeries(ctx, patientId, shown);
  const doses = await loadCourseDoses(ctx, patientId);
  const result = shown
    .filter((id) => (series.get(id)?.length ?? 0) > 0)
    .map((id) => {
      const points = series.get(id)!;
      const definition = instruments[id];
      const guides = instrumentChartGuides(id, null, { cutoffs: settings.cutoffs });
      const first = points[0]!;
      const latest = points.at(-1)!;
      return {
        instrument: id,
        name: definition.name,
        shortName: definition.shortName,
        about: aboutInPlainWords[id] ?? definition.name,
        range: guides.range,
        bands: guides.bands.map((b) => ({ ...b, label: patientBandLabel(id, b.id) ?? b.label })),
        points: points.map((p) => ({
          at: p.at.toISOString(),
          total: p.total,
          band: p.band,
          bandLabel: patientBandLabel(id, p.band),
        })),
        summary: summaryFor(definition.shortName, first, latest, patientBandLabel(id, latest.band)),
      };
    });
  ctx.audit.record({
    action: 'portal.progress.read',
    resourceType: 'patient',
    resourceId: patientId,
    patientId,
    detail: { instruments: result.map((r) => r.instrument) },
  });
  return { instruments: result, sessions: doses.map((d) => ({ at: d.at.toISOString() })) };
}

function summaryFor(name: string, first: ScorePoint, latest: ScorePoint, bandLabel: string | null): string {
  const range = bandLabel ? ` (${bandLabel.toLowerCase()})` : '';
  const now = `Your latest ${name} score is ${latest.total}${range}.`;
  if (first === latest) return `${now} It is your first one; later scores will show how things change.`;
  const change = latest.total - first.total;
  const lower = 'On this questionnaire a lower score means fewer symptoms.';
  if (change === 0) return `${now} That is the same as your first score. ${lower}`;
  const points = Math.abs(change) === 1 ? 'point' : 'points';
  return change < 0
    ? `${now} That is ${-change} ${points} lower than your first score (${first.total}). ${lower}`
    : `${now} That is ${change} ${points} higher than your first score (${first.total}). ${lower} Your care team sees your scores and can talk them through with you.`;
}
