import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import * as instructions from './discharge-instructions.service.ts';

const citation = z.object({ section: z.string(), source: z.string(), evidence: z.string() });
export const dischargeInstructionsView = z.object({
  sessionId: z.uuid(),
  date: z.string(),
  clinicName: z.string(),
  crisisPhone: z.string().nullable(),
  title: z.string(),
  sections: z.array(
    z.object({
      id: z.string(),
      heading: z.string(),
      lines: z.array(z.string()),
      citations: z.array(citation),
    }),
  ),
  /** Clinic settings the instructions would name but that are not set (the crisis phone). */
  missingSettings: z.array(z.string()),
});

function sendPdf(reply: FastifyReply, document: { pdf: Uint8Array; filename: string }) {
  return reply
    .header('cache-control', 'no-store')
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${document.filename}"`)
    .send(Buffer.from(document.pdf));
}

/** What the patient takes home after a session: for staff to print, and in the portal for the patient. */
export function dischargeInstructionRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const params = z.strictObject({ sessionId: z.uuid() });

  app.get(
    '/api/v1/sessions/:sessionId/discharge-instructions',
    {
      config: { permission: 'session.read' },
      schema: {
        tags: ['sessions'],
        summary:
          'The patient’s discharge instructions for this session (what to expect, no driving until the next day, whom to call), with their sources',
        params,
        response: { 200: dischargeInstructionsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => instructions.getDischargeInstructions(ctx, request.params.sessionId));
    },
  );

  app.get(
    '/api/v1/sessions/:sessionId/discharge-instructions.pdf',
    {
      config: { permission: 'session.read' },
      schema: { tags: ['sessions'], summary: 'The discharge instructions as a PDF to print', params },
    },
    async (request, reply) =>
      sendPdf(
        reply,
        await run(request, (ctx) =>
          instructions.dischargeInstructionsDocument(ctx, request.params.sessionId),
        ),
      ),
  );

  app.get(
    '/api/v1/me/discharge-instructions',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: ['portal'],
        summary: 'The discharge instructions of each of my sessions, newest first',
        response: { 200: z.object({ items: z.array(dischargeInstructionsView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => instructions.myDischargeInstructions(ctx));
    },
  );

  app.get(
    '/api/v1/me/sessions/:sessionId/discharge-instructions',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: ['portal'],
        summary: 'The discharge instructions of one of my sessions',
        params,
        response: { 200: dischargeInstructionsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => instructions.myDischargeInstructionsFor(ctx, request.params.sessionId));
    },
  );

  app.get(
    '/api/v1/me/sessions/:sessionId/discharge-instructions.pdf',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: ['portal'],
        summary: 'The discharge instructions of one of my sessions, as a PDF',
        params,
      },
    },
    async (request, reply) =>
      sendPdf(
        reply,
        await run(request, (ctx) =>
          instructions.myDischargeInstructionsDocument(ctx, request.params.sessionId),
        ),
      ),
  );
}
