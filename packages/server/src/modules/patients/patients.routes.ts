import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { Forbidden, Invalid } from '../../errors.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { presentAllergy, presentCondition, presentMedication } from './patients.presenter.ts';
import {
  allergyCreateSchema,
  allergyStatusSchema,
  allergyView,
  conditionCreateSchema,
  conditionStatusSchema,
  conditionView,
  medicationCreateSchema,
  medicationStatusSchema,
  medicationView,
  patientCreateSchema,
  patientHistoryView,
  patientSearchSchema,
  patientSummaryView,
  patientUpdateSchema,
  patientView,
} from './patients.schemas.ts';
import * as patients from './patients.service.ts';

const patientParams = z.strictObject({ patientId: z.uuid() });
const entryParams = (name: string) => z.strictObject({ patientId: z.uuid(), [name]: z.uuid() });

/** Parses `If-Match: "3"` (or W/"3"); absent is fine, malformed is a 400. */
function ifMatchVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(String(header).trim());
  if (!match)
    throw new Invalid('If-Match must be the ETag of the record, e.g. "3".', [
      { path: 'If-Match', message: 'Use the ETag you received.' },
    ]);
  return Number(match[1]);
}

function privateRecord(reply: FastifyReply, version?: number): void {
  // Patient data must not sit in shared or browser caches.
  reply.header('cache-control', 'no-store');
  if (version !== undefined) reply.header('etag', `"${version}"`);
}

