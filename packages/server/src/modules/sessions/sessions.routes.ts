import { sessionStates } from '@kapstone/clinical';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor, RequestMeta, ServiceContext, StaffActor } from '../../context.ts';
import { userAccount } from '../../db/schema/index.ts';
import type { AppDeps } from '../../deps.ts';
import { Invalid } from '../../errors.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { confirmPasswordForSignature } from '../auth/auth.service.ts';
import {
  abortSchema,
  acknowledgeSchema,
  administrationInputSchema,
  alertParams,
  boardQuery,
  boardView,
  checkInSchema,
  checklistInputSchema,
  dischargeInputSchema,
  dischargeReadinessView,
  gateOverrideSchema,
  observationInputSchema,
  patientParams,
  sessionListView,
  sessionParams,
  sessionSettingsInput,
  sessionSettingsView,
  sessionView,
  sessionVitalsInputSchema,
  startMonitoringSchema,
} from './sessions.schemas.ts';
import * as sessions from './sessions.service.ts';

const checkInView = z.object({
  id: z.uuid(),
  state: z.enum(sessionStates),
  patientId: z.uuid(),
  checkedInAt: z.string(),
});

/**
 * The second signer's password, checked before the unit of work like any signature (a wrong one counts
 * toward *their* lockout in a transaction of its own). An unknown name is answered like a wrong password.
 */
async function confirmSecondSigner(
  deps: AppDeps,
  actor: Actor,
  signer: { username: string; password: string },
  request: RequestMeta,
) {
  const [account] = await deps.database
    .select({ id: userAccount.id, email: userAccount.email, displayName: userAccount.displayName })
    .from(userAccount)
    .where(
      and(
        eq(userAccount.clinicId, actor.clinicId),
        eq(userAccount.kind, 'staff'),
        sql`lower(${userAccount.email}) = lower(${signer.username})`,
      ),
    );
  if (!account)
    throw new Invalid('No such staff member.', [
      { path: 'secondSigner.username', message: 'No such staff member.' },
    ]);
  if (account.id === actor.userId)
    throw new Invalid('The second signer must be another staff member.', [
      { path: 'secondSigner.username', message: 'Another staff member signs.' },
    ]);
  const signerActor: StaffActor = {
    kind: 'staff',
    userId: account.id,
    clinicId: actor.clinicId,
    sessionId: actor.sessionId,
    email: account.email,
    displayName: account.displayName,
    roles: [],
  };
  await confirmPasswordForSignature(deps, signerActor, signer.password, request, 'secondSigner.password');
}

