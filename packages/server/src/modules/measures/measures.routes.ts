import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import {
  assignBody,
  assignmentView,
  dueListView,
  patientMeasuresView,
  questionnaireView,
  responseBody,
  responseView,
  staffResponseBody,
  submissionView,
} from './measures.schemas.ts';
import * as measures from './measures.service.ts';

export function measuresRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['measures'];
  const patientParams = z.strictObject({ patientId: z.uuid() });

  app.post(
    '/api/v1/patients/:patientId/measure-assignments',
    {
      config: { permission: 'measures.assign' },
      schema: {
        tags,
        summary: 'Assign the clinic’s screening set (no instruments given) or chosen instruments',
        params: patientParams,
        body: assignBody,
        response: {
          201: z.object({ assigned: z.array(assignmentView), alreadyPending: z.array(assignmentView) }),
        },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        measures.assignMeasures(ctx, request.params.patientId, request.body),
      );
      return reply.status(201).header('cache-control', 'no-store').send(result);
    },
  );

  app.get(
    '/api/v1/patients/:patientId/measures',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary: 'Assignments and responses with their scores, bands and observations',
        params: patientParams,
        response: { 200: patientMeasuresView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => measures.listPatientMeasures(ctx, request.params.patientId));
    },
  );

  app.post(
    '/api/v1/patients/:patientId/measure-assignments/:assignmentId/responses',
    {
      config: { permission: 'measures.assign' },
      schema: {
        tags,
        summary:
          'Staff entry: a clinician-rated instrument, answers given on the patient’s behalf, or a correction (supersedes)',
        params: z.strictObject({ patientId: z.uuid(), assignmentId: z.uuid() }),
        body: staffResponseBody,
        response: { 200: responseView, 201: responseView },
      },
    },
    async (request, reply) => {
      const { created, body } = await run(request, (ctx) =>
        measures.recordStaffResponse(
          ctx,
          request.params.patientId,
          request.params.assignmentId,
          request.body,
        ),
      );
      return reply
        .status(created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  app.get(
    '/api/v1/me/measures',
    {
      config: { permission: 'portal.self' },
      schema: { tags: ['portal'], summary: 'The questionnaires due for me', response: { 200: dueListView } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => measures.listDueForPatient(ctx));
    },
  );

  app.get(
    '/api/v1/me/measures/:assignmentId',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: ['portal'],
        summary: 'One of my questionnaires: its items, answer labels and skip logic',
        params: z.strictObject({ assignmentId: z.uuid() }),
        response: { 200: questionnaireView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => measures.portalQuestionnaire(ctx, request.params.assignmentId));
    },
  );

  app.post(
    '/api/v1/me/measures/:assignmentId/responses',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: ['portal'],
        summary:
          'Submit my answers (idempotent by the client-generated id); crisis resources when the answers signal risk',
        params: z.strictObject({ assignmentId: z.uuid() }),
        body: responseBody,
        response: { 200: submissionView, 201: submissionView },
      },
    },
    async (request, reply) => {
      const { created, body } = await run(request, (ctx) =>
        measures.submitPortalResponse(ctx, request.params.assignmentId, request.body),
      );
      return reply
        .status(created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
}
