import {
  allowedSessionEvents,
  calculateDose,
  classifyVitals,
  dischargeReadiness,
  dissociationRatingDue,
  nextReadingDue,
  type Product,
  type Route,
  type SessionEventKind,
  type SessionState,
  type Vitals,
} from '@kapstone/clinical';
import { and, asc, desc, eq, inArray, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ServiceContext } from '../../context.ts';
import {
  alert,
  appointment,
  doseAdministration,
  dosingSession,
  dosingSessionEvent,
  patient,
  preDoseChecklist,
  preDoseOverride,
  room,
  sessionDischarge,
  sessionObservation,
  userAccount,
  vitalSigns,
} from '../../db/schema/index.ts';
import { NotFound } from '../../errors.ts';
import { hasPermission, type Permission } from '../../security/permissions.ts';
import { findActivePlan } from '../plans/plans.service.ts';
import { findLatestPreparation } from '../preparation/preparation.service.ts';
import { acknowledgedAppointments, latestRideHome } from '../scheduling/pre-check-in.service.ts';
import { requireClinicalAccess } from '../screening/vitals.service.ts';
import { sessionsAdverseEvents } from '../session-safety/adverse-events.service.ts';
import type { SessionView } from './sessions.schemas.ts';
import {
  ivInfusionMinutes,
  loadSessionSettings,
  planFor,
  type SessionSettings,
} from './sessions.settings.ts';

export type SessionRow = typeof dosingSession.$inferSelect;
type VitalsRow = typeof vitalSigns.$inferSelect;
type ObservationRow = typeof sessionObservation.$inferSelect;

/**
 * Runs queries of one transaction one after another (a pg client must not overlap queries), keeping the
 * types of a Promise.all over them.
 */
async function oneAfterAnother<const T extends readonly (() => unknown)[]>(
  steps: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const step of steps) results.push(await step());
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

/** The permission each lifecycle step needs (the routes name the same). */
const eventPermission: Record<SessionEventKind, Permission> = {
  'check-in': 'session.check-in',
  'clear-to-dose': 'session.monitor',
  'reopen-checks': 'session.monitor',
  administer: 'session.administer',
  'start-monitoring': 'session.monitor',
  discharge: 'session.discharge',
  abort: 'session.monitor',
};

/** The alert kind and source type of a session reading's alert. */
export const sessionVitalsAlertKind = 'session-vitals';
export const vitalsSourceType = 'vital-signs';

const minutesBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 60_000;
const round1 = (value: number) => Math.round(value * 10) / 10;

export const toVitals = (row: {
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  spo2: number | null;
  respiratoryRate: number | null;
}): Vitals => {
  const vitals: Vitals = {};
  if (row.systolic !== null) vitals.systolic = row.systolic;
  if (row.diastolic !== null) vitals.diastolic = row.diastolic;
  if (row.heartRate !== null) vitals.heartRate = row.heartRate;
  if (row.spo2 !== null) vitals.spo2 = row.spo2;
  if (row.respiratoryRate !== null) vitals.respiratoryRate = row.respiratoryRate;
  return vitals;
};

/** A session reading with its place in the correction chain. */
export interface SessionReading {
  row: VitalsRow;
  status: 'current' | 'superseded' | 'entered-in-error' | 'retraction';
}

/** Readings of the sessions, oldest first, each with its correction status. */
export async function sessionReadings(
  ctx: ServiceContext,
  sessionIds: string[],
): Promise<Map<string, SessionReading[]>> {
  const out = new Map<string, SessionReading[]>();
  if (sessionIds.length === 0) return out;
  const later = alias(vitalSigns, 'later');
  const rows = await ctx.tx
    .select({ row: vitalSigns, laterId: later.id, laterError: later.enteredInError })
    .from(vitalSigns)
    .leftJoin(later, and(eq(later.clinicId, vitalSigns.clinicId), eq(later.supersedesId, vitalSigns.id)))
    .where(and(eq(vitalSigns.clinicId, ctx.clinicId), inArray(vitalSigns.sessionId, sessionIds)))
    .orderBy(asc(vitalSigns.measuredAt), asc(vitalSigns.recordedAt), asc(vitalSigns.id));
  for (const { row, laterId, laterError } of rows) {
    const status: SessionReading['status'] = row.enteredInError
      ? 'retraction'
      : laterId
        ? laterError
          ? 'entered-in-error'
          : 'superseded'
        : 'current';
    const list = out.get(row.sessionId!) ?? [];
    list.push({ row, status });
    out.set(row.sessionId!, list);
  }
  return out;
}

