import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { demoLogins } from '../../db/seed/demo-logins.ts';
import type { AppDeps } from '../../deps.ts';

export const kapstoneVersion = '0.1.0';

export function metaRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['meta'],
        summary: 'Liveness and database reachability',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }),
          503: z.object({ status: z.literal('unavailable'), database: z.enum(['pglite', 'postgres']) }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await deps.database.execute(sql`SELECT 1`);
        return { status: 'ok' as const, database: deps.databaseKind };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, database: deps.databaseKind });
      }
    },
  );

  app.get(
    '/api/v1/meta',
    {
      config: { public: true },
      schema: {
        tags: ['meta'],
        summary: 'What this server is; in demo mode, the demo logins',
        response: {
          200: z.object({
            name: z.literal('Kapstone'),
            version: z.string(),
            demo: z.boolean(),
            demoLogins: z
              .array(z.object({ email: z.string(), role: z.string(), clinic: z.string() }))
              .optional(),
          }),
        },
      },
    },
    async () => ({
      name: 'Kapstone' as const,
      version: kapstoneVersion,
      demo: deps.config.demo,
      ...(deps.config.demo ? { demoLogins: demoLogins() } : {}),
    }),
  );
}
