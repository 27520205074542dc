import { createHash, randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Actor, AuditEntry, RequestMeta } from '../../context.ts';
import type { Db, Transaction } from '../../db/client.ts';
import { auditChainHead, auditEvent } from '../../db/schema/index.ts';
import { isSystemActor } from '../../jobs/system-actor.ts';

/** The previous hash of a clinic's first event. */
export const genesisHash = '0'.repeat(64);

export interface SealedAuditEvent {
  clinicId: string;
  sequence: number;
  id: string;
  occurredAt: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  patientId: string | null;
  outcome: 'success' | 'denied' | 'failure';
  breakGlass: boolean;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The event's content, without its place in the chain: canonical JSON of every recorded field. */
export function auditEventContent(event: Omit<SealedAuditEvent, 'hash' | 'sequence' | 'prevHash'>): string {
  return canonicalJson({
    clinicId: event.clinicId,
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorId: event.actorId,
    actorRole: event.actorRole,
    action: event.action,
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    patientId: event.patientId,
    outcome: event.outcome,
    breakGlass: event.breakGlass,
    requestId: event.requestId,
    ip: event.ip,
    userAgent: event.userAgent,
    detail: event.detail,
  });
}

/**
 * SHA-256 (hex) of `content \n sequence \n prevHash`. The database computes the same with its built-in
 * sha256() when it appends (see appendAuditEvents); the verifier recomputes it here.
 */
export function hashAuditEvent(event: Omit<SealedAuditEvent, 'hash'>): string {
  return createHash('sha256')
    .update(`${auditEventContent(event)}\n${event.sequence}\n${event.prevHash}`)
    .digest('hex');
}

/**
 * The role an actor acted under, as one string ('prescriber', 'nurse+admin', 'patient'); 'system' for
 * background work (jobs/system-work.ts).
 */
export function actingRole(actor: Actor | null): string | null {
  if (!actor) return null;
  if (isSystemActor(actor)) return 'system';
  return actor.kind === 'patient' ? 'patient' : actor.roles.join('+');
}

/**
 * Appends events to a clinic's chain inside the caller's transaction, one statement per event: the statement
 * locks the clinic's chain head, computes the sequence and the hash (PostgreSQL's built-in sha256) from it,
 * inserts the event and moves the head. The lock is taken at the end of a unit of work and held only for
 * this statement and the commit, so concurrent requests of a clinic wait for each other only that long.
 */
export async function appendAuditEvents(
  tx: Transaction,
  clinicId: string,
  actor: Actor | null,
  entries: readonly AuditEntry[],
  request: RequestMeta,
  occurredAt: Date,
): Promise<void> {
  for (const entry of entries) {
    const event = {
      clinicId,
      id: randomUUID(),
      occurredAt,
      // Background work names no user account: no actor, role 'system'.
      actorId: actor && !isSystemActor(actor) ? actor.userId : null,
      actorRole: actingRole(actor),
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId ?? null,
      patientId: entry.patientId ?? null,
      outcome: entry.outcome ?? ('success' as const),
      breakGlass: entry.breakGlass ?? false,
      requestId: request.requestId,
      ip: request.ip,
      userAgent: request.userAgent,
      detail: entry.detail ?? null,
    };
    const append = () =>
      tx.execute(sql`
        WITH head AS (
          SELECT last_sequence, last_hash FROM audit_chain_head WHERE clinic_id = ${clinicId} FOR UPDATE
        ), appended AS (
          INSERT INTO audit_event (clinic_id, sequence, id, occurred_at, actor_id, actor_role, action, resource_type,
            resource_id, patient_id, outcome, break_glass, request_id, ip, user_agent, detail, prev_hash, hash)
          SELECT ${clinicId}, head.last_sequence + 1, ${event.id}, ${occurredAt.toISOString()}, ${event.actorId},
            ${event.actorRole}, ${event.action}, ${event.resourceType}, ${event.resourceId}, ${event.patientId},
            ${event.outcome}, ${event.breakGlass}, ${event.requestId}, ${event.ip}, ${event.userAgent},
            ${event.detail === null ? null : JSON.stringify(event.detail)}::jsonb, head.last_hash,
            encode(sha256(convert_to(${auditEventContent(event)} || E'\n' || (head.last_sequence + 1)::text
              || E'\n' || head.last_hash, 'UTF8')), 'hex')
          FROM head
          RETURNING sequence, hash
        )
        UPDATE audit_chain_head SET last_sequence = appended.sequence, last_hash = appended.hash
        FROM appended WHERE audit_chain_head.clinic_id = ${clinicId}
        RETURNING appended.sequence`);
    const rowsOf = (result: unknown) => (result as { rows: unknown[] }).rows.length;
    if (rowsOf(await append()) === 0) {
      // The clinic's first event: start its chain, then append.
      await tx.execute(sql`
        INSERT INTO audit_chain_head (clinic_id, last_sequence, last_hash)
        VALUES (${clinicId}, 0, ${genesisHash}) ON CONFLICT (clinic_id) DO NOTHING`);
      if (rowsOf(await append()) !== 1) throw new Error('audit event was not appended');
    }
  }
}

export interface ChainProblem {
  sequence: number | null;
  problem: string;
}

export interface ChainVerification {
  clinicId: string;
  events: number;
  ok: boolean;
  problems: ChainProblem[];
}

/**
 * Walks a clinic's chain in sequence order and recomputes every hash. Detects an edited event (its hash no
 * longer matches), a deleted or reordered one (a sequence gap or a broken prev-hash link) and a truncated
 * tail (the head points past the last event). Reads in pages so a long chain does not load at once.
 */
export async function verifyAuditChain(
  db: Db,
  clinicId: string,
  pageSize = 5000,
): Promise<ChainVerification> {
  const problems: ChainProblem[] = [];
  let expectedSequence = 1;
  let prevHash = genesisHash;
  let count = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditEvent)
      .where(sql`${auditEvent.clinicId} = ${clinicId} AND ${auditEvent.sequence} >= ${expectedSequence}`)
      .orderBy(asc(auditEvent.sequence))
      .limit(pageSize);
    for (const row of page) {
      count += 1;
      if (row.sequence !== expectedSequence) {
        problems.push({
          sequence: row.sequence,
          problem: `expected event ${expectedSequence} but found ${row.sequence}: events are missing`,
        });
      }
      if (row.prevHash !== prevHash) {
        problems.push({
          sequence: row.sequence,
          problem: 'does not link to the previous event (removed or reordered)',
        });
      }
      const recomputed = hashAuditEvent({ ...row, detail: row.detail ?? null });
      if (recomputed !== row.hash) {
        problems.push({ sequence: row.sequence, problem: 'its content does not match its hash (edited)' });
      }
      prevHash = row.hash;
      expectedSequence = row.sequence + 1;
    }
    if (page.length < pageSize) break;
  }
  const [head] = await db.select().from(auditChainHead).where(eq(auditChainHead.clinicId, clinicId));
  const lastSequence = expectedSequence - 1;
  if (head && (head.lastSequence !== lastSequence || head.lastHash !== prevHash)) {
    problems.push({
      sequence: head.lastSequence,
      problem: `the chain head records event ${head.lastSequence} but the log ends at ${lastSequence} (truncated or rewritten)`,
    });
  }
  if (!head && count > 0) problems.push({ sequence: null, problem: 'the chain head is missing' });
  return { clinicId, events: count, ok: problems.length === 0, problems };
}
