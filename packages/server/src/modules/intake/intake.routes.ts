import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { Forbidden } from '../../errors.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { intakeHistoryView, intakeView } from './intake.presenter.ts';
import { intakeDraftSchema, intakeSections } from './intake.schemas.ts';
import * as intake from './intake.service.ts';

const version = z.number().int().min(0).max(1_000_000);
const clientSaveId = z.uuid().optional();
const patientParams = z.strictObject({ patientId: z.uuid() });

export function intakeRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  /** The patient id of a portal request comes from the session, never from the client. */
  const ownPatientId = (request: FastifyRequest): string => {
    const actor = actorOf(request);
    // portal.self is held by patient accounts only; this narrows the type.
    if (actor.kind !== 'patient') throw new Forbidden('This is the patient portal’s own intake.');
    return actor.patientId;
  };
  const portal = ['portal', 'intake'];
  const tags = ['intake'];

  app.get(
    '/api/v1/me/intake',
    {
      config: { permission: 'portal.self' },
      schema: { tags: portal, summary: 'My intake (draft or submitted)', response: { 200: intakeView } },
    },
    async (request, reply) => {
      const patientId = ownPatientId(request);
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => intake.readOwnIntake(ctx, patientId));
    },
  );

  app.put(
    '/api/v1/me/intake',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: portal,
        summary: 'Save my intake draft (the sections sent replace the saved ones; stale version → 409)',
        body: z.strictObject({
          version,
          answers: intakeDraftSchema,
          resumeSection: z.enum(intakeSections).optional(),
          clientSaveId,
        }),
        response: { 200: intakeView },
      },
    },
    async (request, reply) => {
      const patientId = ownPatientId(request);
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => intake.saveOwnIntake(ctx, patientId, request.body));
    },
  );

  app.post(
    '/api/v1/me/intake/submit',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: portal,
        summary: 'Submit my intake (400 with the missing answers by path when incomplete)',
        body: z.strictObject({ version, clientSaveId }),
        response: { 200: intakeView },
      },
    },
    async (request, reply) => {
      const patientId = ownPatientId(request);
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => intake.submitOwnIntake(ctx, patientId, request.body));
    },
  );

  app.get(
    '/api/v1/patients/:patientId/intake',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary: "A patient's intake, with the contraindication answers flagged",
        params: patientParams,
        response: { 200: intakeView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => intake.readIntake(ctx, request.params.patientId));
    },
  );

  app.put(
    '/api/v1/patients/:patientId/intake',
    {
      config: { permission: 'patient.clinical.update' },
      schema: {
        tags,
        summary:
          'Complete the intake with the patient, or correct a submitted one (a reason is then required)',
        params: patientParams,
        body: z.strictObject({
          version,
          answers: intakeDraftSchema,
          reason: z.string().trim().max(1000).optional(),
          submit: z.boolean().optional(),
          clientSaveId,
        }),
        response: { 200: intakeView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => intake.saveIntakeAsStaff(ctx, request.params.patientId, request.body));
    },
  );

  app.get(
    '/api/v1/patients/:patientId/intake/versions',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags,
        summary: 'Every version of the intake: who saved it, when, why, and what changed',
        params: patientParams,
        response: { 200: intakeHistoryView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => intake.listIntakeVersions(ctx, request.params.patientId));
    },
  );
}
