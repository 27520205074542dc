import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { adverseEventAmendmentInput, adverseEventInput, adverseEventView } from './adverse-events.schemas.ts';
import * as adverseEvents from './adverse-events.service.ts';

export function adverseEventRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['sessions'];
  const sessionParams = z.strictObject({ sessionId: z.uuid() });
  const list = { 200: z.object({ items: z.array(adverseEventView) }) };

  app.post(
    '/api/v1/sessions/:sessionId/adverse-events',
    {
      config: { permission: 'session.monitor' },
      schema: {
        tags,
        summary:
          'Record an adverse event (severity, serious, action taken, outcome); a serious one raises a follow-up alert. Idempotent by the client id',
        params: sessionParams,
        body: adverseEventInput,
        response: { 200: adverseEventView, 201: adverseEventView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        adverseEvents.recordAdverseEvent(ctx, request.params.sessionId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.event);
    },
  );

  app.post(
    '/api/v1/sessions/:sessionId/adverse-events/:seriesId/amendments',
    {
      config: { permission: 'session.monitor' },
      schema: {
        tags,
        summary:
          'Amend an adverse event: a new version of the whole event with a reason; the earlier versions stay as written',
        params: z.strictObject({ sessionId: z.uuid(), seriesId: z.uuid() }),
        body: adverseEventAmendmentInput,
        response: { 200: adverseEventView, 201: adverseEventView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        adverseEvents.amendAdverseEvent(ctx, request.params.sessionId, request.params.seriesId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.event);
    },
  );

  app.get(
    '/api/v1/sessions/:sessionId/adverse-events',
    {
      config: { permission: 'session.read' },
      schema: {
        tags,
        summary: 'The adverse events of a session, each with its versions and follow-up alert',
        params: sessionParams,
        response: list,
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => adverseEvents.listSessionAdverseEvents(ctx, request.params.sessionId));
    },
  );

  app.get(
    '/api/v1/patients/:patientId/adverse-events',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary: 'Every adverse event of the patient, across dosing sessions',
        params: z.strictObject({ patientId: z.uuid() }),
        response: list,
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => adverseEvents.listPatientAdverseEvents(ctx, request.params.patientId));
    },
  );
}
