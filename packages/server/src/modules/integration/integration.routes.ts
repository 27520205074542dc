import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { SecretBox } from '../../security/secret-box.ts';
import {
  adherenceItemView,
  adherenceListQuery,
  adherenceListView,
  integrationAmendmentSchema,
  integrationNoteCreateSchema,
  integrationNoteListQuery,
  integrationNoteView,
  integrationSettingsBody,
  integrationSettingsView,
  noteParams,
  patientParams,
} from './integration.schemas.ts';
import * as integration from './integration.service.ts';

/**
 * Integration sessions: the therapist's note of the session after a dose, and whether each dose got one in
 * time. Psychotherapy notes written with a note stay on their own path (/api/v1/psychotherapy-notes, author
 * only); nothing here returns their words.
 */
export function integrationRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const box = new SecretBox(deps.config.secretKey);
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['integration'];

  app.post(
    '/api/v1/patients/:patientId/integration-notes',
    {
      config: { permission: 'integration.write' },
      schema: {
        tags,
        summary:
          'Write an integration session note after a discharged dosing session; psychotherapy notes, if any, are stored author-only. Idempotent by the client id',
        params: patientParams,
        body: integrationNoteCreateSchema,
        response: { 200: integrationNoteView, 201: integrationNoteView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        integration.createIntegrationNote(ctx, box, request.params.patientId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.note);
    },
  );

  app.post(
    '/api/v1/patients/:patientId/integration-notes/:integrationNoteId/amendments',
    {
      config: { permission: 'integration.write' },
      schema: {
        tags,
        summary:
          'Correct an integration note: a new version amending the latest one, with a reason (never an edit)',
        params: noteParams,
        body: integrationAmendmentSchema,
        response: { 200: integrationNoteView, 201: integrationNoteView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        integration.amendIntegrationNote(
          ctx,
          box,
          request.params.patientId,
          request.params.integrationNoteId,
          request.body,
        ),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.note);
    },
  );

  app.get(
    '/api/v1/patients/:patientId/integration-notes',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary:
          'A patient’s integration notes with every version (a flag where psychotherapy notes exist, never their words)',
        params: patientParams,
        querystring: integrationNoteListQuery,
        response: { 200: z.object({ items: z.array(integrationNoteView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) =>
        integration.listIntegrationNotes(ctx, request.params.patientId, request.query),
      );
    },
  );

  app.get(
    '/api/v1/patients/:patientId/integration-adherence',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary:
          'Each of the patient’s completed dosing sessions with its integration adherence (done, late, due, missing, not due yet)',
        params: patientParams,
        response: {
          200: z.object({
            today: z.string(),
            items: z.array(adherenceItemView.extend({ intentions: z.array(z.string()) })),
          }),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => integration.patientAdherence(ctx, request.params.patientId));
    },
  );

  app.get(
    '/api/v1/integration/adherence',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary:
          'Recent dosing sessions of the patients in my care whose integration is missing, late or due (or the states asked for)',
        querystring: adherenceListQuery,
        response: { 200: adherenceListView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => integration.adherenceList(ctx, request.query));
    },
  );

  app.get(
    '/api/v1/care-settings/integration',
    {
      config: { permission: 'care.settings.manage' },
      schema: {
        tags,
        summary:
          'The clinic’s integration window (null: each protocol’s own) and the window each protocol uses',
        response: { 200: integrationSettingsView },
      },
    },
    async (request) => run(request, (ctx) => integration.getIntegrationSettings(ctx)),
  );

  app.put(
    '/api/v1/care-settings/integration',
    {
      config: { permission: 'care.settings.manage' },
      schema: {
        tags,
        summary:
          'Set the clinic’s integration window, [first, last] days after a dose (0–30, first ≤ last), or null',
        body: integrationSettingsBody,
        response: { 200: integrationSettingsView },
      },
    },
    async (request) => run(request, (ctx) => integration.updateIntegrationSettings(ctx, request.body)),
  );
}
