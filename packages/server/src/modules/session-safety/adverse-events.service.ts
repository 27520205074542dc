import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import { adverseEvent, alert, userAccount } from '../../db/schema/index.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { raiseAlert } from '../alerts/alerts.service.ts';
import { requireClinicalAccess } from '../screening/vitals.service.ts';
import type {
  AdverseEventAmendmentInput,
  AdverseEventInput,
  AdverseEventVersionView,
  AdverseEventView,
} from './adverse-events.schemas.ts';
import { type DosingSessionRow, findSessionWithAccess, isUniqueViolation } from './session-access.ts';

type AdverseEventRow = typeof adverseEvent.$inferSelect;

/** An onset up to this far ahead of the server clock is accepted (device clocks drift); no further. */
const clockSkewMs = 5 * 60_000;

const sameFields = (row: AdverseEventRow, input: AdverseEventInput | AdverseEventAmendmentInput) =>
  row.category === input.category &&
  row.severity === input.severity &&
  row.serious === input.serious &&
  row.description === input.description &&
  row.actionTaken === input.actionTaken &&
  row.outcome === input.outcome &&
  row.onsetAt.getTime() === new Date(input.onsetAt).getTime();

function checkOnset(ctx: ServiceContext, onsetAt: string) {
  if (new Date(onsetAt).getTime() > ctx.clock.now().getTime() + clockSkewMs)
    throw new Invalid('An adverse event cannot start in the future.', [
      { path: 'onsetAt', message: 'Use the time it started.' },
    ]);
}

async function findVersion(ctx: ServiceContext, id: string): Promise<AdverseEventRow | undefined> {
  const [row] = await ctx.tx
    .select()
    .from(adverseEvent)
    .where(and(eq(adverseEvent.clinicId, ctx.clinicId), eq(adverseEvent.id, id)));
  return row;
}

const idUsed = () =>
  new Conflict('A different adverse event was already saved with this id: generate a new one.', [
    { path: 'id', message: 'Generate a new id.' },
  ]);

/**
 * A serious event is flagged for follow-up: an alert for the patient's care team, raised in the same
 * transaction (one per event: raising it again for an amendment returns the same alert). A severe one is
 * critical. The summary names the kind of event only; the details stay in the session record.
 */
async function flagForFollowUp(ctx: ServiceContext, row: AdverseEventRow) {
  if (!row.serious) return;
  await raiseAlert(ctx, {
    patientId: row.patientId,
    kind: 'serious-adverse-event',
    severity: row.severity === 'severe' ? 'critical' : 'high',
    summary: `Serious adverse event during a dosing session (${row.category.replaceAll('-', ' ')}): follow up with the patient.`,
    source: { type: 'adverse-event', id: row.seriesId },
  });
}

async function insertVersion(ctx: ServiceContext, values: typeof adverseEvent.$inferInsert) {
  // A savepoint: a refused insert is answered 409 without aborting the unit of work (and its audit).
  await ctx.tx.transaction(async (sp) => sp.insert(adverseEvent).values(values));
}

/** Records an adverse event of a session; a retried save (same id, same content) returns the first. */
export async function recordAdverseEvent(
  ctx: ServiceContext,
  sessionId: string,
  input: AdverseEventInput,
): Promise<{ created: boolean; event: AdverseEventView }> {
  const { session, access } = await findSessionWithAccess(ctx, sessionId);
  checkOnset(ctx, input.onsetAt);
  const existing = await findVersion(ctx, input.id);
  if (existing) {
    if (existing.sessionId !== sessionId || existing.version !== 1 || !sameFields(existing, input))
      throw idUsed();
    return { created: false, event: await findEvent(ctx, session, existing.seriesId) };
  }
  const values = {
    id: input.id,
    clinicId: ctx.clinicId,
    sessionId,
    patientId: session.patientId,
    seriesId: input.id,
    version: 1,
    amendsId: null,
    amendmentReason: null,
    category: input.category,
    severity: input.severity,
    serious: input.serious,
    description: input.description,
    actionTaken: input.actionTaken,
    outcome: input.outcome,
    onsetAt: new Date(input.onsetAt),
    recordedBy: ctx.actor.userId,
    recordedAt: ctx.clock.now(),
  };
  try {
    await insertVersion(ctx, values);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A parallel retry won the race, or the id is another clinic's.
    const raced = await findVersion(ctx, input.id);
    if (raced && raced.sessionId === sessionId && raced.version === 1 && sameFields(raced, input))
      return { created: false, event: await findEvent(ctx, session, raced.seriesId) };
    throw idUsed();
  }
  await flagForFollowUp(ctx, values);
  ctx.audit.record({
    action: 'adverse-event.record',
    resourceType: 'adverse_event',
    resourceId: input.id,
    patientId: session.patientId,
    breakGlass: access.breakGlass,
    detail: { sessionId, category: input.category, severity: input.severity, serious: input.serious },
  });
  return { created: true, event: await findEvent(ctx, session, input.id) };
}

