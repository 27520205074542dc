import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { vitalSignsInputSchema, vitalSignsView } from './vitals.schemas.ts';
import * as vitals from './vitals.service.ts';

export function vitalsRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['screening'];
  const params = z.strictObject({ patientId: z.uuid() });

  app.post(
    '/api/v1/patients/:patientId/vitals',
    {
      config: { permission: 'vitals.record' },
      schema: {
        tags,
        summary:
          'Record vital signs, or correct a reading (supersedesId) or mark it entered in error; idempotent by the client id',
        params,
        body: vitalSignsInputSchema,
        response: { 200: vitalSignsView, 201: vitalSignsView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        vitals.recordVitals(ctx, request.params.patientId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.reading);
    },
  );

  app.get(
    '/api/v1/patients/:patientId/vitals',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary:
          'Every vital-signs reading of the patient, newest first, with corrections and classification',
        params,
        response: { 200: z.object({ items: z.array(vitalSignsView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => vitals.listVitals(ctx, request.params.patientId));
    },
  );
}
