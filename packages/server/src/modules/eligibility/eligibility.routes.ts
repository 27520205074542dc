import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { confirmPasswordForSignature } from '../auth/auth.service.ts';
import {
  amendmentInputSchema,
  assessmentQuerySchema,
  assessmentView,
  decisionInputSchema,
  decisionView,
  eligibilityView,
} from './eligibility.schemas.ts';
import * as eligibility from './eligibility.service.ts';

export function eligibilityRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['eligibility'];
  const params = z.strictObject({ patientId: z.uuid() });

  app.get(
    '/api/v1/patients/:patientId/eligibility/assessment',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary:
          'The @kapstone/clinical eligibility assessment of the chart as it is now, for a route and product, with its fingerprint for signing',
        params,
        querystring: assessmentQuerySchema,
        response: { 200: assessmentView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => eligibility.assessmentFor(ctx, request.params.patientId, request.query));
    },
  );

  app.post(
    '/api/v1/patients/:patientId/eligibility/decisions',
    {
      config: { permission: 'eligibility.decide' },
      schema: {
        tags,
        summary:
          'Sign an eligibility decision (password re-entered; refused with 409 if the assessment changed since it was loaded)',
        params,
        body: decisionInputSchema,
        response: { 200: decisionView, 201: decisionView },
      },
    },
    async (request, reply) => {
      const { password, ...input } = request.body;
      // Proof of identity first, in its own transaction: a wrong password counts toward the lockout.
      await confirmPasswordForSignature(deps, actorOf(request), password, requestMeta(request));
      const result = await run(request, (ctx) =>
        eligibility.signDecision(ctx, request.params.patientId, input),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.decision);
    },
  );

  app.post(
    '/api/v1/patients/:patientId/eligibility/decisions/:decisionId/amendments',
    {
      config: { permission: 'eligibility.decide' },
      schema: {
        tags,
        summary:
          'Amend a signed decision: a new signed decision linked to it, with a reason (the original stays)',
        params: z.strictObject({ patientId: z.uuid(), decisionId: z.uuid() }),
        body: amendmentInputSchema,
        response: { 200: decisionView, 201: decisionView },
      },
    },
    async (request, reply) => {
      const { password, ...input } = request.body;
      await confirmPasswordForSignature(deps, actorOf(request), password, requestMeta(request));
      const result = await run(request, (ctx) =>
        eligibility.amendDecision(ctx, request.params.patientId, request.params.decisionId, input),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.decision);
    },
  );

  app.get(
    '/api/v1/patients/:patientId/eligibility',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary: 'The effective eligibility decision (latest signed decision or amendment) and its history',
        params,
        response: { 200: eligibilityView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => eligibility.eligibilityOverview(ctx, request.params.patientId));
    },
  );
}