/**
 * Amends an adverse event: the whole event as it now stands becomes a new version that amends the latest,
 * with a reason. The earlier versions stay as they were written (append-only).
 */
export async function amendAdverseEvent(
  ctx: ServiceContext,
  sessionId: string,
  seriesId: string,
  input: AdverseEventAmendmentInput,
): Promise<{ created: boolean; event: AdverseEventView }> {
  const { session, access } = await findSessionWithAccess(ctx, sessionId);
  checkOnset(ctx, input.onsetAt);
  const existing = await findVersion(ctx, input.id);
  if (existing) {
    if (
      existing.seriesId !== seriesId ||
      existing.sessionId !== sessionId ||
      existing.version !== input.expectedVersion + 1 ||
      existing.amendmentReason !== input.reason ||
      !sameFields(existing, input)
    )
      throw idUsed();
    return { created: false, event: await findEvent(ctx, session, seriesId) };
  }
  const [latest] = await ctx.tx
    .select()
    .from(adverseEvent)
    .where(
      and(
        eq(adverseEvent.clinicId, ctx.clinicId),
        eq(adverseEvent.sessionId, sessionId),
        eq(adverseEvent.seriesId, seriesId),
      ),
    )
    .orderBy(desc(adverseEvent.version))
    .limit(1);
  if (!latest) throw new NotFound('Adverse event');
  const stale = () =>
    new Conflict(`The event was amended since version ${input.expectedVersion}: reload it and amend again.`, [
      { path: 'expectedVersion', message: 'Not the latest version.' },
    ]);
  if (latest.version !== input.expectedVersion) throw stale();
  if (sameFields(latest, input))
    throw new Invalid('Nothing changed: an amendment changes at least one field.', [
      { path: 'description', message: 'Change what needs correcting.' },
    ]);
  const values = {
    id: input.id,
    clinicId: ctx.clinicId,
    sessionId,
    patientId: session.patientId,
    seriesId,
    version: latest.version + 1,
    amendsId: latest.id,
    amendmentReason: input.reason,
    category: input.category,
    severity: input.severity,
    serious: input.serious,
    description: input.description,
    actionTaken: input.actionTaken,
    outcome: input.outcome,
    onsetAt: new Date(input.onsetAt),
    recordedBy: ctx.actor.userId,
    recordedAt: ctx.clock.now(),
  };
  try {
    await insertVersion(ctx, values);
  } catch (error) {
    if (
      isUniqueViolation(error, 'adverse_event_amends_once_key') ||
      isUniqueViolation(error, 'adverse_event_series_version_key')
    )
      throw stale();
    if (isUniqueViolation(error)) throw idUsed();
    throw error;
  }
  await flagForFollowUp(ctx, values);
  ctx.audit.record({
    action: 'adverse-event.amend',
    resourceType: 'adverse_event',
    resourceId: input.id,
    patientId: session.patientId,
    breakGlass: access.breakGlass,
    detail: {
      sessionId,
      seriesId,
      version: values.version,
      severity: input.severity,
      serious: input.serious,
      ...(latest.serious !== input.serious ? { seriousChanged: true } : {}),
    },
  });
  return { created: true, event: await findEvent(ctx, session, seriesId) };
}