export function patientRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['patients'];

  app.get(
    '/api/v1/patients',
    {
      config: { permission: 'patient.read' },
      schema: {
        tags,
        summary: 'Find patients by name, date of birth or MRN',
        querystring: patientSearchSchema,
        response: {
          200: z.object({ items: z.array(patientSummaryView), nextCursor: z.string().nullable() }),
        },
      },
    },
    async (request, reply) => {
      privateRecord(reply);
      return run(request, (ctx) => patients.searchPatients(ctx, request.query));
    },
  );

  app.post(
    '/api/v1/patients',
    {
      config: { permission: 'patient.create' },
      schema: {
        tags,
        summary: 'Register a patient',
        body: patientCreateSchema,
        response: { 201: patientView },
      },
    },
    async (request, reply) => {
      const created = await run(request, (ctx) => patients.createPatient(ctx, request.body));
      privateRecord(reply, created.version);
      return reply.status(201).header('location', `/api/v1/patients/${created.id}`).send(created);
    },
  );

  app.get(
    '/api/v1/patients/:patientId',
    {
      config: { permission: 'patient.read' },
      schema: { tags, summary: 'Open a chart', params: patientParams, response: { 200: patientView } },
    },
    async (request, reply) => {
      const chart = await run(request, (ctx) => patients.readPatient(ctx, request.params.patientId));
      privateRecord(reply, chart.version);
      return chart;
    },
  );

  app.patch(
    '/api/v1/patients/:patientId',
    {
      config: { permission: 'patient.update' },
      schema: {
        tags,
        summary: 'Amend demographics (optimistic concurrency by version)',
        params: patientParams,
        body: patientUpdateSchema,
        response: { 200: patientView },
      },
    },
    async (request, reply) => {
      const expected = ifMatchVersion(request);
      const chart = await run(request, (ctx) =>
        patients.updatePatient(ctx, request.params.patientId, request.body, expected),
      );
      privateRecord(reply, chart.version);
      return chart;
    },
  );

  app.get(
    '/api/v1/patients/:patientId/history',
    {
      config: { permission: 'patient.read' },
      schema: {
        tags,
        summary: 'Earlier versions of the demographics',
        params: patientParams,
        response: { 200: patientHistoryView },
      },
    },
    async (request, reply) => {
      privateRecord(reply);
      return run(request, (ctx) => patients.patientHistory(ctx, request.params.patientId));
    },
  );

  app.post(
    '/api/v1/patients/:patientId/conditions',
    {
      config: { permission: 'patient.clinical.update' },
      schema: {
        tags,
        summary: 'Add a diagnosis (ICD-10-CM)',
        params: patientParams,
        body: conditionCreateSchema,
        response: { 201: conditionView },
      },
    },
    async (request, reply) => {
      const row = await run(request, (ctx) =>
        patients.addCondition(ctx, request.params.patientId, request.body),
      );
      privateRecord(reply);
      return reply.status(201).send(presentCondition(row));
    },
  );

  app.patch(
    '/api/v1/patients/:patientId/conditions/:conditionId',
    {
      config: { permission: 'patient.clinical.update' },
      schema: {
        tags,
        summary: 'Resolve a diagnosis or mark it entered in error',
        params: entryParams('conditionId'),
        body: conditionStatusSchema,
        response: { 200: conditionView },
      },
    },
    async (request, reply) => {
      const { patientId, conditionId } = request.params as { patientId: string; conditionId: string };
      const row = await run(request, (ctx) =>
        patients.changeConditionStatus(ctx, patientId, conditionId, request.body),
      );
      privateRecord(reply);
      return presentCondition(row);
    },
  );

  app.post(
    '/api/v1/patients/:patientId/medications',
    {
      config: { permission: 'patient.clinical.update' },
      schema: {
        tags,
        summary: 'Add a medication',
        params: patientParams,
        body: medicationCreateSchema,
        response: { 201: medicationView },
      },
    },
    async (request, reply) => {
      const row = await run(request, (ctx) =>
        patients.addMedication(ctx, request.params.patientId, request.body),
      );
      privateRecord(reply);
      return reply.status(201).send(presentMedication(row));
    },
  );

  app.patch(
    '/api/v1/patients/:patientId/medications/:medicationId',
    {
      config: { permission: 'patient.clinical.update' },
      schema: {
        tags,
        summary: 'Stop a medication or mark it entered in error',
        params: entryParams('medicationId'),
        body: medicationStatusSchema,
        response: { 200: medicationView },
      },
    },
    async (request, reply) => {
      const { patientId, medicationId } = request.params as { patientId: string; medicationId: string };
      const row = await run(request, (ctx) =>
        patients.changeMedicationStatus(ctx, patientId, medicationId, request.body),
      );
      privateRecord(reply);
      return presentMedication(row);
    },
  );

  app.post(
    '/api/v1/patients/:patientId/allergies',
    {
      config: { permission: 'patient.clinical.update' },
      schema: {
        tags,
        summary: 'Add an allergy',
        params: patientParams,
        body: allergyCreateSchema,
        response: { 201: allergyView },
      },
    },
    async (request, reply) => {
      const row = await run(request, (ctx) =>
        patients.addAllergy(ctx, request.params.patientId, request.body),
      );
      privateRecord(reply);
      return reply.status(201).send(presentAllergy(row));
    },
  );

  app.patch(
    '/api/v1/patients/:patientId/allergies/:allergyId',
    {
      config: { permission: 'patient.clinical.update' },
      schema: {
        tags,
        summary: 'Inactivate an allergy or mark it entered in error',
        params: entryParams('allergyId'),
        body: allergyStatusSchema,
        response: { 200: allergyView },
      },
    },
    async (request, reply) => {
      const { patientId, allergyId } = request.params as { patientId: string; allergyId: string };
      const row = await run(request, (ctx) =>
        patients.changeAllergyStatus(ctx, patientId, allergyId, request.body),
      );
      privateRecord(reply);
      return presentAllergy(row);
    },
  );

  app.get(
    '/api/v1/me/patient',
    {
      config: { permission: 'portal.self' },
      schema: { tags: ['portal'], summary: "A patient's own record", response: { 200: patientView } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      // The route's permission (portal.self) is held by patient accounts only; this narrows the type.
      if (actor.kind !== 'patient') throw new Forbidden('This is the patient portal’s own-record view.');
      const chart = await run(request, (ctx) => patients.readPatient(ctx, actor.patientId));
      privateRecord(reply, chart.version);
      return chart;
    },
  );
}
