import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import { mailStatuses } from '../../db/schema/index.ts';
import type { AppDeps } from '../../deps.ts';
import { Unauthenticated } from '../../errors.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { sessionCookie } from '../../security/plugin.ts';
import { presentSession, sessionViewSchema, setSessionCookie } from '../auth/auth.routes.ts';
import { findSessionByToken, revokeSessionByToken } from '../auth/sessions.repository.ts';
import * as invitations from './invitations.service.ts';

const statuses = ['pending', 'expired', 'accepted', 'revoked', 'replaced'] as const;
const invitationView = z.object({
  id: z.uuid(),
  email: z.string(),
  status: z.enum(statuses),
  createdAt: z.string(),
  createdBy: z.object({ id: z.uuid(), displayName: z.string() }),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  replacesId: z.uuid().nullable(),
  mail: z.object({ id: z.uuid(), status: z.enum(mailStatuses), sentAt: z.string().nullable() }).nullable(),
});
const issuedView = invitationView.extend({ demoLink: z.string().nullable() });

const email = z.string().trim().min(3).max(254).pipe(z.email());
/** Tokens are 32 random bytes in base64url (43 characters); anything else is refused before a look-up. */
const token = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Not an invitation token.');
const patientParams = z.strictObject({ patientId: z.uuid() });
const invitationParams = z.strictObject({ patientId: z.uuid(), invitationId: z.uuid() });
const addressBody = z.strictObject({ email: email.nullable().optional() }).default({});

export function invitationRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const links: invitations.InvitationLinks = {
    baseUrl: deps.config.publicUrl ?? `http://localhost:${deps.config.port}`,
    // The link is a credential: staff see it only in demo mode, where every person and address is synthetic.
    exposeLinks: deps.config.demo,
  };
  const tags = ['invitations'];

  app.get(
    '/api/v1/patients/:patientId/invitations',
    {
      config: { permission: 'portal.invite' },
      schema: {
        tags,
        summary: "The patient's portal invitations, newest first, and their portal account if any",
        params: patientParams,
        response: {
          200: z.object({
            portalAccount: z.object({ email: z.string(), createdAt: z.string() }).nullable(),
            items: z.array(invitationView),
          }),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => invitations.listInvitations(ctx, request.params.patientId));
    },
  );

  app.post(
    '/api/v1/patients/:patientId/invitations',
    {
      config: { permission: 'portal.invite' },
      schema: {
        tags,
        summary: 'Invite the patient to the portal (a single-use, expiring link by email)',
        params: patientParams,
        body: addressBody,
        response: { 201: issuedView },
      },
    },
    async (request, reply) => {
      const issued = await run(request, (ctx) =>
        invitations.createInvitation(ctx, request.params.patientId, request.body ?? {}, links),
      );
      return reply.status(201).header('cache-control', 'no-store').send(issued);
    },
  );

  app.post(
    '/api/v1/patients/:patientId/invitations/:invitationId/resend',
    {
      config: { permission: 'portal.invite' },
      schema: {
        tags,
        summary: 'Send a new link in place of this invitation (the old link stops working)',
        params: invitationParams,
        body: addressBody,
        response: { 201: issuedView },
      },
    },
    async (request, reply) => {
      const { patientId, invitationId } = request.params;
      const issued = await run(request, (ctx) =>
        invitations.resendInvitation(ctx, patientId, invitationId, request.body ?? {}, links),
      );
      return reply.status(201).header('cache-control', 'no-store').send(issued);
    },
  );

  app.post(
    '/api/v1/patients/:patientId/invitations/:invitationId/revoke',
    {
      config: { permission: 'portal.invite' },
      schema: {
        tags,
        summary: 'Withdraw an invitation (its link stops working)',
        params: invitationParams,
        response: { 200: invitationView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { patientId, invitationId } = request.params;
      return run(request, (ctx) => invitations.revokeInvitation(ctx, patientId, invitationId));
    },
  );

  // The patient's side: reachable with the link alone. A link that no longer works is 410 (expired, used,
  // withdrawn or replaced, with the reason), one never issued is 404; failures count against the address's
  // sign-in allowance (429 past it).
  app.get(
    '/api/v1/invitations/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Is this invitation link valid? (the clinic and the given name to greet the patient)',
        params: z.strictObject({ token }),
        response: {
          200: z.object({ clinicName: z.string(), givenName: z.string(), expiresAt: z.string() }),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return invitations.lookupInvitation(deps, request.params.token, requestMeta(request));
    },
  );

  app.post(
    '/api/v1/invitations/accept',
    {
      // Like sign-in, accepting replaces whatever session the browser carried.
      config: { public: true, replacesSession: true },
      schema: {
        tags,
        summary: 'Accept an invitation: create the portal account with this password and sign in',
        body: z.strictObject({ token, password: z.string().min(1).max(1024) }),
        response: {
          200: z.object({ status: z.literal('authenticated'), session: sessionViewSchema }),
        },
      },
    },
    async (request, reply) => {
      const accepted = await invitations.acceptInvitation(deps, request.body, requestMeta(request));
      const previous = request.cookies[sessionCookie];
      if (previous && previous.length <= 128)
        await revokeSessionByToken(deps.database, previous, deps.clock.now(), 'replaced');
      setSessionCookie(reply, accepted.session.token, deps.config.secureCookies);
      const session = await findSessionByToken(deps.database, accepted.session.token);
      if (!session) throw new Unauthenticated('Sign in to continue.');
      reply.header('cache-control', 'no-store');
      return { status: 'authenticated' as const, session: presentSession(session, deps.clock.now()) };
    },
  );
}