/**
 * The pre-dose baseline: the latest current reading with a blood pressure taken before the first dose (or
 * before now, while no dose has started).
 */
export function baselineReading(readings: SessionReading[], doseStartedAt: Date | null) {
  const before = readings.filter(
    (r) =>
      r.status === 'current' &&
      r.row.systolic !== null &&
      (doseStartedAt === null || r.row.measuredAt.getTime() <= doseStartedAt.getTime()),
  );
  return before.at(-1) ?? null;
}

/** The latest MOAA/S taken before the first dose (or before now, while none has started). */
export function baselineMoaasOf(observations: ObservationRow[], doseStartedAt: Date | null) {
  const before = observations.filter(
    (o) =>
      o.kind === 'moaas' && (doseStartedAt === null || o.observedAt.getTime() <= doseStartedAt.getTime()),
  );
  return before.at(-1) ?? null;
}

/** classifyVitals for one reading: pre-dose readings alone, later readings against the baseline too. */
export function classifyReading(
  reading: VitalsRow,
  baseline: VitalsRow | null,
  thresholds: SessionSettings['thresholds'],
) {
  const vitals = toVitals(reading);
  if (Object.keys(vitals).length === 0) return null;
  const against = baseline && baseline.id !== reading.id ? toVitals(baseline) : undefined;
  return classifyVitals(vitals, against, thresholds);
}

const displayName = (p: { preferredName: string | null; givenName: string; familyName: string }) =>
  `${p.preferredName ?? p.givenName} ${p.familyName}`;

interface LoadOptions {
  /** Skip the sessions the caller may not open (the board) instead of answering 404. */
  skipInaccessible?: boolean;
  audit?: boolean;
}

/** One session as the console shows it; 404 when it is not a dosing appointment the caller may open. */
export async function loadSession(ctx: ServiceContext, sessionId: string): Promise<SessionView> {
  const [view] = await loadSessions(ctx, [sessionId]);
  if (!view) throw new NotFound('Session');
  return view;
}

/**
 * Sessions by id (a session's id is its dosing appointment's id), in the order asked. A dosing appointment
 * not yet checked in is a session in state 'scheduled'. Every chart is checked (clinical level); a read is
 * audited per session.
 */
