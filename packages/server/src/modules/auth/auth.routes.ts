import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { roles } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { Unauthenticated } from '../../errors.ts';
import { requestMeta } from '../../http/unit-of-work.ts';
import { permissionsOf } from '../../security/permissions.ts';
import { sessionCookie, toActor } from '../../security/plugin.ts';
import { SecretBox } from '../../security/secret-box.ts';
import {
  beginMfaEnrolment,
  changePassword,
  confirmMfaEnrolment,
  login,
  logout,
  verifyMfa,
} from './auth.service.ts';
import { idleExpiresAt } from './session-rules.ts';
import { findSessionByToken, type ResolvedSession, revokeSessionByToken } from './sessions.repository.ts';

export const sessionViewSchema = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    kind: z.enum(['staff', 'patient']),
  }),
  clinic: z.object({ id: z.uuid(), name: z.string(), timeZone: z.string(), demo: z.boolean() }),
  roles: z.array(z.enum(roles)),
  permissions: z.array(z.string()),
  patientId: z.uuid().nullable(),
  csrfToken: z.string(),
  mfa: z.object({ enrolled: z.boolean(), required: z.boolean() }),
  idleExpiresAt: z.string(),
  absoluteExpiresAt: z.string(),
});

export function presentSession(session: ResolvedSession, now: Date): z.infer<typeof sessionViewSchema> {
  const actor = toActor(session);
  return {
    user: {
      id: session.user.id,
      email: session.user.email,
      displayName: session.user.displayName,
      kind: session.user.kind,
    },
    clinic: {
      id: session.clinic.id,
      name: session.clinic.name,
      timeZone: session.clinic.timeZone,
      demo: session.clinic.demo,
    },
    roles: session.user.kind === 'staff' ? session.roles : [],
    permissions: [...permissionsOf(actor)].sort(),
    patientId: session.user.patientId,
    csrfToken: session.csrfToken,
    mfa: { enrolled: session.user.mfaEnrolled, required: session.clinic.settings.mfaRequired },
    idleExpiresAt: idleExpiresAt(session, now).toISOString(),
    absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
  };
}

/** Sets the session cookie as sign-in does (also used when a patient accepts a portal invitation). */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): FastifyReply {
  return reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure,
    // The server enforces the 12-hour absolute limit; the cookie itself lives for the browser session.
  });
}

const email = z.string().trim().min(3).max(254).pipe(z.email());
const loginBody = z.strictObject({ email, password: z.string().min(1).max(1024) });
const codeBody = z.strictObject({ code: z.string().trim().min(6).max(32) });
const loginResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('authenticated'), session: sessionViewSchema }),
  // The half-open session's CSRF token comes along, for the MFA requests that follow.
  z.object({ status: z.literal('mfa-required'), csrfToken: z.string() }),
  z.object({ status: z.literal('mfa-enrolment-required'), csrfToken: z.string() }),
]);

export function authRoutes(appBase: FastifyInstance, appDeps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const deps = { ...appDeps, secrets: new SecretBox(appDeps.config.secretKey) };
  const setCookie = (reply: FastifyReply, token: string) =>
    setSessionCookie(reply, token, deps.config.secureCookies);
  const reload = async (token: string | undefined): Promise<ResolvedSession> => {
    const session = token ? await findSessionByToken(deps.database, token) : null;
    if (!session) throw new Unauthenticated('Sign in to continue.');
    return session;
  };

  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true, replacesSession: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: loginBody,
        response: { 200: loginResponse },
      },
    },
    async (request, reply) => {
      const outcome = await login(deps, request.body, requestMeta(request));
      // The session the browser held until now (e.g. a half-open one from a reloaded MFA step) ends here.
      const previous = request.cookies[sessionCookie];
      if (previous && previous.length <= 128)
        await revokeSessionByToken(deps.database, previous, deps.clock.now(), 'replaced');
      setCookie(reply, outcome.session.token);
      if (outcome.status !== 'authenticated')
        return { status: outcome.status, csrfToken: outcome.session.csrfToken };
      const session = await reload(outcome.session.token);
      return { status: 'authenticated' as const, session: presentSession(session, deps.clock.now()) };
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'The current session', response: { 200: sessionViewSchema } },
    },
    async (request) => {
      if (!request.actor || !request.authSession) throw new Unauthenticated('Not signed in.');
      return presentSession(request.authSession, deps.clock.now());
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { public: true, allowMfaPending: true }, schema: { tags: ['auth'], summary: 'Sign out' } },
    async (request, reply) => {
      if (request.authSession) await logout(deps, request.authSession, requestMeta(request));
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/auth/mfa/verify',
    {
      config: { public: true, allowMfaPending: true },
      schema: {
        tags: ['auth'],
        summary: 'Second factor: TOTP or recovery code',
        body: codeBody,
        response: { 200: loginResponse },
      },
    },
    async (request, reply) => {
      if (!request.authSession?.mfaPending) throw new Unauthenticated('Sign in with your password first.');
      const { token } = await verifyMfa(deps, request.authSession, request.body.code, requestMeta(request));
      setCookie(reply, token);
      return {
        status: 'authenticated' as const,
        session: presentSession(await reload(token), deps.clock.now()),
      };
    },
  );

  app.post(
    '/api/v1/auth/mfa/enrolment',
    {
      config: { public: true, allowMfaPending: true },
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment',
        response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }) },
      },
    },
    async (request) => {
      if (!request.authSession) throw new Unauthenticated('Sign in to continue.');
      return beginMfaEnrolment(deps, request.authSession);
    },
  );

  app.post(
    '/api/v1/auth/mfa/enrolment/confirm',
    {
      config: { public: true, allowMfaPending: true },
      schema: {
        tags: ['auth'],
        summary: 'Confirm TOTP enrolment; returns recovery codes once',
        body: codeBody,
        response: { 200: z.object({ recoveryCodes: z.array(z.string()), session: sessionViewSchema }) },
      },
    },
    async (request, reply) => {
      if (!request.authSession) throw new Unauthenticated('Sign in to continue.');
      const { recoveryCodes, token } = await confirmMfaEnrolment(
        deps,
        request.authSession,
        request.body.code,
        requestMeta(request),
      );
      setCookie(reply, token);
      return {
        recoveryCodes,
        session: presentSession(await reload(token), deps.clock.now()),
      };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Change password (ends every other session)',
        body: z.strictObject({
          currentPassword: z.string().min(1).max(1024),
          newPassword: z.string().min(1).max(1024),
        }),
      },
    },
    async (request, reply) => {
      if (!request.actor) throw new Unauthenticated('Sign in to continue.');
      await changePassword(deps, request.actor, request.body, requestMeta(request));
      return reply.status(204).send();
    },
  );
}
