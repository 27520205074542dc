import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import {
  preparationCreateSchema,
  preparationNoteView,
  preparationSignatureSchema,
  preparationUpdateSchema,
} from './preparation.schemas.ts';
import * as preparation from './preparation.service.ts';

const patientParams = z.strictObject({ patientId: z.uuid() });
const noteParams = z.strictObject({ patientId: z.uuid(), noteId: z.uuid() });

export function preparationRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['preparation'];
  const base = '/api/v1/patients/:patientId/preparation-notes';

  app.post(
    base,
    {
      config: { permission: 'preparation.write' },
      schema: {
        tags,
        summary: 'Start a preparation session note (a draft)',
        params: patientParams,
        body: preparationCreateSchema,
        response: { 201: preparationNoteView },
      },
    },
    async (request, reply) => {
      const note = await run(request, (ctx) =>
        preparation.createNote(ctx, request.params.patientId, request.body),
      );
      return reply.status(201).header('cache-control', 'no-store').send(note);
    },
  );

  app.get(
    base,
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary: 'The patient’s preparation notes with every signed version',
        params: patientParams,
        response: { 200: z.object({ items: z.array(preparationNoteView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => preparation.listNotes(ctx, request.params.patientId));
    },
  );

  app.put(
    `${base}/:noteId`,
    {
      config: { permission: 'preparation.write' },
      schema: {
        tags,
        summary: 'Save the note: edits a draft, or amends a signed note (a new signed version)',
        params: noteParams,
        body: preparationUpdateSchema,
        response: { 200: preparationNoteView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) =>
        preparation.saveNote(ctx, request.params.patientId, request.params.noteId, request.body),
      );
    },
  );

  app.post(
    `${base}/:noteId/signature`,
    {
      config: { permission: 'preparation.write' },
      schema: {
        tags,
        summary: 'Sign the draft note (the signed-in clinician attests it; no password for a progress note)',
        params: noteParams,
        body: preparationSignatureSchema,
        response: { 200: preparationNoteView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) =>
        preparation.signNote(ctx, request.params.patientId, request.params.noteId, request.body),
      );
    },
  );
}
