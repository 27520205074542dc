import { randomUUID } from 'node:crypto';
import {
  calculateDose,
  esketamineDeviceMg,
  type PreDoseGateInput,
  preDoseGate,
  type SessionEvent,
  type SessionState,
  scoreInstrument,
  sessionTransition,
} from '@kapstone/clinical';
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import type { ClinicSessionSettings } from '../../db/schema/clinic.ts';
import type { PreDoseChecklistSources } from '../../db/schema/index.ts';
import {
  appointment,
  clinic,
  doseAdministration,
  dosingSession,
  dosingSessionEvent,
  noDrivingAcknowledgement,
  patientMedication,
  preDoseChecklist,
  preDoseOverride,
  roleAssignment,
  sessionDischarge,
  sessionObservation,
  userAccount,
  vitalSigns,
} from '../../db/schema/index.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import { hasPermission } from '../../security/permissions.ts';
import { acknowledgeAlert, raiseAlert } from '../alerts/alerts.service.ts';
import { drawForAdministration, listDispensableLots } from '../ledger/ledger.service.ts';
import { syncMeasureSchedule } from '../measures/measure-schedule.service.ts';
import { latestScores } from '../measures/measures.service.ts';
import { findActivePlan } from '../plans/plans.service.ts';
import { findLatestPreparation } from '../preparation/preparation.service.ts';
import { localParts } from '../scheduling/clinic-time.ts';
import { latestRideHome } from '../scheduling/pre-check-in.service.ts';
import { requireClinicalAccess } from '../screening/vitals.service.ts';
import type {
  AdministrationInput,
  ChecklistInput,
  DischargeInput,
  GateOverrideInput,
  ObservationInput,
  SessionVitalsInput,
} from './sessions.schemas.ts';
import { ivInfusionMinutes, loadSessionSettings } from './sessions.settings.ts';
import {
  baselineMoaasOf,
  baselineReading,
  classifyReading,
  loadSession,
  loadSessions,
  readinessOf,
  type SessionRow,
  sessionReadings,
  sessionVitalsAlertKind,
  toVitals,
  vitalsSourceType,
} from './sessions.view.ts';

export { loadSession, loadSessions };

/** A device's or tablet's clock may run a little ahead of the server's. */
const clockSkewMs = 5 * 60_000;
/** SPRAVATO: wait 5 minutes after each device (clinical-reference 2.5; rule `session.esketamine-device-interval`). */
const esketamineDeviceIntervalMs = 5 * 60_000;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Strictly after `previous`, so the newest row is always the last in time (two steps in one millisecond). */
function laterThan(now: Date, previous: Date | null | undefined): Date {
  if (previous && now.getTime() <= previous.getTime()) return new Date(previous.getTime() + 1);
  return now;
}

async function lastEventAt(ctx: ServiceContext, sessionId: string): Promise<Date | null> {
  const [row] = await ctx.tx
    .select({ at: dosingSessionEvent.occurredAt })
    .from(dosingSessionEvent)
    .where(and(eq(dosingSessionEvent.clinicId, ctx.clinicId), eq(dosingSessionEvent.sessionId, sessionId)))
    .orderBy(desc(dosingSessionEvent.occurredAt))
    .limit(1);
  return row?.at ?? null;
}

function notInFuture(ctx: ServiceContext, at: Date, path: string) {
  if (at.getTime() > ctx.clock.now().getTime() + clockSkewMs)
    throw new Invalid('That time is in the future.', [{ path, message: 'Use the time it happened.' }]);
}

/** The session row, locked for this unit of work (its writes are serialized), after a chart check. */
async function lockSession(ctx: ServiceContext, sessionId: string): Promise<SessionRow> {
  const [row] = await ctx.tx
    .select()
    .from(dosingSession)
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        or(eq(dosingSession.id, sessionId), eq(dosingSession.appointmentId, sessionId)),
      ),
    )
    .for('update');
  if (!row) {
    // A dosing appointment not yet checked in is a session in state 'scheduled'.
    const [appt] = await ctx.tx
      .select({ patientId: appointment.patientId, kind: appointment.kind })
      .from(appointment)
      .where(and(eq(appointment.clinicId, ctx.clinicId), eq(appointment.id, sessionId)));
    if (appt?.kind !== 'dosing') throw new NotFound('Session');
    await requireClinicalAccess(ctx, appt.patientId).catch(() => {
      throw new NotFound('Session');
    });
    throw new Conflict('The patient has not been checked in for this session yet.', [
      { path: 'state', message: 'Check the patient in first.' },
    ]);
  }
  await requireClinicalAccess(ctx, row.patientId).catch((error: unknown) => {
    if (error instanceof NotFound) throw new NotFound('Session');
    throw error;
  });
  return row;
}

/**
 * Applies one lifecycle step decided by @kapstone/clinical sessionTransition: refuses with its reasons (409),
 * or moves the state and writes the event row, in the caller's transaction.
 */
async function transition(
  ctx: ServiceContext,
  session: SessionRow,
  event: SessionEvent,
  changes: Partial<typeof dosingSession.$inferInsert>,
  detail: Record<string, unknown>,
  reason: string | null = null,
): Promise<SessionState> {
  const step = sessionTransition(session.state, event);
  if (!step.allowed)
    throw new Conflict(
      step.reasons[0]!,
      step.reasons.map((message) => ({ path: 'state', message })),
    );
  const now = ctx.clock.now();
  const [updated] = await ctx.tx
    .update(dosingSession)
    .set({ ...changes, state: step.to, updatedAt: now })
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        eq(dosingSession.id, session.id),
        eq(dosingSession.state, session.state),
      ),
    )
    .returning({ id: dosingSession.id });
  if (!updated) throw new Conflict('The session changed meanwhile: reload it.');
  await ctx.tx.insert(dosingSessionEvent).values({
    id: randomUUID(),
    clinicId: ctx.clinicId,
    sessionId: session.id,
    kind: event.kind,
    fromState: session.state,
    toState: step.to,
    reason,
    detail,
    actorId: ctx.actor.userId,
    occurredAt: laterThan(now, await lastEventAt(ctx, session.id)),
  });
  ctx.audit.record({
    action: `session.${event.kind}`,
    resourceType: 'dosing_session',
    resourceId: session.id,
    patientId: session.patientId,
    detail: { from: session.state, to: step.to, ...detail },
  });
  session.state = step.to;
  return step.to;
}

