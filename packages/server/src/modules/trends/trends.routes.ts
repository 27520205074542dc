import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { measurementSummaryView, patientParams, progressView } from './trends.schemas.ts';
import * as trends from './trends.service.ts';

export function trendsRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);

  app.get(
    '/api/v1/patients/:patientId/measurement-summary',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags: ['measures'],
        summary:
          'Trends per instrument: totals over time, baseline, severity bands, response/remission/worsening lines, course status, dosing sessions and the maintenance signal',
        params: patientParams,
        response: { 200: measurementSummaryView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => trends.measurementSummary(ctx, request.params.patientId));
    },
  );

  app.get(
    '/api/v1/me/progress',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: ['portal'],
        summary: 'My questionnaire scores over time, with their ranges and my dosing session dates',
        response: { 200: progressView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => trends.ownProgress(ctx));
    },
  );
}
