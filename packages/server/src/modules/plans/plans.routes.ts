import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { confirmPasswordForSignature } from '../auth/auth.service.ts';
import {
  planAmendmentSchema,
  planEndSchema,
  planInputSchema,
  planListView,
  planPreviewSchema,
  planPreviewView,
  planSignatureSchema,
  planUpdateSchema,
  planView,
} from './plans.schemas.ts';
import * as plans from './plans.service.ts';

const patientParams = z.strictObject({ patientId: z.uuid() });
const planParams = z.strictObject({ patientId: z.uuid(), planId: z.uuid() });

export function planRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['plans'];
  const base = '/api/v1/patients/:patientId/treatment-plans';

  app.post(
    base,
    {
      config: { permission: 'plan.write' },
      schema: {
        tags,
        summary: 'Create a draft treatment plan (checked with planCourse and calculateDose)',
        params: patientParams,
        body: planInputSchema,
        response: { 201: planView },
      },
    },
    async (request, reply) => {
      const created = await run(request, (ctx) =>
        plans.createDraft(ctx, request.params.patientId, request.body),
      );
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.get(
    base,
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary: 'Every version of the patient’s treatment plans, and the active one',
        params: patientParams,
        response: { 200: planListView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => plans.listPlans(ctx, request.params.patientId));
    },
  );

  app.post(
    `${base}/preview`,
    {
      config: { permission: 'plan.write' },
      schema: {
        tags,
        summary: 'planCourse and calculateDose for unsaved inputs (nothing is stored)',
        params: patientParams,
        body: planPreviewSchema,
        response: { 200: planPreviewView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => plans.previewPlan(ctx, request.params.patientId, request.body));
    },
  );

  app.put(
    `${base}/:planId`,
    {
      config: { permission: 'plan.write' },
      schema: {
        tags,
        summary: 'Edit a draft at the revision read (a signed version answers 409)',
        params: planParams,
        body: planUpdateSchema,
        response: { 200: planView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) =>
        plans.updateDraft(ctx, request.params.patientId, request.params.planId, request.body),
      );
    },
  );

  app.post(
    `${base}/:planId/signature`,
    {
      config: { permission: 'plan.write' },
      schema: {
        tags,
        summary: 'Sign a draft: an electronic signature with the prescriber’s password',
        params: planParams,
        body: planSignatureSchema,
        response: { 200: planView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { password, ...signature } = request.body;
      // The password is checked before the unit of work: a wrong one is counted (and may lock the account)
      // in a transaction of its own, and the slow hash is not computed while holding the patient's lock.
      await confirmPasswordForSignature(deps, actorOf(request), password, requestMeta(request));
      return run(request, (ctx) =>
        plans.signPlan(ctx, request.params.patientId, request.params.planId, signature),
      );
    },
  );

  app.post(
    `${base}/:planId/amendments`,
    {
      config: { permission: 'plan.write' },
      schema: {
        tags,
        summary: 'Start an amendment: a new draft version of the active signed plan',
        params: planParams,
        body: planAmendmentSchema,
        response: { 201: planView },
      },
    },
    async (request, reply) => {
      const draft = await run(request, (ctx) =>
        plans.amendPlan(ctx, request.params.patientId, request.params.planId, request.body.reason),
      );
      return reply.status(201).header('cache-control', 'no-store').send(draft);
    },
  );

  app.post(
    `${base}/:draftId/discard`,
    {
      config: { permission: 'plan.write' },
      schema: {
        tags,
        summary: 'Discard a draft that will not be signed (kept, marked discarded)',
        params: z.strictObject({ patientId: z.uuid(), draftId: z.uuid() }),
        body: z.strictObject({}),
        response: { 200: planView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => plans.discardDraft(ctx, request.params.patientId, request.params.draftId));
    },
  );

  app.post(
    `${base}/:planId/end`,
    {
      config: { permission: 'plan.write' },
      schema: {
        tags,
        summary: 'End the active plan (course complete or stopped): recorded, never an edit',
        params: planParams,
        body: planEndSchema,
        response: { 200: planView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) =>
        plans.endPlan(ctx, request.params.patientId, request.params.planId, request.body),
      );
    },
  );
}
