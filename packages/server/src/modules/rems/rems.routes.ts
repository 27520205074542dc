import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import {
  remsAnswersInput,
  remsFormView,
  remsListQuery,
  remsListView,
  remsSubmissionInput,
} from './rems.schemas.ts';
import * as rems from './rems.service.ts';

function sendPdf(reply: FastifyReply, document: { pdf: Uint8Array; filename: string }) {
  return reply
    .header('cache-control', 'no-store')
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${document.filename}"`)
    .send(Buffer.from(document.pdf));
}

/** SPRAVATO REMS Patient Monitoring Forms (clinical-reference 2.6): the forms due, one session's form, its PDF. */
export function remsRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['rems'];
  const params = z.strictObject({ sessionId: z.uuid() });

  app.get(
    '/api/v1/rems/forms',
    {
      config: { permission: 'rems.read' },
      schema: {
        tags,
        summary:
          'SPRAVATO REMS monitoring forms by status (due: ended, not yet submitted, nearest deadline first), with each form’s deadline and missing fields',
        querystring: remsListQuery,
        response: { 200: remsListView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => rems.listRemsForms(ctx, request.query));
    },
  );

  app.get(
    '/api/v1/sessions/:sessionId/rems-form',
    {
      config: { permission: 'rems.read' },
      schema: {
        tags,
        summary:
          'The session’s SPRAVATO REMS monitoring form: the data from the record and the clinician’s answers, completeness, the 7-day deadline, the submission',
        params,
        response: { 200: remsFormView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => rems.getRemsForm(ctx, request.params.sessionId));
    },
  );

  app.get(
    '/api/v1/sessions/:sessionId/rems-form.pdf',
    {
      config: { permission: 'rems.read' },
      schema: { tags, summary: 'The monitoring form as a printable, form-like PDF', params },
    },
    async (request, reply) =>
      sendPdf(reply, await run(request, (ctx) => rems.remsFormDocument(ctx, request.params.sessionId))),
  );

  app.post(
    '/api/v1/sessions/:sessionId/rems-form/answers',
    {
      config: { permission: 'rems.submit' },
      schema: {
        tags,
        summary:
          'Answer what only a clinician can (REMS enrolment, ready-to-leave time, respiratory depression, the setting’s address…) or correct a derived field; null clears an answer. Idempotent by the client id',
        params,
        body: remsAnswersInput,
        response: { 200: remsFormView, 201: remsFormView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        rems.saveRemsAnswers(ctx, request.params.sessionId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.form);
    },
  );

  app.post(
    '/api/v1/sessions/:sessionId/rems-form/submission',
    {
      config: { permission: 'rems.submit' },
      schema: {
        tags,
        summary:
          'Mark the form submitted to the REMS (online or fax): once, after discharge, with the form kept as submitted',
        params,
        body: remsSubmissionInput,
        response: { 200: remsFormView, 201: remsFormView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        rems.markRemsSubmitted(ctx, request.params.sessionId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.form);
    },
  );
}