/** Adverse events by their series, each with every version newest first and its follow-up alert. */
async function presentEvents(ctx: ServiceContext, where: SQL[]): Promise<AdverseEventView[]> {
  const rows = await ctx.tx
    .select({ row: adverseEvent, recordedByName: userAccount.displayName })
    .from(adverseEvent)
    .innerJoin(
      userAccount,
      and(eq(userAccount.clinicId, adverseEvent.clinicId), eq(userAccount.id, adverseEvent.recordedBy)),
    )
    .where(and(eq(adverseEvent.clinicId, ctx.clinicId), ...where))
    .orderBy(asc(adverseEvent.seriesId), desc(adverseEvent.version))
    .limit(2000);
  if (rows.length === 0) return [];
  const seriesIds = [...new Set(rows.map((r) => r.row.seriesId))];
  const alerts = await ctx.tx
    .select({ id: alert.id, sourceId: alert.sourceId, status: alert.status, severity: alert.severity })
    .from(alert)
    .where(
      and(
        eq(alert.clinicId, ctx.clinicId),
        eq(alert.sourceType, 'adverse-event'),
        eq(alert.kind, 'serious-adverse-event'),
        inArray(alert.sourceId, seriesIds),
      ),
    );
  const bySeries = new Map<string, AdverseEventVersionView[]>();
  const meta = new Map<string, AdverseEventRow>();
  for (const { row, recordedByName } of rows) {
    meta.set(row.seriesId, meta.get(row.seriesId) ?? row);
    bySeries.set(row.seriesId, [
      ...(bySeries.get(row.seriesId) ?? []),
      {
        id: row.id,
        version: row.version,
        category: row.category,
        severity: row.severity,
        serious: row.serious,
        description: row.description,
        actionTaken: row.actionTaken,
        outcome: row.outcome,
        onsetAt: row.onsetAt.toISOString(),
        amendmentReason: row.amendmentReason,
        recordedAt: row.recordedAt.toISOString(),
        recordedBy: { id: row.recordedBy, displayName: recordedByName },
      },
    ]);
  }
  return [...bySeries.entries()]
    .map(([seriesId, unordered]): AdverseEventView => {
      const versions = unordered.sort((a, b) => b.version - a.version);
      const first = meta.get(seriesId)!;
      const followUp = alerts.find((a) => a.sourceId === seriesId);
      return {
        seriesId,
        sessionId: first.sessionId,
        patientId: first.patientId,
        current: versions[0]!,
        versions,
        alert: followUp ? { id: followUp.id, status: followUp.status, severity: followUp.severity } : null,
      };
    })
    .sort(
      (a, b) => a.current.onsetAt.localeCompare(b.current.onsetAt) || a.seriesId.localeCompare(b.seriesId),
    );
}

async function findEvent(ctx: ServiceContext, session: DosingSessionRow, seriesId: string) {
  const [event] = await presentEvents(ctx, [
    eq(adverseEvent.sessionId, session.id),
    eq(adverseEvent.seriesId, seriesId),
  ]);
  if (!event) throw new NotFound('Adverse event');
  return event;
}

/**
 * The adverse events of a session, oldest onset first, for the session view (H3's loadSession). The caller
 * has already proven access to the session and audits the read; this adds no audit event of its own.
 */
export async function sessionAdverseEvents(
  ctx: ServiceContext,
  sessionId: string,
): Promise<AdverseEventView[]> {
  return presentEvents(ctx, [eq(adverseEvent.sessionId, sessionId)]);
}

/** The same for many sessions at once (the board, loadSessions), keyed by session id. */
export async function sessionsAdverseEvents(
  ctx: ServiceContext,
  sessionIds: readonly string[],
): Promise<Map<string, AdverseEventView[]>> {
  const bySession = new Map<string, AdverseEventView[]>(sessionIds.map((id) => [id, []]));
  if (sessionIds.length === 0) return bySession;
  for (const event of await presentEvents(ctx, [inArray(adverseEvent.sessionId, [...sessionIds])]))
    bySession.get(event.sessionId)?.push(event);
  return bySession;
}

/** GET /sessions/:sessionId/adverse-events: access-checked and audited. */
export async function listSessionAdverseEvents(ctx: ServiceContext, sessionId: string) {
  const { session, access } = await findSessionWithAccess(ctx, sessionId);
  const items = await sessionAdverseEvents(ctx, sessionId);
  ctx.audit.record({
    action: 'adverse-event.list',
    resourceType: 'adverse_event',
    patientId: session.patientId,
    breakGlass: access.breakGlass,
    detail: { sessionId, count: items.length },
  });
  return { items };
}

/** Every adverse event of a patient, across sessions (the chart's safety history). */
export async function listPatientAdverseEvents(ctx: ServiceContext, patientId: string) {
  const access = await requireClinicalAccess(ctx, patientId);
  const items = await presentEvents(ctx, [eq(adverseEvent.patientId, patientId)]);
  ctx.audit.record({
    action: 'adverse-event.list',
    resourceType: 'adverse_event',
    patientId,
    breakGlass: access.breakGlass,
    detail: { count: items.length, serious: items.filter((e) => e.current.serious).length },
  });
  return { items };
}
