import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Actor, AuditEntry, RequestMeta, ServiceContext } from '../context.ts';
import type { Database } from '../db/client.ts';
import { DomainError, Unauthenticated } from '../errors.ts';
import { appendAuditEvents } from '../modules/audit/audit-chain.ts';

export function requestMeta(request: FastifyRequest): RequestMeta {
  const userAgent = request.headers['user-agent'];
  return {
    requestId: request.id,
    ip: request.ip ?? null,
    userAgent: userAgent ? userAgent.slice(0, 512) : null,
  };
}

/**
 * Runs one use case as a unit of work: one transaction, the audit events it recorded written last and
 * inside the same transaction. If writing the audit fails, the transaction rolls back and the caller gets
 * an error instead of the data: nothing is read or changed without its trace.
 */
export async function runUnitOfWork<T>(
  database: Database,
  actor: Actor,
  request: RequestMeta,
  clock: Clock,
  work: (ctx: ServiceContext) => Promise<T>,
): Promise<T> {
  try {
    return await database.transaction(async (tx) => {
      const queued: AuditEntry[] = [];
      const ctx: ServiceContext = {
        actor,
        clinicId: actor.clinicId,
        tx,
        clock,
        request,
        audit: { record: (entry) => queued.push(entry) },
      };
      const result = await work(ctx);
      await appendAuditEvents(tx, actor.clinicId, actor, queued, request, clock.now());
      return result;
    });
  } catch (error) {
    // A refused access leaves a trace of its own, written apart from the rolled-back work.
    if (error instanceof DomainError && (error.status === 403 || error.status === 404)) {
      await recordAuditEvents(
        database,
        actor.clinicId,
        actor,
        [
          {
            action: 'access.denied',
            resourceType: 'request',
            resourceId: null,
            outcome: 'denied',
            detail: { status: error.status },
          },
        ],
        request,
        clock,
      );
    }
    throw error;
  }
}

/** Audit events written in a transaction of their own (failed sign-ins, refused access, sign-outs). */
export async function recordAuditEvents(
  database: Database,
  clinicId: string,
  actor: Actor | null,
  entries: AuditEntry[],
  request: RequestMeta,
  clock: Clock,
): Promise<void> {
  await database.transaction(async (tx) => {
    await appendAuditEvents(tx, clinicId, actor, entries, request, clock.now());
  });
}

/** The signed-in actor of a request, or 401. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Unauthenticated('Sign in to continue.');
  return request.actor;
}
