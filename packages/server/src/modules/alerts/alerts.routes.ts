import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import * as alerts from './alerts.service.ts';

const person = z.object({ id: z.uuid(), displayName: z.string() });
const alertView = z.object({
  id: z.uuid(),
  patient: z.object({ id: z.uuid(), displayName: z.string(), mrn: z.string() }),
  kind: z.string(),
  severity: z.enum(['critical', 'high', 'moderate', 'low']),
  summary: z.string(),
  source: z.object({ type: z.string(), id: z.uuid() }),
  owner: person.nullable(),
  status: z.enum(['open', 'acknowledged']),
  raisedAt: z.string(),
  acknowledgement: z.object({ at: z.string(), by: person, action: z.string() }).nullable(),
});

export function alertsRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['alerts'];

  app.get(
    '/api/v1/alerts',
    {
      config: { permission: 'alerts.read' },
      schema: {
        tags,
        summary: 'Alerts of the patients whose clinical record I may open (open ones by default)',
        querystring: z.strictObject({
          status: z.enum(['open', 'acknowledged']).default('open'),
          limit: z.coerce.number().int().min(1).max(100).default(25),
          cursor: z.string().max(500).optional(),
        }),
        response: { 200: z.object({ items: z.array(alertView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => alerts.listAlerts(ctx, request.query));
    },
  );

  app.post(
    '/api/v1/alerts/:alertId/acknowledge',
    {
      config: { permission: 'alerts.acknowledge' },
      schema: {
        tags,
        summary: 'Acknowledge an alert, saying what was done',
        params: z.strictObject({ alertId: z.uuid() }),
        body: z.strictObject({
          action: z.string().trim().min(3, 'Say what you did about this alert.').max(2000),
        }),
        response: { 200: alertView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => alerts.acknowledgeAlert(ctx, request.params.alertId, request.body.action));
    },
  );
}
