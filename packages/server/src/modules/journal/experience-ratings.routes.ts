import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import {
  experienceRatingBody,
  experienceRatingView,
  myExperienceRatingsView,
  sessionParams,
  staffExperienceRatingsView,
} from './experience-ratings.schemas.ts';
import * as ratings from './experience-ratings.service.ts';
import { noQuery, patientParams } from './journal.schemas.ts';

/** The patient's rating of each session's experience, from the day after; the care team reads it on the chart. */
export function experienceRatingRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);

  app.get(
    '/api/v1/me/experience-ratings',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: ['portal'],
        summary: 'Which of my sessions I can rate now, which later, and the ratings I gave',
        querystring: noQuery,
        response: { 200: myExperienceRatingsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => ratings.myExperienceRatings(ctx));
    },
  );

  app.post(
    '/api/v1/me/experience-ratings/:sessionId',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: ['portal'],
        summary:
          'Rate my experience of a session (from the day after it), or correct my rating (amendsId); idempotent by the client id',
        params: sessionParams,
        body: experienceRatingBody,
        response: { 200: experienceRatingView, 201: experienceRatingView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        ratings.rateMySession(ctx, request.params.sessionId, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('cache-control', 'no-store')
        .send(result.rating);
    },
  );

  app.get(
    '/api/v1/patients/:patientId/experience-ratings',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags: ['journal'],
        summary:
          'The patient’s rating of each session’s experience (current versions), with the clinic’s difficult-experience flag when it sets one',
        params: patientParams,
        querystring: noQuery,
        response: { 200: staffExperienceRatingsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => ratings.listPatientExperienceRatings(ctx, request.params.patientId));
    },
  );
}