export function sessionRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['sessions'];
  const base = '/api/v1/sessions/:sessionId';

  app.get(
    '/api/v1/sessions/board',
    {
      config: { permission: 'session.read' },
      schema: {
        tags,
        summary: 'The nurse’s board: today’s dosing sessions that have not ended, with what is due',
        querystring: boardQuery,
        response: { 200: boardView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => sessions.sessionBoard(ctx, request.query.date));
    },
  );

  app.get(
    '/api/v1/sessions/settings',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary:
          'The clinic’s session settings (second signer, reading interval, minimum observation, thresholds)',
        response: { 200: sessionSettingsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => sessions.getSessionSettings(ctx));
    },
  );

  app.put(
    '/api/v1/sessions/settings',
    {
      config: { permission: 'rooms.manage' },
      schema: {
        tags,
        summary: 'Set the clinic’s session settings (no default where the reference gives none)',
        body: sessionSettingsInput,
        response: { 200: sessionSettingsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => sessions.updateSessionSettings(ctx, request.body));
    },
  );

  app.get(
    '/api/v1/patients/:patientId/sessions',
    {
      config: { permission: 'session.read' },
      schema: {
        tags,
        summary: 'The patient’s dosing sessions, newest first',
        params: patientParams,
        response: { 200: sessionListView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => sessions.listPatientSessions(ctx, request.params.patientId));
    },
  );

  app.get(
    base,
    {
      config: { permission: 'session.read' },
      schema: {
        tags,
        summary: 'One dosing session (its id is the dosing appointment’s id)',
        params: sessionParams,
        response: { 200: sessionView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => sessions.loadSession(ctx, request.params.sessionId));
    },
  );

  app.post(
    `${base}/check-in`,
    {
      config: { permission: 'session.check-in' },
      schema: {
        tags,
        summary: 'Check the patient in: the session starts from its dosing appointment',
        params: sessionParams,
        body: checkInSchema,
        response: { 200: checkInView, 201: checkInView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) => sessions.checkIn(ctx, request.params.sessionId));
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.session);
    },
  );

  app.post(
    `${base}/checklist`,
    {
      config: { permission: 'session.monitor' },
      schema: {
        tags,
        summary: 'Run the pre-dose checklist (preDoseGate): clears to dose, or names blockers and cautions',
        params: sessionParams,
        body: checklistInputSchema,
        response: { 200: sessionView, 201: sessionView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        sessions.recordChecklist(ctx, request.params.sessionId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.session);
    },
  );

  app.post(
    `${base}/gate-override`,
    {
      config: { permission: 'session.override' },
      schema: {
        tags,
        summary: 'A prescriber overrides the checklist’s cautions (never a blocker): rationale and password',
        params: sessionParams,
        body: gateOverrideSchema,
        response: { 200: sessionView, 201: sessionView },
      },
    },
    async (request, reply) => {
      const { password, ...input } = request.body;
      await confirmPasswordForSignature(deps, actorOf(request), password, requestMeta(request));
      const result = await run(request, (ctx) => sessions.overrideGate(ctx, request.params.sessionId, input));
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.session);
    },
  );

  app.post(
    `${base}/administrations`,
    {
      config: { permission: 'session.administer' },
      schema: {
        tags,
        summary: 'Give a dose under the plan (calculateDose), drawn from the ledger in the same transaction',
        params: sessionParams,
        body: administrationInputSchema,
        response: { 200: sessionView, 201: sessionView },
      },
    },
    async (request, reply) => {
      const { secondSigner } = request.body;
      const actor = actorOf(request);
      if (secondSigner) await confirmSecondSigner(deps, actor, secondSigner, requestMeta(request));
      const result = await run(request, async (ctx) => {
        const secondSignerId = secondSigner
          ? await sessions.findSecondSigner(ctx, secondSigner.username)
          : null;
        return sessions.administer(ctx, request.params.sessionId, { ...request.body, secondSignerId });
      });
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.session);
    },
  );

  app.post(
    `${base}/start-monitoring`,
    {
      config: { permission: 'session.monitor' },
      schema: {
        tags,
        summary: 'Dosing complete: the session moves to monitoring',
        params: sessionParams,
        body: startMonitoringSchema,
        response: { 200: sessionView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => sessions.startMonitoring(ctx, request.params.sessionId));
    },
  );

  app.post(
    `${base}/vitals`,
    {
      config: { permission: 'session.monitor' },
      schema: {
        tags,
        summary:
          'A reading in the session (classifyVitals against baseline; warning and critical raise an alert)',
        params: sessionParams,
        body: sessionVitalsInputSchema,
        response: { 200: sessionView, 201: sessionView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        sessions.recordSessionVitals(ctx, request.params.sessionId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.session);
    },
  );

  app.post(
    `${base}/observations`,
    {
      config: { permission: 'session.monitor' },
      schema: {
        tags,
        summary: 'Sedation (MOAA/S), dissociation (CADSS-6) or side effects',
        params: sessionParams,
        body: observationInputSchema,
        response: { 200: sessionView, 201: sessionView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        sessions.recordObservation(ctx, request.params.sessionId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.session);
    },
  );

  app.post(
    `${base}/alerts/:alertId/acknowledgement`,
    {
      config: { permission: 'session.monitor' },
      schema: {
        tags,
        summary: 'Acknowledge an alert of the session’s readings, with the action taken',
        params: alertParams,
        body: acknowledgeSchema,
        response: { 200: sessionView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) =>
        sessions.acknowledgeSessionAlert(
          ctx,
          request.params.sessionId,
          request.params.alertId,
          request.body.action,
        ),
      );
    },
  );

  app.get(
    `${base}/discharge-readiness`,
    {
      config: { permission: 'session.read' },
      schema: {
        tags,
        summary: 'dischargeReadiness now (escortPresent as the nurse states it)',
        params: sessionParams,
        querystring: z.strictObject({ escortPresent: z.enum(['true', 'false']).default('false') }),
        response: { 200: dischargeReadinessView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) =>
        sessions.getDischargeReadiness(ctx, request.params.sessionId, request.query.escortPresent === 'true'),
      );
    },
  );

  app.post(
    `${base}/discharge`,
    {
      config: { permission: 'session.discharge' },
      schema: {
        tags,
        summary:
          'Discharge (dischargeReadiness); against an unmet criterion only a prescriber, with a rationale',
        params: sessionParams,
        body: dischargeInputSchema,
        response: { 200: sessionView, 201: sessionView },
      },
    },
    async (request, reply) => {
      const { override, ...rest } = request.body;
      if (override)
        await confirmPasswordForSignature(
          deps,
          actorOf(request),
          override.password,
          requestMeta(request),
          'override.password',
        );
      const result = await run(request, (ctx) =>
        sessions.discharge(ctx, request.params.sessionId, {
          ...rest,
          override: override ? { rationale: override.rationale } : null,
        }),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.session);
    },
  );

  app.post(
    `${base}/abort`,
    {
      config: { permission: 'session.monitor' },
      schema: {
        tags,
        summary: 'Stop the session, with the reason',
        params: sessionParams,
        body: abortSchema,
        response: { 200: sessionView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => sessions.abortSession(ctx, request.params.sessionId, request.body.reason));
    },
  );
}
