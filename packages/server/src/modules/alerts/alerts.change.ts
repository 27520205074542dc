import {
  assessCourse,
  type CourseAssessment,
  changeInstruments,
  classifyChange,
  defaultOutcomeThresholds,
  type InstrumentId,
  instruments,
} from '@kapstone/clinical';
import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import {
  baselineOf,
  loadCourseDoses,
  loadFollowUpTest,
  loadScoreSeries,
} from '../measures/measures.series.ts';
import { raiseAlert } from './alerts.service.ts';

/**
 * The alerts a newly scored response raises about the course (called in the response's transaction, after
 * the suicide-risk check):
 * - 'worsening' (moderate): the total rose from baseline by at least the instrument's MCID
 *   (`classifyChange(...).worsening`; PHQ-9 +5, GAD-7 +4, PCL-5 +10: clinical-reference 1.13, Löwe 2004,
 *   Toussaint 2020, NCPTSD; the rule itself is UNCONFIRMED as a published standard).
 * - 'relapse' (high): in follow-up, a patient who met response or remission earlier no longer does
 *   (`assessCourse`: 'lost-response', or 'worsening' after a response, which is a relapse too;
 *   clinical-reference 1.13, and 5.3: after an IV series the median relapse came 18 days after the last
 *   infusion, Murrough 2013).
 * Each is raised when the state begins, not again while it lasts: a worsening alert when this measurement
 * worsens and the one before did not; a relapse alert when this follow-up measurement has lost the response
 * and the one before had not (or was not in follow-up). A later episode raises a new alert. The source is
 * the original response (a correction of it raises nothing new for the same kind).
 */
export async function raiseChangeAlerts(
  ctx: ServiceContext,
  input: { patientId: string; instrument: InstrumentId; responseId: string; supersedesId: string | null },
): Promise<void> {
  const instrument = input.instrument;
  if (!(changeInstruments as readonly string[]).includes(instrument)) return;
  const series = (await loadScoreSeries(ctx, input.patientId, [instrument])).get(instrument) ?? [];
  const doses = await loadCourseDoses(ctx, input.patientId);
  const baseline = baselineOf(series, doses[0]?.at ?? null);
  if (!baseline) return;
  const since = series.slice(series.indexOf(baseline) + 1);
  const at = since.findIndex((p) => p.responseId === input.responseId);
  if (at < 0) return;
  const upTo = since.slice(0, at + 1);
  const current = upTo[at]!;
  const previous = at > 0 ? upTo[at - 1]! : null;
  const name = instruments[instrument].shortName;
  const source = {
    type: 'questionnaire-response',
    id: input.supersedesId ? await originalOf(ctx, input.responseId) : input.responseId,
  };

  const now = classifyChange(instrument, baseline.total, current.total);
  const before = previous ? classifyChange(instrument, baseline.total, previous.total) : null;
  if (now.worsening && !before?.worsening) {
    const mcid = defaultOutcomeThresholds[instrument]?.worsening?.pointsAtLeast;
    await raiseAlert(ctx, {
      patientId: input.patientId,
      kind: 'worsening',
      severity: 'moderate',
      summary: `${name} rose ${now.change} points from baseline (${baseline.total} to ${current.total}), at or above its worsening threshold of ${mcid} points. Review the course.`,
      source,
    });
  }

  const inFollowUp = await loadFollowUpTest(ctx, doses);
  if (!inFollowUp(current)) return;
  const totals = upTo.map((p) => p.total);
  const lost = (a: CourseAssessment) =>
    a.status === 'lost-response' || (a.status === 'worsening' && a.everResponded);
  const nowCourse = assessCourse(instrument, baseline.total, totals);
  if (!lost(nowCourse)) return;
  const beforeLost =
    previous !== null &&
    inFollowUp(previous) &&
    lost(assessCourse(instrument, baseline.total, totals.slice(0, -1)));
  if (beforeLost) return;
  await raiseAlert(ctx, {
    patientId: input.patientId,
    kind: 'relapse',
    severity: 'high',
    summary: `${name} in follow-up: met response earlier, no longer does (${baseline.total} at baseline, ${current.total} now). Consider a booster or maintenance review.`,
    source,
  });
}

/** The response a chain of corrections started from. */
async function originalOf(ctx: ServiceContext, responseId: string): Promise<string> {
  const result = await ctx.tx.execute(sql`
    WITH RECURSIVE chain(id, supersedes_id, depth) AS (
      SELECT id, supersedes_id, 0 FROM questionnaire_response WHERE clinic_id = ${ctx.clinicId} AND id = ${responseId}
      UNION ALL
      SELECT r.id, r.supersedes_id, c.depth + 1 FROM questionnaire_response r
        JOIN chain c ON r.clinic_id = ${ctx.clinicId} AND r.id = c.supersedes_id
      WHERE c.depth < 100)
    SELECT id FROM chain ORDER BY depth DESC LIMIT 1`);
  return (result as unknown as { rows: { id: string }[] }).rows[0]?.id ?? responseId;
}
