import { randomUUID } from 'node:crypto';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import type { AlertSeverity, AlertStatus } from '../../db/schema/alerts.ts';
import { alert, careTeamMember, clinic, patient, userAccount } from '../../db/schema/index.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { assertChartAccess, withinCareScope } from '../../security/care-scope.ts';
import { enqueueMail } from '../mail/mail.service.ts';

export interface AlertInput {
  patientId: string;
  /** e.g. 'suicide-risk'; later issues add more kinds. */
  kind: string;
  severity: AlertSeverity;
  /** What a clinician needs to act on, without answer values beyond that. */
  summary: string;
  /** What raised it, e.g. `{ type: 'questionnaire-response', id }`. */
  source: { type: string; id: string };
}

export interface AlertView {
  id: string;
  patient: { id: string; displayName: string; mrn: string };
  kind: string;
  severity: AlertSeverity;
  summary: string;
  source: { type: string; id: string };
  owner: { id: string; displayName: string } | null;
  status: AlertStatus;
  raisedAt: string;
  acknowledgement: { at: string; by: { id: string; displayName: string }; action: string } | null;
}

/**
 * Raises an alert for the patient's care team, in the caller's transaction (so an alert exists exactly when
 * what raised it was stored). The owner is the patient's assigned prescriber, else their therapist (the
 * longest-assigned first); with neither it is left unassigned, for the clinic's care team as a whole.
 * One alert per source and kind: raising it again returns the existing one. The caller has already proven
 * access to the patient (this runs inside its use case, for instance a patient's own portal submission).
 */
export async function raiseAlert(ctx: ServiceContext, input: AlertInput): Promise<AlertView> {
  const [owner] = await ctx.tx
    .select({ userId: careTeamMember.userId })
    .from(careTeamMember)
    .where(
      and(
        eq(careTeamMember.clinicId, ctx.clinicId),
        eq(careTeamMember.patientId, input.patientId),
        sql`${careTeamMember.role} IN ('prescriber', 'therapist')`,
      ),
    )
    .orderBy(
      sql`CASE ${careTeamMember.role} WHEN 'prescriber' THEN 0 ELSE 1 END`,
      asc(careTeamMember.assignedAt),
      asc(careTeamMember.userId),
    )
    .limit(1);
  const id = randomUUID();
  const [inserted] = await ctx.tx
    .insert(alert)
    .values({
      id,
      clinicId: ctx.clinicId,
      patientId: input.patientId,
      kind: input.kind,
      severity: input.severity,
      summary: input.summary,
      sourceType: input.source.type,
      sourceId: input.source.id,
      ownerId: owner?.userId ?? null,
      raisedAt: ctx.clock.now(),
    })
    .onConflictDoNothing()
    .returning({ id: alert.id });
  if (inserted) {
    if (owner) await notifyOwner(ctx, owner.userId);
    ctx.audit.record({
      action: 'alert.raise',
      resourceType: 'alert',
      resourceId: id,
      patientId: input.patientId,
      detail: { kind: input.kind, severity: input.severity, source: input.source.type },
    });
    return findAlert(ctx, id);
  }
  const [existing] = await ctx.tx
    .select({ id: alert.id })
    .from(alert)
    .where(
      and(
        eq(alert.clinicId, ctx.clinicId),
        eq(alert.sourceType, input.source.type),
        eq(alert.sourceId, input.source.id),
        eq(alert.kind, input.kind),
      ),
    );
  return findAlert(ctx, existing!.id);
}

/**
 * Tells the owner by mail that an alert waits for them, so it is seen even when nobody has the Alerts page
 * open. The mail names no patient and no answer (mail is not a place for clinical information): only that
 * an alert needs attention in Kapstone.
 */
async function notifyOwner(ctx: ServiceContext, ownerId: string): Promise<void> {
  const [row] = await ctx.tx
    .select({ email: userAccount.email, clinicName: clinic.name })
    .from(userAccount)
    .innerJoin(clinic, eq(clinic.id, userAccount.clinicId))
    .where(and(eq(userAccount.clinicId, ctx.clinicId), eq(userAccount.id, ownerId)));
  if (!row) return;
  await enqueueMail(ctx, {
    to: row.email,
    subject: 'Kapstone: a risk alert needs your attention',
    text: `A new risk alert for one of your patients at ${row.clinicName} is waiting in Kapstone.\n\nSign in and open Alerts to review and acknowledge it. For privacy, this message does not say who it concerns.`,
  });
}

const acknowledger = sql<string | null>`(SELECT u.display_name FROM user_account u
  WHERE u.clinic_id = ${alert.clinicId} AND u.id = ${alert.acknowledgedBy})`;

function alertQuery(ctx: ServiceContext, where: SQL[]) {
  return ctx.tx
    .select({
      alert,
      givenName: patient.givenName,
      familyName: patient.familyName,
      preferredName: patient.preferredName,
      mrn: patient.mrn,
      ownerName: userAccount.displayName,
      acknowledgedByName: acknowledger,
    })
    .from(alert)
    .innerJoin(patient, and(eq(patient.clinicId, alert.clinicId), eq(patient.id, alert.patientId)))
    .leftJoin(userAccount, and(eq(userAccount.clinicId, alert.clinicId), eq(userAccount.id, alert.ownerId)))
    .where(and(eq(alert.clinicId, ctx.clinicId), ...where));
}

