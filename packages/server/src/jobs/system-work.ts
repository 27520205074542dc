import type { AuditEntry, ServiceContext } from '../context.ts';
import { clinic } from '../db/schema/index.ts';
import { appendAuditEvents } from '../modules/audit/audit-chain.ts';
import { systemActor, systemUserId } from './system-actor.ts';
import type { JobEnvironment } from './types.ts';

export { isSystemActor, systemActor, systemUserId } from './system-actor.ts';

/**
 * Runs one piece of background work for one clinic as a unit of work: one transaction whose ctx acts as the
 * system actor (staff, no roles, `systemUserId`), its audit events written last in the same transaction
 * with no actor and the role 'system'. `taskName` is recorded as the events' request id (`task:<name>`), so
 * the audit log says which task did it. Nothing reads the outer database inside: pass `ctx.tx` down.
 */
export async function runSystemWork<T>(
  env: JobEnvironment,
  clinicId: string,
  taskName: string,
  work: (ctx: ServiceContext) => Promise<T>,
): Promise<T> {
  const actor = systemActor(clinicId);
  const request = { requestId: `task:${taskName}`, ip: null, userAgent: null };
  return env.database.transaction(async (tx) => {
    const queued: AuditEntry[] = [];
    const ctx: ServiceContext = {
      actor,
      clinicId,
      tx,
      clock: env.clock,
      request,
      audit: { record: (entry) => queued.push(entry) },
    };
    const result = await work(ctx);
    await appendAuditEvents(tx, clinicId, actor, queued, request, env.clock.now());
    return result;
  });
}

/**
 * Calls `fn` for every clinic, one after the other. A clinic whose work throws is logged (its id and the
 * error's message, never patient data) and the others still run; the count of failures is returned.
 */
export async function forEachClinic(
  env: JobEnvironment,
  fn: (clinicId: string) => Promise<void>,
): Promise<{ clinics: number; failed: number }> {
  const rows = await env.database.select({ id: clinic.id }).from(clinic).orderBy(clinic.id);
  let failed = 0;
  for (const { id } of rows) {
    try {
      await fn(id);
    } catch (error) {
      failed += 1;
      env.log.error(
        `background work failed for clinic ${id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { clinics: rows.length, failed };
}

/** True when `userId` is a real user account (not the system actor): safe for a user_account foreign key. */
export function isPersonUserId(userId: string): boolean {
  return userId !== systemUserId;
}
