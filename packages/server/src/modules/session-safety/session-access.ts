import { and, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { dosingSession } from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';
import { assertChartAccess, type GrantedChartAccess } from '../../security/care-scope.ts';

export { isUniqueViolation } from '../../db/errors.ts';

export type DosingSessionRow = typeof dosingSession.$inferSelect;

/**
 * A dosing session of the caller's clinic whose patient's chart the caller may open, in one scoped lookup
 * and the chart-access check. Anything else (another clinic's session, a chart outside the care team, a
 * clinical read by someone who only sees demographics) is NotFound, like a session that does not exist.
 */
export async function findSessionWithAccess(
  ctx: ServiceContext,
  sessionId: string,
  level: 'clinical' | 'demographics' = 'clinical',
): Promise<{ session: DosingSessionRow; access: GrantedChartAccess }> {
  const [session] = await ctx.tx
    .select()
    .from(dosingSession)
    .where(and(eq(dosingSession.clinicId, ctx.clinicId), eq(dosingSession.id, sessionId)));
  if (!session) throw new NotFound('Session');
  let access: GrantedChartAccess;
  try {
    access = await assertChartAccess(ctx, session.patientId);
  } catch (error) {
    if (error instanceof NotFound) throw new NotFound('Session');
    throw error;
  }
  if (level === 'clinical' && access.level !== 'clinical') throw new NotFound('Session');
  return { session, access };
}