type AlertRow = Awaited<ReturnType<typeof alertQuery>>[number];

function presentAlert(row: AlertRow): AlertView {
  const a = row.alert;
  return {
    id: a.id,
    patient: {
      id: a.patientId,
      displayName: `${row.preferredName ?? row.givenName} ${row.familyName}`,
      mrn: row.mrn,
    },
    kind: a.kind,
    severity: a.severity,
    summary: a.summary,
    source: { type: a.sourceType, id: a.sourceId },
    owner: a.ownerId ? { id: a.ownerId, displayName: row.ownerName ?? '' } : null,
    status: a.status,
    raisedAt: a.raisedAt.toISOString(),
    acknowledgement:
      a.acknowledgedAt && a.acknowledgedBy
        ? {
            at: a.acknowledgedAt.toISOString(),
            by: { id: a.acknowledgedBy, displayName: row.acknowledgedByName ?? '' },
            action: a.acknowledgementAction ?? '',
          }
        : null,
  };
}

async function findAlert(ctx: ServiceContext, alertId: string): Promise<AlertView> {
  const [row] = await alertQuery(ctx, [eq(alert.id, alertId)]);
  if (!row) throw new NotFound('Alert');
  return presentAlert(row);
}

/**
 * Alerts of the patients whose clinical record the caller may open: their care team, every patient in a
 * clinic-wide care scope, or a patient under an active break-glass grant (the same facts as
 * assertChartAccess). Critical first, then the oldest open first; keyset pagination.
 */
export async function listAlerts(
  ctx: ServiceContext,
  filters: { status: AlertStatus; limit: number; cursor?: string },
) {
  const severityRank = sql<number>`CASE ${alert.severity} WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'moderate' THEN 2 ELSE 3 END`;
  const where: SQL[] = [
    eq(alert.status, filters.status),
    sql`(${withinCareScope(alert.clinicId, alert.patientId, ctx.actor.userId)}
      OR EXISTS (SELECT 1 FROM break_glass_grant g WHERE g.clinic_id = ${alert.clinicId}
        AND g.patient_id = ${alert.patientId} AND g.user_id = ${ctx.actor.userId}
        AND g.expires_at > ${ctx.clock.now().toISOString()}))`,
  ];
  if (filters.cursor) {
    const key = decodeCursor(filters.cursor, ['rank', 'raisedAt', 'id'] as const);
    where.push(
      sql`(${severityRank}, ${alert.raisedAt}, ${alert.id}) > (${Number(key.rank)}, ${key.raisedAt}::timestamptz, ${key.id}::uuid)`,
    );
  }
  const rows = await alertQuery(ctx, where)
    .orderBy(severityRank, asc(alert.raisedAt), asc(alert.id))
    .limit(filters.limit + 1);
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  ctx.audit.record({
    action: 'alert.list',
    resourceType: 'alert',
    detail: { status: filters.status, count: page.length },
  });
  return {
    items: page.map(presentAlert),
    nextCursor:
      rows.length > filters.limit && last
        ? encodeCursor({
            rank: ['critical', 'high', 'moderate', 'low'].indexOf(last.alert.severity),
            raisedAt: last.alert.raisedAt.toISOString(),
            id: last.alert.id,
          })
        : null,
  };
}

/**
 * Acknowledges an open alert, recording the action taken. The caller must be able to open the patient's
 * clinical record; otherwise the alert does not exist for them (404). Acknowledging twice is a 409: the
 * first acknowledgement stands (a trigger keeps it unchanged).
 */
export async function acknowledgeAlert(ctx: ServiceContext, alertId: string, action: string) {
  const [found] = await ctx.tx
    .select({ patientId: alert.patientId })
    .from(alert)
    .where(and(eq(alert.clinicId, ctx.clinicId), eq(alert.id, alertId)));
  if (!found) throw new NotFound('Alert');
  const access = await assertChartAccess(ctx, found.patientId).catch((error: unknown) => {
    if (error instanceof NotFound) throw new NotFound('Alert');
    throw error;
  });
  if (access.level !== 'clinical') throw new NotFound('Alert');
  const [updated] = await ctx.tx
    .update(alert)
    .set({
      status: 'acknowledged',
      acknowledgedAt: ctx.clock.now(),
      acknowledgedBy: ctx.actor.userId,
      acknowledgementAction: action,
    })
    .where(and(eq(alert.clinicId, ctx.clinicId), eq(alert.id, alertId), eq(alert.status, 'open')))
    .returning({ id: alert.id });
  if (!updated) throw new Conflict('This alert was already acknowledged.');
  ctx.audit.record({
    action: 'alert.acknowledge',
    resourceType: 'alert',
    resourceId: alertId,
    patientId: found.patientId,
    breakGlass: access.breakGlass,
  });
  return findAlert(ctx, alertId);
}