export async function loadSessions(
  ctx: ServiceContext,
  sessionIds: string[],
  options: LoadOptions = {},
): Promise<SessionView[]> {
  const ids = [...new Set(sessionIds)];
  if (ids.length === 0) return [];
  // Usually a session's id is its appointment's id (check-in creates it so); either id finds it.
  const sessionRows = await ctx.tx
    .select()
    .from(dosingSession)
    .where(
      and(
        eq(dosingSession.clinicId, ctx.clinicId),
        or(inArray(dosingSession.id, ids), inArray(dosingSession.appointmentId, ids)),
      ),
    );
  const sessionByAppointment = new Map(sessionRows.map((s) => [s.appointmentId, s]));
  const appointmentIds = [...new Set([...ids, ...sessionRows.map((s) => s.appointmentId)])];
  const appointments = await ctx.tx
    .select({
      appointment,
      roomName: room.name,
      givenName: patient.givenName,
      familyName: patient.familyName,
      preferredName: patient.preferredName,
      mrn: patient.mrn,
    })
    .from(appointment)
    .innerJoin(
      patient,
      and(eq(patient.clinicId, appointment.clinicId), eq(patient.id, appointment.patientId)),
    )
    .leftJoin(room, and(eq(room.clinicId, appointment.clinicId), eq(room.id, appointment.roomId)))
    .where(
      and(
        eq(appointment.clinicId, ctx.clinicId),
        inArray(appointment.id, appointmentIds),
        eq(appointment.kind, 'dosing'),
      ),
    );

  // Chart access, once per patient.
  const access = new Map<string, { breakGlass: boolean } | null>();
  for (const a of appointments) {
    const patientId = a.appointment.patientId;
    if (access.has(patientId)) continue;
    try {
      const granted = await requireClinicalAccess(ctx, patientId);
      access.set(patientId, { breakGlass: granted.breakGlass });
    } catch (error) {
      if (!(error instanceof NotFound) || !options.skipInaccessible) throw error;
      access.set(patientId, null);
    }
  }
  const visible = appointments.filter(
    (a) =>
      access.get(a.appointment.patientId) &&
      // A cancelled appointment that never became a session is no session at all.
      (a.appointment.status !== 'cancelled' || sessionByAppointment.has(a.appointment.id)),
  );
  if (visible.length === 0) return [];
  const visibleIds = visible.map((a) => a.appointment.id);
  const startedIds = visibleIds.flatMap((id) => {
    const session = sessionByAppointment.get(id);
    return session ? [session.id] : [];
  });

  const settings = await loadSessionSettings(ctx);
  const now = ctx.clock.now();

  const [checklists, overrides, administrations, readings, observations, discharges, events] =
    await oneAfterAnother([
      () =>
        startedIds.length
          ? ctx.tx
              .select()
              .from(preDoseChecklist)
              .where(
                and(
                  eq(preDoseChecklist.clinicId, ctx.clinicId),
                  inArray(preDoseChecklist.sessionId, startedIds),
                ),
              )
              .orderBy(desc(preDoseChecklist.recordedAt), desc(preDoseChecklist.id))
          : [],
      () =>
        startedIds.length
          ? ctx.tx
              .select()
              .from(preDoseOverride)
              .where(
                and(
                  eq(preDoseOverride.clinicId, ctx.clinicId),
                  inArray(preDoseOverride.sessionId, startedIds),
                ),
              )
          : [],
      () =>
        startedIds.length
          ? ctx.tx
              .select()
              .from(doseAdministration)
              .where(
                and(
                  eq(doseAdministration.clinicId, ctx.clinicId),
                  inArray(doseAdministration.sessionId, startedIds),
                ),
              )
              .orderBy(asc(doseAdministration.sequence))
          : [],
      () => sessionReadings(ctx, startedIds),
      () =>
        startedIds.length
          ? ctx.tx
              .select()
              .from(sessionObservation)
              .where(
                and(
                  eq(sessionObservation.clinicId, ctx.clinicId),
                  inArray(sessionObservation.sessionId, startedIds),
                ),
              )
              .orderBy(asc(sessionObservation.observedAt), asc(sessionObservation.recordedAt))
          : [],
      () =>
        startedIds.length
          ? ctx.tx
              .select()
              .from(sessionDischarge)
              .where(
                and(
                  eq(sessionDischarge.clinicId, ctx.clinicId),
                  inArray(sessionDischarge.sessionId, startedIds),
                ),
              )
          : [],
      () =>
        startedIds.length
          ? ctx.tx
              .select()
              .from(dosingSessionEvent)
              .where(
                and(
                  eq(dosingSessionEvent.clinicId, ctx.clinicId),
                  inArray(dosingSessionEvent.sessionId, startedIds),
                ),
              )
              .orderBy(asc(dosingSessionEvent.occurredAt), asc(dosingSessionEvent.id))
          : [],
    ]);
  const readingIds = [...readings.values()].flat().map((r) => r.row.id);
  const alerts = readingIds.length
    ? await ctx.tx
        .select()
        .from(alert)
        .where(
          and(
            eq(alert.clinicId, ctx.clinicId),
            eq(alert.sourceType, vitalsSourceType),
            eq(alert.kind, sessionVitalsAlertKind),
            inArray(alert.sourceId, readingIds),
          ),
        )
    : [];

  const userIds = new Set<string>();
  for (const s of sessionRows) userIds.add(s.checkedInBy);
  for (const c of checklists) userIds.add(c.recordedBy);
  for (const o of overrides) userIds.add(o.prescriberId);
  for (const a of administrations) {
    userIds.add(a.administeredBy);
    if (a.secondSignerId) userIds.add(a.secondSignerId);
  }
  for (const list of readings.values()) for (const r of list) userIds.add(r.row.recordedBy);
  for (const o of observations) userIds.add(o.recordedBy);
  for (const d of discharges) {
    userIds.add(d.dischargedBy);
    if (d.overriddenBy) userIds.add(d.overriddenBy);
  }
  for (const e of events) userIds.add(e.actorId);
  for (const a of alerts) if (a.acknowledgedBy) userIds.add(a.acknowledgedBy);
  const names = new Map<string, string>();
  if (userIds.size > 0) {
    const users = await ctx.tx
      .select({ id: userAccount.id, displayName: userAccount.displayName })
      .from(userAccount)
      .where(and(eq(userAccount.clinicId, ctx.clinicId), inArray(userAccount.id, [...userIds])));
    for (const u of users) names.set(u.id, u.displayName);
  }
  const who = (id: string) => ({ id, displayName: names.get(id) ?? '' });

  const adverseEvents = await sessionsAdverseEvents(ctx, startedIds);
  const rides = await latestRideHome(ctx, visibleIds);
  const acknowledged = await acknowledgedAppointments(ctx, visibleIds);
  const patientIds = [...new Set(visible.map((a) => a.appointment.patientId))];
  const plans = new Map<string, Awaited<ReturnType<typeof findActivePlan>>>();
  const preparations = new Map<string, Awaited<ReturnType<typeof findLatestPreparation>>>();
  for (const patientId of patientIds) {
    plans.set(patientId, await findActivePlan(ctx, patientId));
    preparations.set(patientId, await findLatestPreparation(ctx, patientId));
  }

  const views = new Map<string, SessionView>();
  for (const a of visible) {
    const appt = a.appointment;
    const session = sessionByAppointment.get(appt.id) ?? null;
    const route = (session?.route ?? appt.route ?? 'im') as Route;
    const product = (session?.product ?? appt.product ?? 'ketamine-racemic') as Product;
    const state: SessionState = session?.state ?? 'scheduled';
    const doseStartedAt = session?.dosingStartedAt ?? null;
    const sessionReadingsList = session ? (readings.get(session.id) ?? []) : [];
    const sessionObservations = session ? observations.filter((o) => o.sessionId === session.id) : [];
    const sessionAdministrations = session ? administrations.filter((d) => d.sessionId === session.id) : [];
    const baseline = baselineReading(sessionReadingsList, doseStartedAt);
    const baselineMoaas = baselineMoaasOf(sessionObservations, doseStartedAt);
    const alertBySource = new Map(alerts.map((al) => [al.sourceId, al]));
    const minutesFrom = (at: Date) => (doseStartedAt ? round1(minutesBetween(doseStartedAt, at)) : null);

    const vitals = sessionReadingsList.map(({ row, status }) => ({
      id: row.id,
      measuredAt: row.measuredAt.toISOString(),
      recordedAt: row.recordedAt.toISOString(),
      systolic: row.systolic,
      diastolic: row.diastolic,
      heartRate: row.heartRate,
      spo2: row.spo2,
      respiratoryRate: row.respiratoryRate,
      minutesFromDoseStart: minutesFrom(row.measuredAt),
      baseline: baseline?.row.id === row.id,
      status,
      supersedesId: row.supersedesId,
      correctionReason: row.correctionReason,
      classification:
        status === 'current' ? classifyReading(row, baseline?.row ?? null, settings.thresholds) : null,
      recordedBy: who(row.recordedBy),
      note: row.note,
      alertId: alertBySource.get(row.id)?.id ?? null,
    }));

    const observationViews = sessionObservations.map((o) => ({
      id: o.id,
      kind: o.kind,
      observedAt: o.observedAt.toISOString(),
      minutesFromDoseStart: minutesFrom(o.observedAt),
      moaas: o.moaas,
      cadss6:
        o.kind === 'cadss6' && o.cadss6Answers && o.cadss6Total !== null
          ? { answers: o.cadss6Answers, total: o.cadss6Total }
          : null,
      sideEffects: o.sideEffects ?? [],
      note: o.note,
      recordedBy: who(o.recordedBy),
      recordedAt: o.recordedAt.toISOString(),
    }));

    const plan = plans.get(appt.patientId) ?? null;
    const givenMg = sessionAdministrations.reduce((sum, d) => sum + d.doseMg, 0);
    const planOrder = plan
      ? {
          planId: plan.id,
          route: plan.route,
          product: plan.product,
          dose: { value: plan.doseLimits.startingDose, unit: plan.doseLimits.unit },
          maximumDose: { value: plan.doseLimits.maximumDose, unit: plan.doseLimits.unit },
          weightKg: plan.doseLimits.weightKg,
          startingDoseMg: plan.doseLimits.startingDoseMg,
          maximumDoseMg: plan.doseLimits.maximumDoseMg,
          calculation: calculateDose(
            {
              route: plan.route,
              product: plan.product,
              ...(plan.doseLimits.weightKg !== null ? { weightKg: plan.doseLimits.weightKg } : {}),
              ...(plan.doseLimits.unit === 'mg/kg'
                ? { mgPerKg: plan.doseLimits.startingDose }
                : { doseMg: plan.doseLimits.startingDose }),
            },
            settings.dosingLimits,
          ),
          secondSignerRequired: settings.sessions.secondSignerRequired === true,
          infusionMinutes: plan.route === 'iv' ? ivInfusionMinutes : null,
          givenMg: round1(givenMg),
          remainingMg: Math.max(0, round1(plan.doseLimits.maximumDoseMg - givenMg)),
        }
      : null;

    const sessionChecklists = session ? checklists.filter((c) => c.sessionId === session.id) : [];
    const latestChecklist = sessionChecklists[0] ?? null;
    const override = latestChecklist
      ? overrides.find((o) => o.checklistId === latestChecklist.id)
      : undefined;
    const checklist = latestChecklist
      ? {
          id: latestChecklist.id,
          recordedAt: latestChecklist.recordedAt.toISOString(),
          recordedBy: who(latestChecklist.recordedBy),
          answers: latestChecklist.answers,
          blockers: latestChecklist.blockers,
          cautions: latestChecklist.cautions,
          proceed: latestChecklist.blockers.length === 0,
          sources: latestChecklist.sources,
          override: override
            ? {
                id: override.id,
                cautions: override.cautions,
                rationale: override.rationale,
                prescriber: who(override.prescriberId),
                signedAt: override.signedAt.toISOString(),
              }
            : null,
        }
      : null;

    const observationPlan = planFor(settings, route, product);
    let next: SessionView['nextReadingDue'] = null;
    if (doseStartedAt && (state === 'dosing' || state === 'monitoring')) {
      const taken = sessionReadingsList
        .filter((r) => r.status === 'current')
        .map((r) => minutesBetween(doseStartedAt, r.row.measuredAt));
      const due = nextReadingDue(observationPlan, taken, minutesBetween(doseStartedAt, now));
      next = {
        dueAt:
          due.dueAtMinutes === null
            ? null
            : new Date(doseStartedAt.getTime() + due.dueAtMinutes * 60_000).toISOString(),
        overdue: due.overdue,
      };
    }

    let cadssDue: SessionView['dissociationRatingDue'] = null;
    if (doseStartedAt && (state === 'dosing' || state === 'monitoring')) {
      const due = dissociationRatingDue(
        minutesBetween(doseStartedAt, now),
        sessionObservations
          .filter((o) => o.kind === 'cadss6')
          .map((o) => minutesBetween(doseStartedAt, o.observedAt)),
      );
      if (due.dueAtMinutes !== null)
        cadssDue = {
          dueAt: new Date(doseStartedAt.getTime() + due.dueAtMinutes * 60_000).toISOString(),
          overdue: due.overdue,
        };
    }
    const ride = rides.get(appt.id);
    const escort = ride?.status === 'confirmed' ? { name: ride.escortName, phone: ride.escortPhone } : null;
    const discharge = session ? discharges.find((d) => d.sessionId === session.id) : undefined;
    const readiness =
      session && state === 'monitoring'
        ? readinessOf(settings, {
            route,
            product,
            doseStartedAt,
            now,
            baseline: baseline?.row ?? null,
            readings: sessionReadingsList,
            observations: sessionObservations,
            baselineMoaas: baselineMoaas?.moaas ?? null,
            escortPresent: Boolean(escort && latestChecklist?.answers.escortPresent),
          })
        : null;

    const sessionAlerts = alerts
      .filter((al) => vitals.some((v) => v.id === al.sourceId))
      .sort((x, y) =>
        x.status === y.status ? x.raisedAt.getTime() - y.raisedAt.getTime() : x.status === 'open' ? -1 : 1,
      )
      .map((al) => ({
        id: al.id,
        kind: al.kind,
        severity: al.severity,
        summary: al.summary,
        source: { type: al.sourceType, id: al.sourceId },
        raisedAt: al.raisedAt.toISOString(),
        status: al.status,
        acknowledgement:
          al.acknowledgedAt && al.acknowledgedBy
            ? {
                at: al.acknowledgedAt.toISOString(),
                by: who(al.acknowledgedBy),
                action: al.acknowledgementAction ?? '',
              }
            : null,
      }));

    const view: SessionView = {
      id: session?.id ?? appt.id,
      state,
      patient: { id: appt.patientId, displayName: displayName(a), mrn: a.mrn },
      appointment: {
        id: appt.id,
        startsAt: appt.startsAt.toISOString(),
        endsAt: appt.endsAt.toISOString(),
        roomId: appt.roomId,
        roomName: a.roomName,
      },
      route,
      product,
      protocolId: session?.protocolId ?? appt.protocolId,
      planOrder,
      checkedInAt: session?.checkedInAt.toISOString() ?? null,
      checkedInBy: session ? who(session.checkedInBy) : null,
      clearedAt: session?.clearedAt?.toISOString() ?? null,
      doseStartedAt: doseStartedAt?.toISOString() ?? null,
      monitoringStartedAt: session?.monitoringStartedAt?.toISOString() ?? null,
      endedAt: session?.endedAt?.toISOString() ?? null,
      abortReason: session?.abortReason ?? null,
      checklist,
      intentions: (preparations.get(appt.patientId)?.content.intentions ?? []).map((i) => i.text),
      escort,
      noDrivingAcknowledged: acknowledged.has(appt.id),
      administrations: sessionAdministrations.map((d) => ({
        id: d.id,
        sequence: d.sequence,
        product: d.product,
        route: d.route,
        site: d.site,
        lotId: d.lotId,
        lotNumber: d.lotNumber,
        lotExpiry: d.lotExpiry,
        concentration: d.concentration,
        concentrationUnit: d.concentrationUnit,
        doseMg: d.doseMg,
        volumeMl: d.volumeMl,
        devices: d.devices,
        quantity: d.quantity,
        calculation: d.calculation,
        startedAt: d.startedAt.toISOString(),
        endedAt: d.endedAt?.toISOString() ?? null,
        administeredBy: who(d.administeredBy),
        secondSigner: d.secondSignerId ? who(d.secondSignerId) : null,
        ledgerEntryId: d.ledgerEntryId,
        note: d.note,
        recordedAt: d.recordedAt.toISOString(),
      })),
      vitals,
      baselineVitals: baseline ? toVitals(baseline.row) : null,
      baselineMoaas: baselineMoaas?.moaas ?? null,
      thresholds: settings.thresholds,
      observations: observationViews,
      alerts: sessionAlerts,
      observationPlan: {
        readingsAtMinutes: observationPlan.readingsAtMinutes,
        thenEveryMinutes: observationPlan.thenEveryMinutes,
        minimumObservationMinutes: observationPlan.minimumObservationMinutes,
        citation: observationPlan.citation,
      },
      nextReadingDue: next,
      dissociationRatingDue: cadssDue,
      dischargeReadiness: readiness
        ? {
            ready: readiness.ready,
            unmet: readiness.unmet,
            minutesSinceDoseStart: readiness.input.minutesSinceDoseStart,
          }
        : null,
      discharge: discharge
        ? {
            id: discharge.id,
            ready: discharge.ready,
            unmet: discharge.unmet,
            overrideRationale: discharge.overrideRationale,
            overriddenBy: discharge.overriddenBy ? who(discharge.overriddenBy) : null,
            escortName: discharge.escortName,
            instructionsGiven: discharge.instructionsGiven,
            note: discharge.note,
            dischargedBy: who(discharge.dischargedBy),
            dischargedAt: discharge.dischargedAt.toISOString(),
          }
        : null,
      adverseEvents: session ? (adverseEvents.get(session.id) ?? []) : [],
      events: session
        ? events
            .filter((e) => e.sessionId === session.id)
            .map((e) => ({
              id: e.id,
              kind: e.kind,
              fromState: e.fromState,
              toState: e.toState,
              reason: e.reason,
              actor: who(e.actorId),
              occurredAt: e.occurredAt.toISOString(),
            }))
        : [],
      allowedActions: allowedSessionEvents(state).filter((kind) =>
        hasPermission(ctx.actor, eventPermission[kind]),
      ),
    };
    views.set(appt.id, view);
    if (session) views.set(session.id, view);
    if (options.audit !== false)
      ctx.audit.record({
        action: 'session.read',
        resourceType: 'dosing_session',
        resourceId: view.id,
        patientId: appt.patientId,
        breakGlass: access.get(appt.patientId)?.breakGlass ?? false,
      });
  }
  return ids.flatMap((id) => {
    const view = views.get(id);
    return view ? [view] : [];
  });
}

