import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mailStatuses } from '../../db/schema/index.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { listOutbox } from './mail.service.ts';

export function mailRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/mail/outbox',
    {
      config: { permission: 'mail.read' },
      schema: {
        tags: ['mail'],
        summary: "The clinic's outgoing mail, newest first (the text only in demo mode)",
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(25),
          cursor: z.string().max(256).optional(),
          status: z.enum(mailStatuses).optional(),
        }),
        response: {
          200: z.object({
            demo: z.boolean(),
            items: z.array(
              z.object({
                id: z.uuid(),
                to: z.string(),
                subject: z.string(),
                status: z.enum(mailStatuses),
                attempts: z.number().int(),
                lastError: z.string().nullable(),
                createdAt: z.string(),
                nextAttemptAt: z.string().nullable(),
                sentAt: z.string().nullable(),
                failedAt: z.string().nullable(),
                text: z.string().nullable(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const page = await runUnitOfWork(
        deps.database,
        actorOf(request),
        requestMeta(request),
        deps.clock,
        (ctx) => listOutbox(ctx, request.query, { showBodies: deps.config.demo }),
      );
      return { demo: deps.config.demo, ...page };
    },
  );
}
