import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import type { AlertEventKind, AlertSeverity, AlertStatus } from '../../db/schema/alerts.ts';
import type { ClinicAlertSettings } from '../../db/schema/clinic.ts';
import {
  alert,
  alertEvent,
  careTeamMember,
  clinic,
  patient,
  roleAssignment,
  userAccount,
} from '../../db/schema/index.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { isSystemActor } from '../../jobs/system-actor.ts';
import { assertChartAccess, withinCareScope } from '../../security/care-scope.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { escalationDueAt, loadAlertSettings, onCallRoles, onCallRolesOf } from './alerts.settings.ts';

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
  escalation: AlertEscalationView;
}

/**
 * Where the alert stands on escalation: 'not-configured' (the clinic set no time for its severity, so it
 * never escalates), 'scheduled' (it escalates at `dueAt` unless acknowledged), 'escalated' (to the on-call
 * role, at `at`), or 'not-escalated' (acknowledged before escalating).
 */
export type AlertEscalationView =
  | { state: 'not-configured' }
  | { state: 'scheduled'; dueAt: string }
  | { state: 'escalated'; at: string; toRole: string }
  | { state: 'not-escalated' };

export interface AlertEventView {
  kind: AlertEventKind;
  at: string;
  /** Null: Kapstone did it (raising, routing, escalation). */
  actor: { id: string; displayName: string } | null;
  owner: { id: string; displayName: string } | null;
  previousOwner: { id: string; displayName: string } | null;
  role: string | null;
  note: string | null;
  notifiedCount: number | null;
}

