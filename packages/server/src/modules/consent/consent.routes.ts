import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import {
  consentsView,
  consentTextView,
  patientWithdrawalSchema,
  signatureSchema,
  signatureView,
  staffWithdrawalSchema,
  templateCreateSchema,
  templateView,
  versionPublishSchema,
} from './consent.schemas.ts';
import * as consent from './consent.service.ts';

function privateRecord(reply: FastifyReply): void {
  // Patient data must not sit in shared or browser caches.
  reply.header('cache-control', 'no-store');
}

function sendPdf(reply: FastifyReply, document: { pdf: Uint8Array; filename: string }) {
  privateRecord(reply);
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${document.filename}"`)
    .send(Buffer.from(document.pdf));
}

export function consentRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['consent'];
  const portal = ['portal'];
  const signatureParams = z.strictObject({ patientId: z.uuid(), signatureId: z.uuid() });

  // ---- Templates (clinic admin) -------------------------------------------------------------------------

  app.get(
    '/api/v1/consent-templates',
    {
      config: { permission: 'consent.templates.manage' },
      schema: {
        tags,
        summary: 'The clinic’s consent forms, each with its version in use and its history',
        response: { 200: z.object({ items: z.array(templateView) }) },
      },
    },
    async (request) => run(request, (ctx) => consent.listTemplates(ctx)),
  );

  app.post(
    '/api/v1/consent-templates',
    {
      config: { permission: 'consent.templates.manage' },
      schema: {
        tags,
        summary: 'Add a consent form (one per kind) with its first version',
        body: templateCreateSchema,
        response: { 201: templateView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await run(request, (ctx) => consent.createTemplate(ctx, request.body))),
  );

  app.post(
    '/api/v1/consent-templates/:templateId/versions',
    {
      config: { permission: 'consent.templates.manage' },
      schema: {
        tags,
        summary: 'Publish a new version (earlier ones are kept; patients must sign the new one again)',
        params: z.strictObject({ templateId: z.uuid() }),
        body: versionPublishSchema,
        response: { 201: templateView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await run(request, (ctx) => consent.publishVersion(ctx, request.params.templateId, request.body)),
        ),
  );

  // ---- Staff, on a patient's chart -----------------------------------------------------------------------

  app.get(
    '/api/v1/patients/:patientId/consents',
    {
      config: { permission: 'consent.read' },
      schema: {
        tags,
        summary: 'Consent status of each form and every signature of the patient',
        params: z.strictObject({ patientId: z.uuid() }),
        response: { 200: consentsView },
      },
    },
    async (request, reply) => {
      privateRecord(reply);
      return run(request, (ctx) => consent.patientConsents(ctx, request.params.patientId));
    },
  );

  app.post(
    '/api/v1/patients/:patientId/consents/:signatureId/countersignature',
    {
      config: { permission: 'consent.countersign' },
      schema: {
        tags,
        summary: 'Countersign the patient’s signature as the clinic’s witness (once)',
        params: signatureParams,
        response: { 201: signatureView },
      },
    },
    async (request, reply) => {
      privateRecord(reply);
      const { patientId, signatureId } = request.params;
      return reply
        .status(201)
        .send(await run(request, (ctx) => consent.countersign(ctx, patientId, signatureId)));
    },
  );

  app.post(
    '/api/v1/patients/:patientId/consents/:signatureId/withdrawal',
    {
      config: { permission: 'consent.countersign' },
      schema: {
        tags,
        summary: 'Record the patient’s withdrawal of a consent, given to staff (kept, never deleted)',
        params: signatureParams,
        body: staffWithdrawalSchema,
        response: { 200: signatureView, 201: signatureView },
      },
    },
    async (request, reply) => {
      privateRecord(reply);
      const { patientId, signatureId } = request.params;
      const result = await run(request, (ctx) =>
        consent.withdrawConsent(ctx, patientId, signatureId, request.body),
      );
      return reply.status(result.created ? 201 : 200).send(result.signature);
    },
  );

  app.get(
    '/api/v1/patients/:patientId/consents/:signatureId/document',
    {
      config: { permission: 'consent.read' },
      schema: {
        tags,
        summary: 'A printable PDF of the signed consent with its signature block',
        params: signatureParams,
      },
    },
    async (request, reply) => {
      const { patientId, signatureId } = request.params;
      return sendPdf(
        reply,
        await run(request, (ctx) => consent.consentDocument(ctx, patientId, signatureId)),
      );
    },
  );

  // ---- The patient, in the portal --------------------------------------------------------------------------

  app.get(
    '/api/v1/me/consents',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: portal,
        summary: 'The consent forms to sign and those signed',
        response: { 200: consentsView },
      },
    },
    async (request, reply) => {
      privateRecord(reply);
      return run(request, (ctx) => consent.myConsents(ctx));
    },
  );

  app.get(
    '/api/v1/me/consents/:templateVersionId',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: portal,
        summary: 'The text of a form as rendered for the patient today, and its SHA-256',
        params: z.strictObject({ templateVersionId: z.uuid() }),
        response: { 200: consentTextView },
      },
    },
    async (request, reply) => {
      privateRecord(reply);
      return run(request, (ctx) => consent.readConsentText(ctx, request.params.templateVersionId));
    },
  );

  app.post(
    '/api/v1/me/consents/:templateVersionId/signatures',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: portal,
        summary:
          'Sign a form: the typed full name, the agreement, and the SHA-256 of the text shown (idempotent by id)',
        params: z.strictObject({ templateVersionId: z.uuid() }),
        body: signatureSchema,
        response: { 200: signatureView, 201: signatureView },
      },
    },
    async (request, reply) => {
      privateRecord(reply);
      const result = await run(request, (ctx) =>
        consent.signConsent(ctx, request.params.templateVersionId, request.body),
      );
      return reply.status(result.created ? 201 : 200).send(result.signature);
    },
  );

  app.post(
    '/api/v1/me/consents/:signatureId/withdrawal',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: portal,
        summary: 'Withdraw a consent (recorded, never deleted; a reason is optional)',
        params: z.strictObject({ signatureId: z.uuid() }),
        // A body is optional: a withdrawal needs no reason.
        body: patientWithdrawalSchema.nullish(),
        response: { 200: signatureView, 201: signatureView },
      },
    },
    async (request, reply) => {
      privateRecord(reply);
      const result = await run(request, (ctx) =>
        consent.withdrawMyConsent(ctx, request.params.signatureId, request.body ?? {}),
      );
      return reply.status(result.created ? 201 : 200).send(result.signature);
    },
  );

  app.get(
    '/api/v1/me/consents/:signatureId/document',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags: portal,
        summary: 'A printable PDF of a consent the patient signed',
        params: z.strictObject({ signatureId: z.uuid() }),
      },
    },
    async (request, reply) =>
      sendPdf(reply, await run(request, (ctx) => consent.myConsentDocument(ctx, request.params.signatureId))),
  );
}
