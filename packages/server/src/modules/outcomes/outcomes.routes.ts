import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { outcomesQuery, outcomesView } from './outcomes.schemas.ts';
import { cohortOutcomes } from './outcomes.service.ts';

export function outcomesRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/outcomes',
    {
      config: { permission: 'outcomes.read' },
      schema: {
        tags: ['outcomes'],
        summary:
          'Practice outcomes of a cohort (Dore 2019 shape): aggregates only, with the weekly chart series',
        querystring: outcomesQuery,
        response: { 200: outcomesView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, (ctx) =>
        cohortOutcomes(ctx, request.query),
      );
    },
  );
}
