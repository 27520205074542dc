import { createHash, randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Actor, AuditEntry, RequestMeta } from '../../context.ts';
import type { Db, Transaction } from '../../db/client.ts';
import { auditChainHead, auditEvent } from '../../db/schema/index.ts';

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

export function hashAuditEvent(event: Omit<SealedAuditEvent, 'hash'>): string {
  const content = canonicalJson({
    clinicId: event.clinicId,
    sequence: event.sequence,
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
    prevHash: event.prevHash,
  });
  return createHash('sha256').update(content).digest('hex');
}

/** The role an actor acted under, as one string ('prescriber', 'nurse+admin', 'patient'). */
export function actingRole(actor: Actor | null): string | null {
  if (!actor) return null;
  return actor.kind === 'patient' ? 'patient' : actor.roles.join('+');
}

/**
 * Appends events to a clinic's chain inside the caller's transaction. The chain head row is locked
 * (SELECT ... FOR UPDATE) only here, at the end of a unit of work, so concurrent requests of a clinic
 * wait for each other only for this insert and their commit, not for their whole work.
 */
export async function appendAuditEvents(
  tx: Transaction,
  clinicId: string,
  actor: Actor | null,
  entries: readonly AuditEntry[],
  request: RequestMeta,
  occurredAt: Date,
): Promise<SealedAuditEvent[]> {
  if (entries.length === 0) return [];
  await tx.execute(sql`
    INSERT INTO audit_chain_head (clinic_id, last_sequence, last_hash)
    VALUES (${clinicId}, 0, ${genesisHash}) ON CONFLICT (clinic_id) DO NOTHING`);
  const [head] = await tx
    .select()
    .from(auditChainHead)
    .where(eq(auditChainHead.clinicId, clinicId))
    .for('update');
  if (!head) throw new Error('audit chain head missing after upsert');
  let sequence = head.lastSequence;
  let prevHash = head.lastHash;
  const sealed: SealedAuditEvent[] = entries.map((entry) => {
    sequence += 1;
    const unsealed: Omit<SealedAuditEvent, 'hash'> = {
      clinicId,
      sequence,
      id: randomUUID(),
      occurredAt,
      actorId: actor?.userId ?? null,
      actorRole: actingRole(actor),
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId ?? null,
      patientId: entry.patientId ?? null,
      outcome: entry.outcome ?? 'success',
      breakGlass: entry.breakGlass ?? false,
      requestId: request.requestId,
      ip: request.ip,
      userAgent: request.userAgent,
      detail: entry.detail ?? null,
      prevHash,
    };
    const event = { ...unsealed, hash: hashAuditEvent(unsealed) };
    prevHash = event.hash;
    return event;
  });
  await tx.insert(auditEvent).values(sealed);
  await tx
    .update(auditChainHead)
    .set({ lastSequence: sequence, lastHash: prevHash })
    .where(eq(auditChainHead.clinicId, clinicId));
  return sealed;
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