// ---- check-in ----

/**
 * Checks a patient in for a booked dosing appointment: creates the session from the appointment (its plan,
 * protocol, route and product), state 'checked-in'. The front desk may do it (demographic access); a retry
 * after the check-in answers with the same session.
 */
export async function checkIn(ctx: ServiceContext, sessionId: string) {
  const [existing] = await ctx.tx
    .select()
    .from(dosingSession)
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        or(eq(dosingSession.id, sessionId), eq(dosingSession.appointmentId, sessionId)),
      ),
    );
  const [appt] = await ctx.tx
    .select()
    .from(appointment)
    .where(
      and(eq(appointment.clinicId, ctx.clinicId), eq(appointment.id, existing?.appointmentId ?? sessionId)),
    );
  if (appt?.kind !== 'dosing') throw new NotFound('Session');
  await assertChartAccess(ctx, appt.patientId).catch(() => {
    throw new NotFound('Session');
  });
  if (existing) return { created: false, session: checkInView(existing) };
  if (appt.status === 'cancelled')
    throw new Conflict('The appointment is cancelled.', [{ path: 'state', message: 'Book a new session.' }]);
  const { timeZone } = await loadSessionSettings(ctx);
  if (!sameDay(appt.startsAt, ctx.clock.now(), timeZone))
    throw new Conflict('A patient is checked in on the day of the session.', [
      { path: 'state', message: `The session is on ${localParts(appt.startsAt, timeZone).date}.` },
    ]);
  if (!appt.planId || !appt.route || !appt.product || !appt.protocolId)
    throw new Conflict(
      'The appointment was booked without a treatment plan: book it under the active plan.',
      [{ path: 'appointmentId', message: 'No plan on the appointment.' }],
    );
  const now = ctx.clock.now();
  const step = sessionTransition('scheduled', { kind: 'check-in' });
  if (!step.allowed) throw new Conflict(step.reasons[0]!);
  const inserted = await ctx.tx
    .insert(dosingSession)
    .values({
      id: appt.id,
      clinicId: ctx.clinicId,
      appointmentId: appt.id,
      patientId: appt.patientId,
      planId: appt.planId,
      protocolId: appt.protocolId,
      route: appt.route as SessionRow['route'],
      product: appt.product as SessionRow['product'],
      state: step.to,
      checkedInAt: now,
      checkedInBy: ctx.actor.userId,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  const row = inserted[0];
  if (!row) {
    // A concurrent check-in won.
    const [raced] = await ctx.tx
      .select()
      .from(dosingSession)
      .where(and(eq(dosingSession.clinicId, ctx.clinicId), eq(dosingSession.appointmentId, appt.id)));
    return { created: false, session: checkInView(raced!) };
  }
  await ctx.tx.insert(dosingSessionEvent).values({
    id: randomUUID(),
    clinicId: ctx.clinicId,
    sessionId: row.id,
    kind: 'check-in',
    fromState: 'scheduled',
    toState: step.to,
    reason: null,
    detail: { appointmentId: appt.id, planId: appt.planId },
    actorId: ctx.actor.userId,
    occurredAt: now,
  });
  ctx.audit.record({
    action: 'session.check-in',
    resourceType: 'dosing_session',
    resourceId: row.id,
    patientId: row.patientId,
    detail: { from: 'scheduled', to: step.to },
  });
  return { created: true, session: checkInView(row) };
}

/** What the check-in answers: no clinical detail (the front desk checks patients in). */
function checkInView(row: SessionRow) {
  return {
    id: row.id,
    state: row.state,
    patientId: row.patientId,
    checkedInAt: row.checkedInAt.toISOString(),
  };
}

// ---- pre-dose checklist ----

const sameDay = (a: Date, b: Date, timeZone: string) =>
  localParts(a, timeZone).date === localParts(b, timeZone).date;

/**
 * Runs the pre-dose checklist: the nurse's answers and what the chart holds (the baseline vitals and MOAA/S
 * of this session, the ride home and no-driving acknowledgement, today's PHQ-9 and C-SSRS, the medication
 * list, today's intention from the preparation note) go to @kapstone/clinical preDoseGate. No blocker and no
 * caution clears the session to dose at once; cautions wait for a prescriber's override; blockers stop it.
 */
export async function recordChecklist(ctx: ServiceContext, sessionId: string, input: ChecklistInput) {
  const session = await lockSession(ctx, sessionId);
  const { id, ...answers } = input;
  const [retried] = await ctx.tx
    .select()
    .from(preDoseChecklist)
    .where(and(eq(preDoseChecklist.clinicId, ctx.clinicId), eq(preDoseChecklist.id, id)));
  if (retried) {
    if (retried.sessionId !== sessionId || !sameJson(retried.answers, answers))
      throw new Conflict('A different checklist was already saved with this id: generate a new one.', [
        { path: 'id', message: 'Generate a new id.' },
      ]);
    return { created: false, session: await loadSession(ctx, sessionId) };
  }
  if (session.state !== 'checked-in')
    throw new Conflict(
      session.state === 'cleared-to-dose'
        ? 'The session is already cleared to dose.'
        : `The pre-dose checklist is for a checked-in patient; this session is ${session.state}.`,
      [{ path: 'state', message: 'Not the time for the pre-dose checklist.' }],
    );
  const settings = await loadSessionSettings(ctx);
  const [previousRun] = await ctx.tx
    .select({ at: preDoseChecklist.recordedAt })
    .from(preDoseChecklist)
    .where(and(eq(preDoseChecklist.clinicId, ctx.clinicId), eq(preDoseChecklist.sessionId, sessionId)))
    .orderBy(desc(preDoseChecklist.recordedAt))
    .limit(1);
  const now = laterThan(ctx.clock.now(), previousRun?.at);

  const readings = (await sessionReadings(ctx, [sessionId])).get(sessionId) ?? [];
  const baseline = baselineReading(readings, null);
  const observations = await ctx.tx
    .select()
    .from(sessionObservation)
    .where(and(eq(sessionObservation.clinicId, ctx.clinicId), eq(sessionObservation.sessionId, sessionId)))
    .orderBy(asc(sessionObservation.observedAt));
  const moaas = baselineMoaasOf(observations, null);
  const ride = (await latestRideHome(ctx, [session.appointmentId])).get(session.appointmentId);
  const [acknowledgement] = await ctx.tx
    .select({ id: noDrivingAcknowledgement.id })
    .from(noDrivingAcknowledgement)
    .where(
      and(
        eq(noDrivingAcknowledgement.clinicId, ctx.clinicId),
        eq(noDrivingAcknowledgement.appointmentId, session.appointmentId),
      ),
    )
    .orderBy(asc(noDrivingAcknowledgement.acknowledgedAt))
    .limit(1);
  const acknowledged = acknowledgement !== undefined;
  const scores = await latestScores(ctx, session.patientId);
  const todays = (instrument: 'phq9' | 'cssrs-screener') => {
    const score = scores[instrument];
    return score && sameDay(new Date(score.respondedAt), now, settings.timeZone) ? score : undefined;
  };
  const phq9 = todays('phq9');
  const cssrs = todays('cssrs-screener');
  const medications = await ctx.tx
    .select({ name: patientMedication.name })
    .from(patientMedication)
    .where(
      and(
        eq(patientMedication.clinicId, ctx.clinicId),
        eq(patientMedication.patientId, session.patientId),
        eq(patientMedication.status, 'active'),
      ),
    );
  const preparation = await findLatestPreparation(ctx, session.patientId);

  const gateInput: PreDoseGateInput = {
    product: session.product,
    route: session.route,
    ...(baseline ? { baselineVitals: toVitals(baseline.row) } : {}),
    ...(moaas?.moaas != null ? { baselineMoaas: moaas.moaas } : {}),
    ...(answers.hoursSinceFood !== null ? { hoursSinceFood: answers.hoursSinceFood } : {}),
    ...(answers.hoursSinceLiquids !== null ? { hoursSinceLiquids: answers.hoursSinceLiquids } : {}),
    clinicFastingHours: {
      food: settings.foodFastingHours,
      liquids: settings.sessions.liquidsFastingHours ?? null,
    },
    rideHomeConfirmed: ride?.status === 'confirmed',
    escortName: ride?.status === 'confirmed' ? ride.escortName : null,
    noDrivingAcknowledged: acknowledged,
    ...(answers.pregnant !== null ? { pregnant: answers.pregnant } : {}),
    pregnancyTestRequired: settings.sessions.pregnancyTestRequired === true,
    ...(answers.pregnancyTestNegative !== null
      ? { pregnancyTestNegative: answers.pregnancyTestNegative }
      : {}),
    medicationChanges: answers.medicationChanges,
    currentMedications: medications,
    scores: { ...(phq9 ? { phq9 } : {}), ...(cssrs ? { cssrs } : {}) },
    suicideRiskAssessedToday: answers.suicideRiskAssessedToday,
    thresholds: settings.thresholds,
  };
  const gate = preDoseGate(gateInput);
  const sources: PreDoseChecklistSources = {
    baselineVitalsId: baseline?.row.id ?? null,
    baselineMoaasObservationId: moaas?.id ?? null,
    rideHomeId: ride?.id ?? null,
    noDrivingAcknowledgementId: acknowledgement?.id ?? null,
    scores: [
      ...(phq9 ? [{ instrument: 'phq9', respondedAt: phq9.respondedAt }] : []),
      ...(cssrs ? [{ instrument: 'cssrs-screener', respondedAt: cssrs.respondedAt }] : []),
    ],
    preparationNoteId: preparation?.noteId ?? null,
    preparationVersion: preparation?.version ?? null,
    intentions: (preparation?.content.intentions ?? []).map((i) => i.text),
  };
  await ctx.tx.insert(preDoseChecklist).values({
    id,
    clinicId: ctx.clinicId,
    sessionId,
    answers,
    gateInput,
    sources,
    blockers: gate.blockers,
    cautions: gate.cautions,
    recordedBy: ctx.actor.userId,
    recordedAt: now,
  });
  ctx.audit.record({
    action: 'session.checklist',
    resourceType: 'pre_dose_checklist',
    resourceId: id,
    patientId: session.patientId,
    detail: { sessionId, blockers: gate.blockers.length, cautions: gate.cautions.length },
  });
  if (gate.blockers.length === 0 && gate.cautions.length === 0)
    await transition(
      ctx,
      session,
      { kind: 'clear-to-dose', gate, overriddenCautions: [] },
      { clearedAt: now },
      { checklistId: id },
    );
  return { created: true, session: await loadSession(ctx, sessionId) };
}

/**
 * A prescriber overrides the cautions of the newest checklist run, with a rationale (the route has checked
 * their password). Every caution must be named; a blocker can never be overridden. Clears the session to dose.
 */
export async function overrideGate(ctx: ServiceContext, sessionId: string, input: GateOverrideInput) {
  const session = await lockSession(ctx, sessionId);
  const [retried] = await ctx.tx
    .select()
    .from(preDoseOverride)
    .where(and(eq(preDoseOverride.clinicId, ctx.clinicId), eq(preDoseOverride.id, input.id)));
  if (retried) {
    if (
      retried.sessionId !== sessionId ||
      retried.checklistId !== input.checklistId ||
      !sameJson(retried.cautions, input.cautions) ||
      retried.rationale !== input.rationale
    )
      throw new Conflict('A different override was already saved with this id: generate a new one.', [
        { path: 'id', message: 'Generate a new id.' },
      ]);
    return { created: false, session: await loadSession(ctx, sessionId) };
  }
  if (session.state !== 'checked-in')
    throw new Conflict(`A gate override is for a checked-in patient; this session is ${session.state}.`, [
      { path: 'state', message: 'Not the time for a gate override.' },
    ]);
  const [latest] = await ctx.tx
    .select()
    .from(preDoseChecklist)
    .where(and(eq(preDoseChecklist.clinicId, ctx.clinicId), eq(preDoseChecklist.sessionId, sessionId)))
    .orderBy(desc(preDoseChecklist.recordedAt), desc(preDoseChecklist.id))
    .limit(1);
  if (!latest || latest.id !== input.checklistId)
    throw new Invalid('Override the newest checklist run of this session.', [
      { path: 'checklistId', message: 'Not the newest checklist of the session.' },
    ]);
  const problems = input.cautions.flatMap((c, i) =>
    latest.blockers.includes(c)
      ? [{ path: `cautions.${i}`, message: 'A blocker cannot be overridden.' }]
      : latest.cautions.includes(c)
        ? []
        : [{ path: `cautions.${i}`, message: 'Not a caution of this checklist run.' }],
  );
  if (problems.length > 0)
    throw new Invalid('Only the cautions of the checklist can be overridden.', problems);
  if (latest.blockers.length > 0)
    throw new Conflict(
      'Blockers stand: they cannot be overridden. Resolve them and run the checklist again.',
      [...latest.blockers.map((b) => ({ path: 'state', message: b }))],
    );
  const missing = latest.cautions.filter((c) => !input.cautions.includes(c));
  if (missing.length > 0)
    throw new Invalid(
      'Override every caution of the checklist, or resolve it and run the checklist again.',
      missing.map((m) => ({ path: 'cautions', message: `Not overridden: ${m}` })),
    );
  const now = ctx.clock.now();
  await ctx.tx.insert(preDoseOverride).values({
    id: input.id,
    clinicId: ctx.clinicId,
    sessionId,
    checklistId: latest.id,
    cautions: [...new Set(input.cautions)],
    rationale: input.rationale,
    prescriberId: ctx.actor.userId,
    signedAt: now,
  });
  await transition(
    ctx,
    session,
    {
      kind: 'clear-to-dose',
      gate: { blockers: latest.blockers, cautions: latest.cautions },
      overriddenCautions: input.cautions,
    },
    { clearedAt: now },
    { checklistId: latest.id, overrideId: input.id },
    input.rationale,
  );
  return { created: true, session: await loadSession(ctx, sessionId) };
}

// ---- administration ----

/** A staff member of the clinic who may give or supervise a dose, found by their sign-in name. */
export async function findSecondSigner(ctx: ServiceContext, username: string) {
  const [account] = await ctx.tx
    .select({ id: userAccount.id, kind: userAccount.kind, disabledAt: userAccount.disabledAt })
    .from(userAccount)
    .where(
      and(eq(userAccount.clinicId, ctx.clinicId), sql`lower(${userAccount.email}) = lower(${username})`),
    );
  const refuse = (message: string) => new Invalid(message, [{ path: 'secondSigner.username', message }]);
  if (account?.kind !== 'staff' || account.disabledAt) throw refuse('No such staff member.');
  if (account.id === ctx.actor.userId) throw refuse('The second signer must be another staff member.');
  const roles = await ctx.tx
    .select({ role: roleAssignment.role })
    .from(roleAssignment)
    .where(and(eq(roleAssignment.clinicId, ctx.clinicId), eq(roleAssignment.userId, account.id)));
  if (!roles.some((r) => r.role === 'prescriber' || r.role === 'nurse'))
    throw refuse('The second signer must be a prescriber or a nurse.');
  return account.id;
}

/**
 * Gives a dose under the active plan: calculateDose with the clinic's limits checks it, the plan's maximum
 * bounds the session's total, esketamine devices keep 5 minutes apart, and the ledger's administration
 * entry is drawn in the same transaction (drawForAdministration). The second signer's password has been
 * checked by the route. Idempotent by the client's id.
 */
export async function administer(
  ctx: ServiceContext,
  sessionId: string,
  input: AdministrationInput & { secondSignerId: string | null },
) {
  const session = await lockSession(ctx, sessionId);
  const [retried] = await ctx.tx
    .select()
    .from(doseAdministration)
    .where(and(eq(doseAdministration.clinicId, ctx.clinicId), eq(doseAdministration.id, input.id)));
  if (retried) {
    const same =
      retried.sessionId === sessionId &&
      retried.lotId === input.lotId &&
      retried.doseMg === input.doseMg &&
      retried.startedAt.getTime() === new Date(input.startedAt).getTime();
    if (!same)
      throw new Conflict('A different dose was already recorded with this id: generate a new one.', [
        { path: 'id', message: 'Generate a new id.' },
      ]);
    return { created: false, session: await loadSession(ctx, sessionId) };
  }
  const step = sessionTransition(session.state, { kind: 'administer' });
  if (!step.allowed)
    throw new Conflict(
      step.reasons[0]!,
      step.reasons.map((message) => ({ path: 'state', message })),
    );

  const settings = await loadSessionSettings(ctx);
  if (settings.sessions.secondSignerRequired && !input.secondSignerId)
    throw new Invalid('The clinic requires a second signer for each dose.', [
      { path: 'secondSigner', message: 'A second staff member signs with their password.' },
    ]);
  // An IM or IV dose is recorded with where it went in (the muscle, the line).
  if ((session.route === 'im' || session.route === 'iv') && !input.site)
    throw new Invalid('Say where the dose was given.', [
      { path: 'site', message: session.route === 'im' ? 'The muscle (e.g. left deltoid).' : 'The IV site.' },
    ]);
  const startedAt = new Date(input.startedAt);
  notInFuture(ctx, startedAt, 'startedAt');
  let endedAt = input.endedAt ? new Date(input.endedAt) : null;
  // IV: infused over 40 minutes (clinical-reference 2.1) unless the nurse gives the end.
  if (session.route === 'iv' && !endedAt)
    endedAt = new Date(startedAt.getTime() + ivInfusionMinutes * 60_000);
  if (endedAt && endedAt.getTime() < startedAt.getTime())
    throw new Invalid('The dose cannot end before it starts.', [
      { path: 'endedAt', message: 'After the start.' },
    ]);
  if (session.clearedAt && startedAt.getTime() < session.clearedAt.getTime() - clockSkewMs)
    throw new Invalid('A dose cannot start before the session was cleared to dose.', [
      { path: 'startedAt', message: 'After the pre-dose checks.' },
    ]);

  const plan = await findActivePlan(ctx, session.patientId);
  if (!plan)
    throw new Conflict('The patient has no active treatment plan: no dose can be ordered.', [
      { path: 'state', message: 'No active plan.' },
    ]);
  if (plan.route !== session.route || plan.product !== session.product)
    throw new Conflict('The active plan orders another route or product than this session was booked for.', [
      { path: 'state', message: `The plan orders ${plan.product} ${plan.route}.` },
    ]);
  const previous = await ctx.tx
    .select()
    .from(doseAdministration)
    .where(and(eq(doseAdministration.clinicId, ctx.clinicId), eq(doseAdministration.sessionId, sessionId)))
    .orderBy(asc(doseAdministration.sequence));
  const last = previous.at(-1);
  if (last && startedAt.getTime() < last.startedAt.getTime())
    throw new Invalid('A further dose starts after the previous one.', [
      { path: 'startedAt', message: `After ${last.startedAt.toISOString()}.` },
    ]);
  if (session.product === 'esketamine' && last) {
    const earliest = last.startedAt.getTime() + esketamineDeviceIntervalMs * (last.devices ?? 1);
    if (startedAt.getTime() < earliest)
      throw new Invalid('SPRAVATO: wait 5 minutes after each device.', [
        { path: 'startedAt', message: `Not before ${new Date(earliest).toISOString()}.` },
      ]);
  }

  // In stock, in date, of the session's product and in a form its route uses (the ledger decides which).
  const lots = await listDispensableLots(ctx, { product: session.product, route: session.route });
  const lot = lots.find((l) => l.id === input.lotId);
  if (!lot)
    throw new Invalid('Not a lot that can be drawn for this session.', [
      {
        path: 'lotId',
        message: `Choose a ${session.product} lot in stock and in date, in a form for ${session.route}.`,
      },
    ]);
  const perUnit = lot.concentrationMgPerUnit;
  const quantity = Math.round((input.doseMg / perUnit) * 1000) / 1000;
  if (lot.unit !== 'mL' && !Number.isInteger(quantity))
    throw new Invalid(`The dose is not a whole number of ${lot.unit}s of ${perUnit} mg.`, [
      { path: 'doseMg', message: `A multiple of ${perUnit} mg.` },
    ]);

  const calculation = calculateDose(
    {
      product: session.product,
      route: session.route,
      doseMg: input.doseMg,
      ...(plan.doseLimits.weightKg !== null ? { weightKg: plan.doseLimits.weightKg } : {}),
      ...(lot.unit === 'mL' ? { concentrationMgPerMl: perUnit } : {}),
    },
    settings.dosingLimits,
  );
  if (calculation.level === 'blocked')
    throw new Invalid(calculation.messages.at(-1) ?? 'The dose is refused.', [
      { path: 'doseMg', message: calculation.messages.at(-1) ?? 'Refused by the dose check.' },
    ]);
  const givenMg = previous.reduce((sum, d) => sum + d.doseMg, 0);
  if (givenMg + input.doseMg > plan.doseLimits.maximumDoseMg + 1e-9)
    throw new Invalid(
      `The plan's maximum is ${plan.doseLimits.maximumDoseMg} mg this session; ${givenMg} mg given already.`,
      [
        {
          path: 'doseMg',
          message: `At most ${Math.max(0, plan.doseLimits.maximumDoseMg - givenMg)} mg more.`,
        },
      ],
    );

  const draw = await drawForAdministration(ctx, {
    lotId: lot.id,
    quantity,
    sessionId,
    administrationId: input.id,
    patientId: session.patientId,
    occurredAt: startedAt,
  });
  const now = ctx.clock.now();
  await ctx.tx.insert(doseAdministration).values({
    id: input.id,
    clinicId: ctx.clinicId,
    sessionId,
    patientId: session.patientId,
    sequence: previous.length + 1,
    product: session.product,
    route: session.route,
    site: input.site,
    lotId: lot.id,
    lotNumber: draw.lot.lotNumber,
    lotExpiry: draw.lot.expiresOn,
    concentration: draw.lot.concentrationMgPerUnit,
    concentrationUnit: `mg/${draw.lot.unit}`,
    doseMg: input.doseMg,
    volumeMl: lot.unit === 'mL' ? quantity : null,
    devices: session.product === 'esketamine' ? input.doseMg / esketamineDeviceMg : null,
    quantity,
    calculation,
    startedAt,
    endedAt,
    administeredBy: ctx.actor.userId,
    secondSignerId: input.secondSignerId,
    ledgerEntryId: draw.entryId,
    note: input.note,
    recordedAt: now,
  });
  ctx.audit.record({
    action: 'session.administration',
    resourceType: 'dose_administration',
    resourceId: input.id,
    patientId: session.patientId,
    detail: {
      sessionId,
      sequence: previous.length + 1,
      ledgerEntryId: draw.entryId,
      secondSigner: input.secondSignerId !== null,
    },
  });
  await transition(
    ctx,
    session,
    { kind: 'administer' },
    session.dosingStartedAt ? {} : { dosingStartedAt: startedAt },
    { administrationId: input.id, ledgerEntryId: draw.entryId },
  );
  // The first dose of a session makes it a dose given: the schedule counts it (end of course, follow-ups).
  if (!session.dosingStartedAt) await syncMeasureSchedule(ctx, session.patientId);
  return { created: true, session: await loadSession(ctx, sessionId) };
}

/** Dosing is complete (the injection given, the infusion ended, the last device used): observe. */
export async function startMonitoring(ctx: ServiceContext, sessionId: string) {
  const session = await lockSession(ctx, sessionId);
  await transition(ctx, session, { kind: 'start-monitoring' }, { monitoringStartedAt: ctx.clock.now() }, {});
  return loadSession(ctx, sessionId);
}

// ---- vitals and observations ----

const recordingStates: readonly SessionState[] = ['checked-in', 'cleared-to-dose', 'dosing', 'monitoring'];

function assertRecording(session: SessionRow) {
  if (!recordingStates.includes(session.state))
    throw new Conflict(`Nothing more is recorded in a session that is ${session.state}.`, [
      { path: 'state', message: 'The session has ended.' },
    ]);
}

/**
 * A reading during the session (vital_signs, context 'session'), classified by classifyVitals against the
 * pre-dose baseline and the clinic's thresholds. From the first dose on, a warning or critical reading raises
 * an alert in the same transaction, to be acknowledged with the action taken. Before the dose, readings feed
 * the pre-dose gate instead. Idempotent by the client's id.
 */
export async function recordSessionVitals(ctx: ServiceContext, sessionId: string, input: SessionVitalsInput) {
  const session = await lockSession(ctx, sessionId);
  const measuredAt = new Date(input.measuredAt);
  const [retried] = await ctx.tx
    .select()
    .from(vitalSigns)
    .where(and(eq(vitalSigns.clinicId, ctx.clinicId), eq(vitalSigns.id, input.id)));
  if (retried) {
    const same =
      retried.sessionId === sessionId &&
      retried.measuredAt.getTime() === measuredAt.getTime() &&
      retried.systolic === (input.systolic ?? null) &&
      retried.diastolic === (input.diastolic ?? null) &&
      retried.heartRate === (input.heartRate ?? null) &&
      retried.spo2 === (input.spo2 ?? null) &&
      retried.respiratoryRate === (input.respiratoryRate ?? null) &&
      retried.supersedesId === (input.supersedesId ?? null) &&
      retried.enteredInError === (input.enteredInError ?? false);
    if (!same)
      throw new Conflict('A different reading was already saved with this id: generate a new one.', [
        { path: 'id', message: 'Generate a new id.' },
      ]);
    return { created: false, session: await loadSession(ctx, sessionId) };
  }
  assertRecording(session);
  notInFuture(ctx, measuredAt, 'measuredAt');
  if (measuredAt.getTime() < session.checkedInAt.getTime() - 60 * 60_000)
    throw new Invalid('The reading is from before the patient arrived.', [
      { path: 'measuredAt', message: 'Use the time of this session’s reading.' },
    ]);
  if (input.supersedesId) {
    const readings = (await sessionReadings(ctx, [session.id])).get(session.id) ?? [];
    const target = readings.find((r) => r.row.id === input.supersedesId);
    if (!target || target.row.enteredInError)
      throw new Invalid('Correct a reading of this session.', [
        { path: 'supersedesId', message: 'Not a reading of this session.' },
      ]);
    if (target.status !== 'current')
      throw new Conflict('That reading was already corrected: correct the latest version instead.', [
        { path: 'supersedesId', message: 'Already corrected.' },
      ]);
  }
  const now = ctx.clock.now();
  const inserted = await ctx.tx
    .insert(vitalSigns)
    .values({
      id: input.id,
      clinicId: ctx.clinicId,
      patientId: session.patientId,
      context: 'session',
      sessionId,
      systolic: input.systolic ?? null,
      diastolic: input.diastolic ?? null,
      heartRate: input.heartRate ?? null,
      spo2: input.spo2 ?? null,
      respiratoryRate: input.respiratoryRate ?? null,
      measuredAt,
      recordedAt: now,
      recordedBy: ctx.actor.userId,
      note: input.note ?? null,
      supersedesId: input.supersedesId ?? null,
      enteredInError: input.enteredInError ?? false,
      correctionReason: input.correctionReason ?? null,
    })
    .onConflictDoNothing()
    .returning();
  const row = inserted[0];
  if (!row)
    throw new Conflict('This reading id is already used: generate a new one.', [
      { path: 'id', message: 'Generate a new id.' },
    ]);
  ctx.audit.record({
    action: input.supersedesId
      ? input.enteredInError
        ? 'session.vitals-entered-in-error'
        : 'session.vitals-correct'
      : 'session.vitals',
    resourceType: 'vital_signs',
    resourceId: row.id,
    patientId: session.patientId,
    detail: { sessionId, ...(input.supersedesId ? { supersedes: input.supersedesId } : {}) },
  });
  await recheckGate(ctx, session);
  if (
    !row.enteredInError &&
    session.dosingStartedAt &&
    (session.state === 'dosing' || session.state === 'monitoring')
  ) {
    const settings = await loadSessionSettings(ctx);
    const readings = (await sessionReadings(ctx, [sessionId])).get(sessionId) ?? [];
    const baseline = baselineReading(readings, session.dosingStartedAt);
    const classification = classifyReading(row, baseline?.row ?? null, settings.thresholds);
    if (classification && classification.level !== 'normal') {
      const minutes = Math.round((measuredAt.getTime() - session.dosingStartedAt.getTime()) / 60_000);
      await raiseAlert(ctx, {
        patientId: session.patientId,
        kind: sessionVitalsAlertKind,
        severity: classification.level === 'critical' ? 'critical' : 'high',
        summary: `${classification.level === 'critical' ? 'Critical' : 'Warning'} vital signs ${minutes} min into the dosing session: ${classification.reasons.join('; ')}.`,
        source: { type: vitalsSourceType, id: row.id },
      });
    }
  }
  return { created: true, session: await loadSession(ctx, sessionId) };
}

/**
 * After clearance and before the dose, a new baseline reading or MOAA/S goes back through preDoseGate with the
 * rest of the newest checklist run: anything the clearance did not cover (a blocker, or a caution the
 * prescriber did not override) sends the session back to the checks (clinical-reference 4.6).
 */
async function recheckGate(ctx: ServiceContext, session: SessionRow) {
  if (session.state !== 'cleared-to-dose') return;
  const [latest] = await ctx.tx
    .select()
    .from(preDoseChecklist)
    .where(and(eq(preDoseChecklist.clinicId, ctx.clinicId), eq(preDoseChecklist.sessionId, session.id)))
    .orderBy(desc(preDoseChecklist.recordedAt), desc(preDoseChecklist.id))
    .limit(1);
  if (!latest) return;
  const [override] = await ctx.tx
    .select()
    .from(preDoseOverride)
    .where(and(eq(preDoseOverride.clinicId, ctx.clinicId), eq(preDoseOverride.checklistId, latest.id)));
  const readings = (await sessionReadings(ctx, [session.id])).get(session.id) ?? [];
  const baseline = baselineReading(readings, null);
  const observations = await ctx.tx
    .select()
    .from(sessionObservation)
    .where(and(eq(sessionObservation.clinicId, ctx.clinicId), eq(sessionObservation.sessionId, session.id)))
    .orderBy(asc(sessionObservation.observedAt), asc(sessionObservation.recordedAt));
  const moaas = baselineMoaasOf(observations, null);
  const { baselineVitals: _vitals, baselineMoaas: _moaas, ...rest } = latest.gateInput;
  const gate = preDoseGate({
    ...rest,
    ...(baseline ? { baselineVitals: toVitals(baseline.row) } : {}),
    ...(moaas?.moaas != null ? { baselineMoaas: moaas.moaas } : {}),
  });
  const covered = new Set(override?.cautions ?? []);
  const reasons = [...gate.blockers, ...gate.cautions.filter((c) => !covered.has(c))];
  if (reasons.length === 0) return;
  await transition(
    ctx,
    session,
    { kind: 'reopen-checks', reasons },
    { clearedAt: null },
    { checklistId: latest.id, reasons },
    reasons.join(' '),
  );
}

/** Sedation (MOAA/S), dissociation (CADSS-6, scored by @kapstone/clinical) or side effects. Idempotent. */
export async function recordObservation(ctx: ServiceContext, sessionId: string, input: ObservationInput) {
  const session = await lockSession(ctx, sessionId);
  const observedAt = new Date(input.observedAt);
  const cadss6 = input.cadss6 ? scoreInstrument('cadss6', input.cadss6) : null;
  const values = {
    kind: input.kind,
    moaas: input.moaas ?? null,
    cadss6Answers: input.cadss6 ?? null,
    cadss6Total: cadss6?.total ?? null,
    sideEffects: input.sideEffects ?? null,
  };
  const [retried] = await ctx.tx
    .select()
    .from(sessionObservation)
    .where(and(eq(sessionObservation.clinicId, ctx.clinicId), eq(sessionObservation.id, input.id)));
  if (retried) {
    const same =
      retried.sessionId === sessionId &&
      retried.observedAt.getTime() === observedAt.getTime() &&
      retried.kind === values.kind &&
      retried.moaas === values.moaas &&
      sameJson(retried.cadss6Answers, values.cadss6Answers) &&
      sameJson(retried.sideEffects, values.sideEffects);
    if (!same)
      throw new Conflict('A different observation was already saved with this id: generate a new one.', [
        { path: 'id', message: 'Generate a new id.' },
      ]);
    return { created: false, session: await loadSession(ctx, sessionId) };
  }
  assertRecording(session);
  notInFuture(ctx, observedAt, 'observedAt');
  const inserted = await ctx.tx
    .insert(sessionObservation)
    .values({
      id: input.id,
      clinicId: ctx.clinicId,
      sessionId,
      patientId: session.patientId,
      ...values,
      note: input.note ?? null,
      observedAt,
      recordedBy: ctx.actor.userId,
      recordedAt: ctx.clock.now(),
    })
    .onConflictDoNothing()
    .returning({ id: sessionObservation.id });
  if (inserted.length === 0)
    throw new Conflict('This observation id is already used: generate a new one.', [
      { path: 'id', message: 'Generate a new id.' },
    ]);
  ctx.audit.record({
    action: 'session.observation',
    resourceType: 'session_observation',
    resourceId: input.id,
    patientId: session.patientId,
    detail: { sessionId, kind: input.kind },
  });
  if (input.kind === 'moaas') await recheckGate(ctx, session);
  return { created: true, session: await loadSession(ctx, sessionId) };
}

/** Acknowledges an alert raised by this session's readings, with the action taken. */
export async function acknowledgeSessionAlert(
  ctx: ServiceContext,
  sessionId: string,
  alertId: string,
  action: string,
) {
  const session = await lockSession(ctx, sessionId);
  const view = await loadSession(ctx, session.id);
  if (!view.alerts.some((a) => a.id === alertId))
    throw new Conflict('This alert was not raised by a reading of this session.', [
      { path: 'alertId', message: 'Acknowledge it from the alerts list.' },
    ]);
  await acknowledgeAlert(ctx, alertId, action);
  return loadSession(ctx, sessionId);
}

// ---- discharge and abort ----

/** dischargeReadiness now, with the escort's presence as the caller states it. */
async function currentReadiness(ctx: ServiceContext, session: SessionRow, escortPresent: boolean) {
  const settings = await loadSessionSettings(ctx);
  const readings = (await sessionReadings(ctx, [session.id])).get(session.id) ?? [];
  const observations = await ctx.tx
    .select()
    .from(sessionObservation)
    .where(and(eq(sessionObservation.clinicId, ctx.clinicId), eq(sessionObservation.sessionId, session.id)))
    .orderBy(asc(sessionObservation.observedAt), asc(sessionObservation.recordedAt));
  const baseline = baselineReading(readings, session.dosingStartedAt);
  return readinessOf(settings, {
    route: session.route,
    product: session.product,
    doseStartedAt: session.dosingStartedAt,
    now: ctx.clock.now(),
    baseline: baseline?.row ?? null,
    readings,
    observations,
    baselineMoaas: baselineMoaasOf(observations, session.dosingStartedAt)?.moaas ?? null,
    escortPresent,
  });
}

export async function getDischargeReadiness(ctx: ServiceContext, sessionId: string, escortPresent: boolean) {
  const session = await lockSession(ctx, sessionId);
  const readiness = await currentReadiness(ctx, session, escortPresent);
  ctx.audit.record({
    action: 'session.discharge-readiness',
    resourceType: 'dosing_session',
    resourceId: sessionId,
    patientId: session.patientId,
  });
  return {
    ready: readiness.ready,
    unmet: readiness.unmet,
    minutesSinceDoseStart: session.dosingStartedAt ? readiness.input.minutesSinceDoseStart : null,
  };
}

/**
 * Discharges the patient: dischargeReadiness is computed now and kept with the record. With a criterion
 * unmet, only a prescriber may discharge, with a rationale (the route has checked their password).
 */
export async function discharge(ctx: ServiceContext, sessionId: string, input: DischargeInput) {
  const session = await lockSession(ctx, sessionId);
  const [retried] = await ctx.tx
    .select()
    .from(sessionDischarge)
    .where(and(eq(sessionDischarge.clinicId, ctx.clinicId), eq(sessionDischarge.sessionId, sessionId)));
  if (retried) {
    if (retried.id !== input.id)
      throw new Conflict('The patient was already discharged.', [{ path: 'state', message: 'Discharged.' }]);
    return { created: false, session: await loadSession(ctx, sessionId) };
  }
  const readiness = await currentReadiness(ctx, session, input.escortPresent);
  if (!readiness.ready && input.override && !hasPermission(ctx.actor, 'session.override'))
    throw new Forbidden('Only a prescriber may discharge against an unmet criterion.');
  const step = sessionTransition(session.state, {
    kind: 'discharge',
    readiness,
    overrideRationale: input.override?.rationale ?? null,
  });
  if (!step.allowed)
    throw new Conflict(
      step.reasons[0]!,
      step.reasons.map((message) => ({ path: 'override', message })),
    );
  const ride = (await latestRideHome(ctx, [session.appointmentId])).get(session.appointmentId);
  const now = ctx.clock.now();
  const overridden = !readiness.ready;
  await ctx.tx.insert(sessionDischarge).values({
    id: input.id,
    clinicId: ctx.clinicId,
    sessionId,
    readinessInput: readiness.input,
    ready: readiness.ready,
    unmet: readiness.unmet,
    overrideRationale: overridden ? (input.override?.rationale ?? null) : null,
    overriddenBy: overridden ? ctx.actor.userId : null,
    escortName: input.escortPresent && ride?.status === 'confirmed' ? ride.escortName : null,
    instructionsGiven: input.instructionsGiven,
    note: input.note,
    dischargedBy: ctx.actor.userId,
    dischargedAt: now,
  });
  await transition(
    ctx,
    session,
    { kind: 'discharge', readiness, overrideRationale: input.override?.rationale ?? null },
    { endedAt: now },
    { dischargeId: input.id, overridden },
    overridden ? (input.override?.rationale ?? null) : null,
  );
  return { created: true, session: await loadSession(ctx, sessionId) };
}

/** Stops the session early, with the reason. A session never checked in is cancelled in scheduling instead. */
export async function abortSession(ctx: ServiceContext, sessionId: string, reason: string) {
  const session = await lockSession(ctx, sessionId);
  await transition(
    ctx,
    session,
    { kind: 'abort', reason },
    { endedAt: ctx.clock.now(), abortReason: reason },
    {},
    reason,
  );
  // Stopped before any dose: the doses after it are renumbered.
  if (!session.dosingStartedAt) await syncMeasureSchedule(ctx, session.patientId);
  return loadSession(ctx, sessionId);
}

// ---- lists ----

/** The patient's sessions (checked in at least), newest first. */
export async function listPatientSessions(ctx: ServiceContext, patientId: string) {
  await requireClinicalAccess(ctx, patientId);
  const rows = await ctx.tx
    .select({ id: dosingSession.id })
    .from(dosingSession)
    .where(and(eq(dosingSession.clinicId, ctx.clinicId), eq(dosingSession.patientId, patientId)))
    .orderBy(desc(dosingSession.checkedInAt))
    .limit(100);
  const items = await loadSessions(
    ctx,
    rows.map((r) => r.id),
    { audit: false },
  );
  ctx.audit.record({
    action: 'session.list',
    resourceType: 'dosing_session',
    patientId,
    detail: { count: items.length },
  });
  return { items };
}

const severityRank = { critical: 0, high: 1, moderate: 2, low: 3 } as const;

/**
 * The nurse's board: the clinic's dosing appointments of the day (in its time zone) that have not ended,
 * for the patients the caller may open, with elapsed time, the next reading due, the latest vitals and open
 * alerts. One audit event for the board.
 */
export async function sessionBoard(ctx: ServiceContext, date?: string) {
  const settings = await loadSessionSettings(ctx);
  const now = ctx.clock.now();
  const today = localParts(now, settings.timeZone).date;
  const day = date ?? today;
  // Today's board also carries every session still under way from an earlier day (a patient checked in
  // before midnight is still in the chair after it): no one in an altered state drops off the board.
  const carryOver = day === today;
  const appointments = await ctx.tx
    .select({ id: appointment.id, startsAt: appointment.startsAt, state: dosingSession.state })
    .from(appointment)
    .leftJoin(
      dosingSession,
      and(eq(dosingSession.clinicId, appointment.clinicId), eq(dosingSession.appointmentId, appointment.id)),
    )
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        eq(appointment.kind, 'dosing'),
        or(
          and(
            // The day in the clinic's zone: a day's window padded by 14 hours either side, then filtered.
            sql`${appointment.startsAt} >= (${day}::date - interval '14 hours')`,
            sql`${appointment.startsAt} < (${day}::date + interval '38 hours')`,
            sql`(${dosingSession.state} IS NULL OR ${dosingSession.state} NOT IN ('discharged', 'aborted'))`,
          ),
          carryOver
            ? inArray(dosingSession.state, ['checked-in', 'cleared-to-dose', 'dosing', 'monitoring'])
            : sql`false`,
        ),
      ),
    )
    .orderBy(asc(appointment.startsAt));
  const ofDay = appointments.filter(
    (a) =>
      localParts(a.startsAt, settings.timeZone).date === day ||
      (carryOver && a.state !== null && a.state !== 'discharged' && a.state !== 'aborted'),
  );
  const views = await loadSessions(
    ctx,
    ofDay.map((a) => a.id),
    { skipInaccessible: true, audit: false },
  );
  ctx.audit.record({
    action: 'session.board',
    resourceType: 'dosing_session',
    // One event per board read (it refreshes often); the sessions shown are named by id, never by patient.
    detail: { day, count: views.length, sessions: views.map((v) => v.id) },
  });
  return {
    date: day,
    items: views.map((v) => {
      const open = v.alerts.filter((a) => a.status === 'open');
      const since = v.doseStartedAt ?? v.checkedInAt;
      const current = v.vitals.filter((r) => r.status === 'current');
      return {
        id: v.id,
        state: v.state,
        patient: v.patient,
        roomName: v.appointment.roomName,
        route: v.route,
        product: v.product,
        startsAt: v.appointment.startsAt,
        checkedInAt: v.checkedInAt,
        doseStartedAt: v.doseStartedAt,
        elapsedMinutes: since ? Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 60_000)) : null,
        nextReadingDue: v.nextReadingDue,
        latestVitals: current.at(-1) ?? null,
        openAlerts: open.length,
        worstAlert: open.length
          ? open.reduce(
              (worst, a) => (severityRank[a.severity] < severityRank[worst] ? a.severity : worst),
              open[0]!.severity,
            )
          : null,
      };
    }),
  };
}

// ---- clinic settings ----

export async function getSessionSettings(ctx: ServiceContext) {
  const settings = await loadSessionSettings(ctx);
  return {
    settings: settings.sessions,
    thresholds: settings.thresholds,
    foodFastingHours: settings.foodFastingHours,
  };
}

/** Replaces the clinic's session settings (admins); audited with the keys set, not the values. */
export async function updateSessionSettings(ctx: ServiceContext, values: ClinicSessionSettings) {
  await ctx.tx
    .update(clinic)
    .set({ settings: sql`jsonb_set(${clinic.settings}, '{sessions}', ${JSON.stringify(values)}::jsonb)` })
    .where(eq(clinic.id, ctx.clinicId));
  ctx.audit.record({
    action: 'session-settings.update',
    resourceType: 'clinic',
    resourceId: ctx.clinicId,
    detail: { keys: Object.keys(values) },
  });
  return getSessionSettings(ctx);
}