/** The facts dischargeReadiness reads, from the session's record. */
export function readinessOf(
  settings: SessionSettings,
  facts: {
    route: Route;
    product: Product;
    doseStartedAt: Date | null;
    now: Date;
    baseline: VitalsRow | null;
    readings: SessionReading[];
    observations: ObservationRow[];
    baselineMoaas: number | null;
    escortPresent: boolean;
  },
) {
  const current = facts.readings.filter((r) => r.status === 'current');
  const latest = current.at(-1)?.row ?? null;
  // Sedation and dissociation count only when rated after the dose started.
  const afterDose = facts.observations.filter(
    (o) => facts.doseStartedAt !== null && o.observedAt.getTime() > facts.doseStartedAt.getTime(),
  );
  const moaas = afterDose.filter((o) => o.kind === 'moaas');
  const cadss = afterDose.filter((o) => o.kind === 'cadss6');
  const plan = planFor(settings, facts.route, facts.product);
  const key = facts.product === 'esketamine' ? 'esketamine' : facts.route;
  const input = {
    product: facts.product,
    route: facts.route,
    minutesSinceDoseStart: facts.doseStartedAt
      ? Math.max(0, Math.floor(minutesBetween(facts.doseStartedAt, facts.now)))
      : 0,
    minimumObservationMinutes:
      facts.product === 'esketamine'
        ? (settings.sessions.minimumObservationMinutes?.[key] ?? null)
        : plan.minimumObservationMinutes,
    baselineVitals: facts.baseline ? toVitals(facts.baseline) : {},
    latestVitals: latest && latest.id !== facts.baseline?.id ? toVitals(latest) : {},
    // Without a recorded baseline, the latest sedation must be fully alert (MOAA/S 5).
    baselineMoaas: facts.baselineMoaas ?? 5,
    latestMoaas: moaas.at(-1)?.moaas ?? -1,
    ...(cadss.at(-1)?.cadss6Total != null ? { latestCadss6: cadss.at(-1)!.cadss6Total! } : {}),
    ...(settings.sessions.dissociationResolvedAtMost !== undefined
      ? { dissociationResolvedAtMost: settings.sessions.dissociationResolvedAtMost }
      : {}),
    escortPresent: facts.escortPresent,
    ...(settings.sessions.vitalsWithinFraction !== undefined
      ? { vitalsWithinFraction: settings.sessions.vitalsWithinFraction }
      : {}),
  };
  const result = dischargeReadiness(input);
  // With no rating after the dose, dischargeReadiness saw MOAA/S -1 ("not resolved"): say what is missing.
  const unmet = result.unmet.map((u) =>
    moaas.length === 0 && u.startsWith('Sedation not resolved')
      ? 'No sedation (MOAA/S) rating after the dose.'
      : u,
  );
  return { ready: unmet.length === 0, unmet, input };
}