/** Why a staff member may see and act on an alert: they may open the chart, or they are on call for it. */
interface AlertAccess {
  via: 'chart' | 'on-call';
  breakGlass: boolean;
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
    .select({ userId: careTeamMember.userId, role: careTeamMember.role })
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
    const now = ctx.clock.now();
    const routedBecause = !owner
      ? 'No prescriber or therapist on the care team: routed to the care team as a whole.'
      : owner.role === 'prescriber'
        ? 'The patient’s assigned prescriber.'
        : 'The patient’s assigned therapist (no prescriber is assigned).';
    await recordEvents(ctx, id, [
      { kind: 'raised', at: now, note: `${input.kind}, ${input.severity}` },
      { kind: 'routed', at: now, ownerId: owner?.userId ?? null, note: routedBecause },
    ]);
    if (owner) await notifyOwner(ctx, owner.userId);
    ctx.audit.record({
      action: 'alert.raise',
      resourceType: 'alert',
      resourceId: id,
      patientId: input.patientId,
      detail: { kind: input.kind, severity: input.severity, source: input.source.type },
    });
    ctx.audit.record({
      action: 'alert.route',
      resourceType: 'alert',
      resourceId: id,
      patientId: input.patientId,
      detail: { ownerId: owner?.userId ?? null, rule: owner ? `assigned-${owner.role}` : 'care-team' },
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

interface EventInput {
  kind: AlertEventKind;
  at: Date;
  actorId?: string | null;
  ownerId?: string | null;
  previousOwnerId?: string | null;
  role?: string | null;
  note?: string | null;
  detail?: { notifiedUserIds?: string[] } | null;
}

/** Appends to one alert's trail in one statement. */
export async function recordEvents(ctx: ServiceContext, alertId: string, events: EventInput[]) {
  await recordEventsOfAlerts(
    ctx,
    events.map((e) => ({ ...e, alertId })),
  );
}

/** Appends to the trails of several alerts (an escalation run) in one statement, not one per alert. */
export async function recordEventsOfAlerts(
  ctx: ServiceContext,
  events: (EventInput & { alertId: string })[],
) {
  if (events.length === 0) return;
  await ctx.tx.insert(alertEvent).values(
    events.map((e) => ({
      id: randomUUID(),
      clinicId: ctx.clinicId,
      alertId: e.alertId,
      kind: e.kind,
      occurredAt: e.at,
      // The system actor names no user account (jobs contract): its events have no actor.
      actorId: e.actorId && !isSystemActor({ userId: e.actorId }) ? e.actorId : null,
      ownerId: e.ownerId ?? null,
      previousOwnerId: e.previousOwnerId ?? null,
      role: e.role ?? null,
      note: e.note ?? null,
      detail: e.detail ?? null,
    })),
  );
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

function escalationOf(row: AlertRow['alert'], settings: ClinicAlertSettings): AlertEscalationView {
  if (row.escalatedAt && row.escalatedToRole) {
    return { state: 'escalated', at: row.escalatedAt.toISOString(), toRole: row.escalatedToRole };
  }
  if (row.status !== 'open') return { state: 'not-escalated' };
  const due = escalationDueAt(settings, row.severity, row.raisedAt);
  return due ? { state: 'scheduled', dueAt: due.toISOString() } : { state: 'not-configured' };
}

function presentAlert(row: AlertRow, settings: ClinicAlertSettings): AlertView {
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
    escalation: escalationOf(a, settings),
  };
}

async function findAlert(ctx: ServiceContext, alertId: string): Promise<AlertView> {
  const [row] = await alertQuery(ctx, [eq(alert.id, alertId)]);
  if (!row) throw new NotFound('Alert');
  return presentAlert(row, await loadAlertSettings(ctx));
}

/**
 * SQL: the alert is one the actor may see. Either they may open the patient's clinical record (their care
 * team, a clinic-wide care scope, or an active break-glass grant: the same facts as assertChartAccess), or
 * the alert was escalated to them (`escalatedTo`: the role they are on call through now, from
 * onCallRolesOf, or they were told of its escalation). The second does not open the chart: that still goes
 * through the care scope or break-glass.
 */
function visibleTo(ctx: ServiceContext, onCall: readonly string[]): SQL {
  const chart = sql`(${withinCareScope(alert.clinicId, alert.patientId, ctx.actor.userId)}
      OR EXISTS (SELECT 1 FROM break_glass_grant g WHERE g.clinic_id = ${alert.clinicId}
        AND g.patient_id = ${alert.patientId} AND g.user_id = ${ctx.actor.userId}
        AND g.expires_at > ${ctx.clock.now().toISOString()}))`;
  return sql`(${chart} OR ${escalatedTo(ctx, onCall)})`;
}

/**
 * SQL: the alert was escalated to the actor: to the role they are on call through now, or they were told of
 * its escalation (named in its 'escalated' event), which they keep when the clinic's on-call changes after.
 */
function escalatedTo(ctx: ServiceContext, onCall: readonly string[]): SQL {
  const told = sql`EXISTS (SELECT 1 FROM alert_event e WHERE e.clinic_id = ${alert.clinicId}
      AND e.alert_id = ${alert.id} AND e.kind = 'escalated'
      AND e.detail -> 'notifiedUserIds' @> ${JSON.stringify([ctx.actor.userId])}::jsonb)`;
  if (onCall.length === 0) return sql`(${told})`;
  return sql`((${isNotNull(alert.escalatedAt)} AND ${inArray(alert.escalatedToRole, [...onCall])}) OR ${told})`;
}

/** Whether `userId` was told of the alert's escalation (named in its 'escalated' event). */
async function wasToldOf(ctx: ServiceContext, alertId: string, userId: string): Promise<boolean> {
  const [row] = await ctx.tx
    .select({ id: alertEvent.id })
    .from(alertEvent)
    .where(
      and(
        eq(alertEvent.clinicId, ctx.clinicId),
        eq(alertEvent.alertId, alertId),
        eq(alertEvent.kind, 'escalated'),
        sql`${alertEvent.detail} -> 'notifiedUserIds' @> ${JSON.stringify([userId])}::jsonb`,
      ),
    )
    .limit(1);
  return row !== undefined;
}

export type AlertScope = 'mine' | 'unassigned' | 'escalated' | 'all';

/**
 * The alerts inbox: alerts of the patients whose clinical record the caller may open, and those escalated to
 * them as on-call staff. `scope`: 'mine' (I own it, or it was escalated to me on call), 'unassigned' (no
 * owner: the care team as a whole), 'escalated', or 'all'. Critical first, then the oldest first; keyset
 * pagination.
 */
export async function listAlerts(
  ctx: ServiceContext,
  filters: { status: AlertStatus; scope?: AlertScope; kind?: string; limit: number; cursor?: string },
) {
  const settings = await loadAlertSettings(ctx);
  const onCall = onCallRolesOf(ctx, settings);
  const severityRank = sql<number>`CASE ${alert.severity} WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'moderate' THEN 2 ELSE 3 END`;
  const where: SQL[] = [eq(alert.status, filters.status), visibleTo(ctx, onCall)];
  const scope = filters.scope ?? 'all';
  if (scope === 'mine') {
    where.push(sql`(${eq(alert.ownerId, ctx.actor.userId)} OR ${escalatedTo(ctx, onCall)})`);
  } else if (scope === 'unassigned') {
    where.push(isNull(alert.ownerId));
  } else if (scope === 'escalated') {
    where.push(isNotNull(alert.escalatedAt));
  }
  if (filters.kind) where.push(eq(alert.kind, filters.kind));
  if (filters.cursor) {
    const key = decodeCursor(filters.cursor, ['rank', 'raisedAt', 'id'] as const);
    const rank = Number(key.rank);
    const raisedAt = new Date(key.raisedAt);
    // decodeCursor checks only the id: a rank or time that SQL would refuse is a 400 here, not a 500 there.
    if (!Number.isInteger(rank) || rank < 0 || rank > 3 || Number.isNaN(raisedAt.getTime())) {
      throw new Invalid('The cursor is not valid.', [
        { path: 'cursor', message: 'Use the nextCursor of a previous page.' },
      ]);
    }
    where.push(
      sql`(${severityRank}, ${alert.raisedAt}, ${alert.id}) > (${rank}, ${raisedAt.toISOString()}::timestamptz, ${key.id}::uuid)`,
    );
  }
  const rows = await alertQuery(ctx, where)
    .orderBy(severityRank, asc(alert.raisedAt), asc(alert.id))
    .limit(filters.limit + 1);
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  // The page shows each patient's name, MRN and alert summary, also to on-call staff outside the care team:
  // one event per patient seen (naming the alerts), so the patient's access history has it.
  const detail = { status: filters.status, scope, kind: filters.kind ?? null, count: page.length };
  const seen = new Map<string, string[]>();
  for (const row of page)
    seen.set(row.alert.patientId, [...(seen.get(row.alert.patientId) ?? []), row.alert.id]);
  if (seen.size === 0) ctx.audit.record({ action: 'alert.list', resourceType: 'alert', detail });
  for (const [patientId, alertIds] of seen) {
    ctx.audit.record({
      action: 'alert.list',
      resourceType: 'alert',
      patientId,
      detail: { ...detail, alertIds },
    });
  }
  return {
    items: page.map((row) => presentAlert(row, settings)),
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
 * Proves the actor may act on the alert: clinical access to the patient's chart, or (for an escalated alert)
 * being on call for the role it went to. Otherwise the alert does not exist for them (404).
 */
async function accessAlert(ctx: ServiceContext, alertId: string) {
  const [found] = await ctx.tx
    .select()
    .from(alert)
    .where(and(eq(alert.clinicId, ctx.clinicId), eq(alert.id, alertId)));
  if (!found) throw new NotFound('Alert');
  const settings = await loadAlertSettings(ctx);
  const access = await assertChartAccess(ctx, found.patientId).catch((error: unknown) => {
    if (error instanceof NotFound) return null;
    throw error;
  });
  let granted: AlertAccess | null = null;
  if (access?.level === 'clinical') granted = { via: 'chart', breakGlass: access.breakGlass };
  else if (
    found.escalatedAt &&
    found.escalatedToRole &&
    (onCallRolesOf(ctx, settings).includes(found.escalatedToRole as (typeof onCallRoles)[number]) ||
      (await wasToldOf(ctx, alertId, ctx.actor.userId)))
  ) {
    granted = { via: 'on-call', breakGlass: false };
  }
  if (!granted) throw new NotFound('Alert');
  return { found, access: granted, settings };
}

/** One alert with its trail (raised, routed, escalated, reassigned, acknowledged), oldest first. Audited. */
export async function getAlert(ctx: ServiceContext, alertId: string) {
  const { found, access, settings } = await accessAlert(ctx, alertId);
  const [row] = await alertQuery(ctx, [eq(alert.id, alertId)]);
  const events = await ctx.tx
    .select()
    .from(alertEvent)
    .where(and(eq(alertEvent.clinicId, ctx.clinicId), eq(alertEvent.alertId, alertId)))
    // Events of one instant (raised and routed together; a reassignment then an acknowledgement within the
    // clock's resolution) keep the order in which they can happen.
    .orderBy(
      asc(alertEvent.occurredAt),
      sql`CASE ${alertEvent.kind} WHEN 'raised' THEN 0 WHEN 'routed' THEN 1 WHEN 'reassigned' THEN 2 WHEN 'escalated' THEN 3 ELSE 4 END`,
      asc(alertEvent.id),
    );
  const peopleIds = [
    ...new Set(
      events.flatMap((e) => [e.actorId, e.ownerId, e.previousOwnerId].filter((x): x is string => !!x)),
    ),
  ];
  const people = new Map(
    peopleIds.length === 0
      ? []
      : (
          await ctx.tx
            .select({ id: userAccount.id, displayName: userAccount.displayName })
            .from(userAccount)
            .where(and(eq(userAccount.clinicId, ctx.clinicId), inArray(userAccount.id, peopleIds)))
        ).map((p) => [p.id, p] as const),
  );
  const person = (id: string | null) => (id ? (people.get(id) ?? { id, displayName: '' }) : null);
  ctx.audit.record({
    action: 'alert.read',
    resourceType: 'alert',
    resourceId: alertId,
    patientId: found.patientId,
    breakGlass: access.breakGlass,
    detail: { via: access.via },
  });
  return {
    ...presentAlert(row!, settings),
    events: events.map(
      (e): AlertEventView => ({
        kind: e.kind,
        at: e.occurredAt.toISOString(),
        actor: person(e.actorId),
        owner: person(e.ownerId),
        previousOwner: person(e.previousOwnerId),
        role: e.role,
        note: e.note,
        notifiedCount: e.detail?.notifiedUserIds?.length ?? null,
      }),
    ),
  };
}

/**
 * Acknowledges an open alert, recording the action taken. The caller must be able to open the patient's
 * clinical record, or be on call for an escalated alert; otherwise the alert does not exist for them (404).
 * Acknowledging twice is a 409: the first acknowledgement stands (a trigger keeps it unchanged).
 */
export async function acknowledgeAlert(ctx: ServiceContext, alertId: string, action: string) {
  const { found, access } = await accessAlert(ctx, alertId);
  const now = ctx.clock.now();
  const [updated] = await ctx.tx
    .update(alert)
    .set({
      status: 'acknowledged',
      acknowledgedAt: now,
      acknowledgedBy: ctx.actor.userId,
      acknowledgementAction: action,
    })
    .where(and(eq(alert.clinicId, ctx.clinicId), eq(alert.id, alertId), eq(alert.status, 'open')))
    .returning({ id: alert.id });
  if (!updated) throw new Conflict('This alert was already acknowledged.');
  await recordEvents(ctx, alertId, [
    { kind: 'acknowledged', at: now, actorId: ctx.actor.userId, note: action },
  ]);
  ctx.audit.record({
    action: 'alert.acknowledge',
    resourceType: 'alert',
    resourceId: alertId,
    patientId: found.patientId,
    breakGlass: access.breakGlass,
    detail: { via: access.via },
  });
  return findAlert(ctx, alertId);
}

/**
 * Hands an open alert to another clinical staff member of the clinic (prescriber, nurse or therapist), with
 * the reason. The new owner must be able to open the chart without break-glass (on the care team, or a
 * clinic-wide care scope), or be on call for the escalated alert: otherwise they could not act on it.
 * The check and the change are one statement: an alert reassigned or acknowledged meanwhile is a 409.
 */
export async function reassignAlert(
  ctx: ServiceContext,
  alertId: string,
  input: { toUserId: string; reason: string },
) {
  const { found, access, settings } = await accessAlert(ctx, alertId);
  if (found.status !== 'open') throw new Conflict('An acknowledged alert is not reassigned.');
  if (found.ownerId === input.toUserId) {
    throw new Invalid('This alert already belongs to them.', [
      { path: 'toUserId', message: 'Choose someone other than the current owner.' },
    ]);
  }
  const targetRows = await ctx.tx
    .select({ role: roleAssignment.role })
    .from(userAccount)
    .innerJoin(
      roleAssignment,
      and(eq(roleAssignment.clinicId, userAccount.clinicId), eq(roleAssignment.userId, userAccount.id)),
    )
    .where(
      and(
        eq(userAccount.clinicId, ctx.clinicId),
        eq(userAccount.id, input.toUserId),
        eq(userAccount.kind, 'staff'),
        isNull(userAccount.disabledAt),
        inArray(roleAssignment.role, [...onCallRoles]),
      ),
    );
  if (targetRows.length === 0) {
    throw new Invalid('Alerts go to clinical staff of the clinic.', [
      { path: 'toUserId', message: 'Not an active prescriber, nurse or therapist of this clinic.' },
    ]);
  }
  const [scope] = await ctx.tx
    .select({
      opens: withinCareScope(sql`${ctx.clinicId}::uuid`, sql`${found.patientId}::uuid`, input.toUserId),
    })
    .from(clinic)
    .where(eq(clinic.id, ctx.clinicId));
  const named = settings.onCallUserIds ?? [];
  // On call for it as onCallRolesOf and escalatedTo read it: through the clinic's on-call role now, or told.
  const targetOnCall =
    found.escalatedToRole !== null &&
    ((settings.onCallRole === found.escalatedToRole &&
      targetRows.some((r) => r.role === found.escalatedToRole) &&
      (named.length === 0 || named.includes(input.toUserId))) ||
      (await wasToldOf(ctx, alertId, input.toUserId)));
  if (!scope?.opens && !targetOnCall) {
    throw new Invalid('They cannot open this patient’s chart.', [
      { path: 'toUserId', message: 'Not on this patient’s care team: add them to the care team first.' },
    ]);
  }
  const [updated] = await ctx.tx
    .update(alert)
    .set({ ownerId: input.toUserId })
    .where(
      and(
        eq(alert.clinicId, ctx.clinicId),
        eq(alert.id, alertId),
        eq(alert.status, 'open'),
        found.ownerId ? eq(alert.ownerId, found.ownerId) : isNull(alert.ownerId),
      ),
    )
    .returning({ id: alert.id });
  if (!updated) throw new Conflict('This alert changed meanwhile: reload it.');
  await recordEvents(ctx, alertId, [
    {
      kind: 'reassigned',
      at: ctx.clock.now(),
      actorId: ctx.actor.userId,
      ownerId: input.toUserId,
      previousOwnerId: found.ownerId,
      note: input.reason,
    },
  ]);
  await notifyOwner(ctx, input.toUserId);
  ctx.audit.record({
    action: 'alert.reassign',
    resourceType: 'alert',
    resourceId: alertId,
    patientId: found.patientId,
    breakGlass: access.breakGlass,
    detail: { from: found.ownerId, to: input.toUserId, via: access.via },
  });
  return getAlert(ctx, alertId);
}
