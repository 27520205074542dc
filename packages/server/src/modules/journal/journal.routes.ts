import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { SecretBox } from '../../security/secret-box.ts';
import {
  journalEntryParams,
  journalPromptsView,
  journalVersionBody,
  myJournalEntryView,
  myJournalView,
  newJournalEntryBody,
  noQuery,
  patientParams,
  sharedJournalView,
} from './journal.schemas.ts';
import * as journal from './journal.service.ts';

/**
 * The patient's journal: the portal routes see only the signed-in patient's own entries; the staff route
 * returns only the entries the patient shares now.
 */
export function journalRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const box = new SecretBox(deps.config.secretKey);
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['portal'];

  app.get(
    '/api/v1/me/journal',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags,
        summary: 'My journal entries, newest first, each with its current words and whether it is shared',
        querystring: noQuery,
        response: { 200: myJournalView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => journal.listMyJournal(ctx, box));
    },
  );

  app.post(
    '/api/v1/me/journal',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags,
        summary:
          'Write a journal entry, free or answering a guided prompt; private unless shared (idempotent by the client id)',
        body: newJournalEntryBody,
        response: { 200: myJournalEntryView, 201: myJournalEntryView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) => journal.createJournalEntry(ctx, box, request.body));
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.entry);
    },
  );

  app.post(
    '/api/v1/me/journal/:journalEntryId/versions',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags,
        summary:
          'Change an entry’s words or sharing: a new version of the latest one (un-sharing hides it from the care team at once)',
        params: journalEntryParams,
        body: journalVersionBody,
        response: { 200: myJournalEntryView, 201: myJournalEntryView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        journal.reviseJournalEntry(ctx, box, request.params.journalEntryId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.entry);
    },
  );

  app.get(
    '/api/v1/me/journal/prompts',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags,
        summary: 'Guided prompts for my recent sessions, with the intentions I set for each',
        querystring: noQuery,
        response: { 200: journalPromptsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => journal.myJournalPrompts(ctx));
    },
  );

  app.get(
    '/api/v1/patients/:patientId/journal',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags: ['journal'],
        summary:
          'The journal entries the patient shares with the care team now (never the private ones); each read is audited',
        params: patientParams,
        querystring: noQuery,
        response: { 200: sharedJournalView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => journal.listSharedJournal(ctx, box, request.params.patientId));
    },
  );
}
