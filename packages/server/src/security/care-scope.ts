import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import type { Db } from '../db/client.ts';
import { NotFound } from '../errors.ts';
import { type ChartAccess, chartAccess } from './permissions.ts';

export interface GrantedChartAccess {
  level: Exclude<ChartAccess, 'none'>;
  /** The access rests on a break-glass grant rather than the care team: audited as such. */
  breakGlass: boolean;
  /**
   * The chart opens to this actor without break-glass: they are on the patient's care team, or the clinic's
   * care scope is clinic-wide (api-contract: `inCareTeam: false` means opening the chart needs break-glass).
   */
  inCareTeam: boolean;
}

interface ChartFactsRow {
  care_scope: 'clinic' | 'care-team';
  in_care_team: boolean;
  break_glass: boolean;
}

/**
 * Proves, in one query scoped by the caller's clinic, that the patient exists there and that the actor may
 * open the chart. Anything else is NotFound: another clinic's patient, another patient's record for a
 * patient account, and a chart outside the care team look exactly like a missing one.
 */
export async function assertChartAccess(ctx: ServiceContext, patientId: string): Promise<GrantedChartAccess> {
  const facts = await loadChartFacts(ctx.tx, ctx.clinicId, ctx.actor.userId, patientId, ctx.clock.now());
  if (!facts) throw new NotFound('Patient');
  const level = chartAccess(ctx.actor, {
    careScope: facts.care_scope,
    sameClinic: true,
    inCareTeam: facts.in_care_team,
    breakGlassActive: facts.break_glass,
    ownRecord: ctx.actor.kind === 'patient' && ctx.actor.patientId === patientId,
  });
  if (level === 'none') throw new NotFound('Patient');
  const coveredWithoutGrant =
    facts.care_scope === 'clinic' ||
    facts.in_care_team ||
    ctx.actor.kind === 'patient' ||
    chartAccess(ctx.actor, {
      careScope: facts.care_scope,
      sameClinic: true,
      inCareTeam: false,
      breakGlassActive: false,
      ownRecord: false,
    }) === level;
  return {
    level,
    breakGlass: facts.break_glass && !coveredWithoutGrant,
    inCareTeam: facts.in_care_team || facts.care_scope === 'clinic',
  };
}

/**
 * SQL for the patient list's `inCareTeam` flag, in the same terms as assertChartAccess: the user is on the
 * patient's care team, or the patient's clinic opens charts clinic-wide. `clinicId` and `patientId` are the
 * listed patient's columns.
 */
export function withinCareScope(clinicId: SQLWrapper, patientId: SQLWrapper, userId: string): SQL<boolean> {
  return sql<boolean>`(
    (SELECT c.settings->>'careScope' FROM clinic c WHERE c.id = ${clinicId}) = 'clinic'
    OR EXISTS (SELECT 1 FROM care_team_member m
               WHERE m.clinic_id = ${clinicId} AND m.patient_id = ${patientId} AND m.user_id = ${userId}))`;
}

/** Whether the clinic opens every chart to all its clinicians ('clinic') or only to the care team. */
export async function careScopeOf(db: Db, clinicId: string): Promise<'clinic' | 'care-team' | undefined> {
  const result = await db.execute(
    sql`SELECT settings->>'careScope' AS care_scope FROM clinic WHERE id = ${clinicId}`,
  );
  return (result as unknown as { rows: { care_scope: 'clinic' | 'care-team' }[] }).rows[0]?.care_scope;
}

async function loadChartFacts(
  db: Db,
  clinicId: string,
  userId: string,
  patientId: string,
  now: Date,
): Promise<ChartFactsRow | undefined> {
  const result = await db.execute(sql`
    SELECT c.settings->>'careScope' AS care_scope,
      EXISTS (SELECT 1 FROM care_team_member m
              WHERE m.clinic_id = p.clinic_id AND m.patient_id = p.id AND m.user_id = ${userId}) AS in_care_team,
      EXISTS (SELECT 1 FROM break_glass_grant g
              WHERE g.clinic_id = p.clinic_id AND g.patient_id = p.id AND g.user_id = ${userId}
                AND g.expires_at > ${now.toISOString()}) AS break_glass
    FROM patient p JOIN clinic c ON c.id = p.clinic_id
    WHERE p.clinic_id = ${clinicId} AND p.id = ${patientId}`);
  return (result as unknown as { rows: ChartFactsRow[] }).rows[0];
}
