import { and, desc, eq, inArray } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { clinic, dosingSession, preDoseChecklist, treatmentPlan } from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';
import { localParts } from '../scheduling/clinic-time.ts';

export interface PatientSession {
  id: string;
  state: string;
  /** The day of the session in the clinic's calendar. */
  date: string;
  endedAt: Date | null;
  /** The intentions set for it: those the pre-dose checklist showed that day, else the plan's. */
  intentions: string[];
}

export async function clinicFacts(ctx: ServiceContext) {
  const [row] = await ctx.tx
    .select({ timeZone: clinic.timeZone, settings: clinic.settings })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  if (!row) throw new NotFound('Clinic');
  return row;
}

/**
 * The patient's dosing sessions (all, or the ones named), newest first, with their clinic-local day and their
 * intentions. One query per table, in sequence (never overlapping on the transaction).
 */
export async function patientSessions(
  ctx: ServiceContext,
  patientId: string,
  timeZone: string,
  options: { ids?: string[]; dischargedOnly?: boolean; limit?: number } = {},
): Promise<PatientSession[]> {
  if (options.ids && options.ids.length === 0) return [];
  const conditions = [eq(dosingSession.clinicId, ctx.clinicId), eq(dosingSession.patientId, patientId)];
  if (options.ids) conditions.push(inArray(dosingSession.id, options.ids));
  if (options.dischargedOnly) conditions.push(eq(dosingSession.state, 'discharged'));
  const rows = await ctx.tx
    .select({
      id: dosingSession.id,
      state: dosingSession.state,
      planId: dosingSession.planId,
      startedAt: dosingSession.dosingStartedAt,
      checkedInAt: dosingSession.checkedInAt,
      endedAt: dosingSession.endedAt,
    })
    .from(dosingSession)
    .where(and(...conditions))
    .orderBy(desc(dosingSession.checkedInAt))
    .limit(options.limit ?? 200);
  if (rows.length === 0) return [];
  const checklists = await ctx.tx
    .select({ sessionId: preDoseChecklist.sessionId, sources: preDoseChecklist.sources })
    .from(preDoseChecklist)
    .where(
      and(
        eq(preDoseChecklist.clinicId, ctx.clinicId),
        inArray(
          preDoseChecklist.sessionId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(desc(preDoseChecklist.recordedAt));
  const fromChecklist = new Map<string, string[]>();
  for (const c of checklists)
    if (!fromChecklist.has(c.sessionId)) fromChecklist.set(c.sessionId, c.sources.intentions ?? []);
  const plans = await ctx.tx
    .select({ id: treatmentPlan.id, intentions: treatmentPlan.intentions })
    .from(treatmentPlan)
    .where(
      and(
        eq(treatmentPlan.clinicId, ctx.clinicId),
        inArray(treatmentPlan.id, [...new Set(rows.map((r) => r.planId))]),
      ),
    );
  const planIntentions = new Map(plans.map((p) => [p.id, p.intentions.map((i) => i.text)]));
  return rows.map((r) => {
    const checked = fromChecklist.get(r.id) ?? [];
    return {
      id: r.id,
      state: r.state,
      date: localParts(r.startedAt ?? r.checkedInAt, timeZone).date,
      endedAt: r.endedAt,
      intentions: checked.length > 0 ? checked : (planIntentions.get(r.planId) ?? []),
    };
  });
}
