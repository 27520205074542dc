import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { SecretBox } from '../../security/secret-box.ts';
import {
  psychotherapyNoteInput,
  psychotherapyNoteListQuery,
  psychotherapyNoteView,
} from './psychotherapy-notes.schemas.ts';
import { listOwnPsychotherapyNotes, writePsychotherapyNote } from './psychotherapy-notes.service.ts';

/**
 * Psychotherapy notes have their own path, apart from the chart and the session (clinical-reference 7.1):
 * nothing under /patients or /sessions returns them, and these routes only ever return the caller's own.
 */
export function psychotherapyNoteRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const box = new SecretBox(deps.config.secretKey);
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['psychotherapy-notes'];

  app.post(
    '/api/v1/psychotherapy-notes',
    {
      config: { permission: 'psychotherapy-notes.write' },
      schema: {
        tags,
        summary:
          'Save one of your psychotherapy notes, or a revision of it (amendsId): a new version, never an edit; idempotent by the client id',
        body: psychotherapyNoteInput,
        response: { 200: psychotherapyNoteView, 201: psychotherapyNoteView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) => writePsychotherapyNote(ctx, box, request.body));
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.note);
    },
  );

  app.get(
    '/api/v1/psychotherapy-notes',
    {
      config: { permission: 'psychotherapy-notes.write' },
      schema: {
        tags,
        summary: 'Your own psychotherapy notes about a patient, each with its versions (nobody else’s)',
        querystring: psychotherapyNoteListQuery,
        response: { 200: z.object({ items: z.array(psychotherapyNoteView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => listOwnPsychotherapyNotes(ctx, box, request.query));
    },
  );
}
