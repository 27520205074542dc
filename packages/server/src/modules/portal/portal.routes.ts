import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { crisisResourcesView, homeView, noQuery, sessionHistoryView } from './portal.schemas.ts';
import * as portal from './portal.service.ts';

/** The patient portal's home, session history and crisis lines (the patient's own record only). */
export function portalRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['portal'];

  app.get(
    '/api/v1/me/home',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags,
        summary:
          'My home page in one call: next session, the next dosing session’s preparation checklist, and my to-dos',
        querystring: noQuery,
        response: { 200: homeView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => portal.myHome(ctx));
    },
  );

  app.get(
    '/api/v1/me/sessions',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags,
        summary:
          'My session history: dosing sessions (times, route, state, discharge instructions) and integration sessions attended',
        querystring: noQuery,
        response: { 200: sessionHistoryView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => portal.mySessions(ctx));
    },
  );

  app.get(
    '/api/v1/me/crisis-resources',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags,
        summary: 'The crisis lines the portal shows on every page (988, 911 and my clinic’s crisis phone)',
        querystring: noQuery,
        response: { 200: crisisResourcesView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => portal.myCrisisResources(ctx));
    },
  );
}
