import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { Forbidden, Unauthenticated } from '../errors.ts';
import { sendProblem } from '../http/problem.ts';
import { needsTouch, sessionState } from '../modules/auth/session-rules.ts';
import {
  findSessionByToken,
  type ResolvedSession,
  touchSession,
} from '../modules/auth/sessions.repository.ts';
import { hasPermission, type Permission } from './permissions.ts';

export const sessionCookie = 'kapstone_session';
export const csrfHeader = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, or null. Set only for a live, fully authenticated session. */
    actor: Actor | null;
    /** The session behind the cookie, including a half-open one waiting for MFA. */
    authSession: ResolvedSession | null;
  }
  interface FastifyContextConfig {
    /** The permission a route needs. Every /api/v1 route names one, or says it is public. */
    permission?: Permission;
    /** Reachable without signing in (login, meta, the session probe). */
    public?: boolean;
    /** Reachable by a session that has passed the password but not yet the second factor. */
    allowMfaPending?: boolean;
    /**
     * The route does not act on the session the cookie carries, it replaces it (sign-in): the cookie is not
     * resolved and no CSRF token is asked. Without this, a browser reloaded during the MFA step (cookie
     * alive, CSRF token lost from memory) could not sign in again until the half-open session timed out.
     */
    replacesSession?: boolean;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function toActor(session: ResolvedSession): Actor {
  const base = {
    userId: session.user.id,
    clinicId: session.user.clinicId,
    sessionId: session.sessionId,
    email: session.user.email,
    displayName: session.user.displayName,
  };
  return session.user.kind === 'patient'
    ? { ...base, kind: 'patient', patientId: session.user.patientId! }
    : { ...base, kind: 'staff', roles: session.roles };
}

/**
 * Authentication, CSRF and authorization for every request. Deny by default: an /api/v1 route that names
 * neither a permission nor `public` cannot even be registered.
 */
async function securityPlugin(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.decorateRequest('actor', null);
  app.decorateRequest('authSession', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const config = route.config as { permission?: Permission; public?: boolean } | undefined;
    if (!config?.permission && !config?.public) {
      throw new Error(
        `Route ${route.method} ${route.url} names no permission: every API route must (deny by default)`,
      );
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // Static files and the app shell need no session: no database round trip for them.
    if (!request.url.startsWith('/api/')) return;
    if (request.routeOptions.config?.replacesSession) return;
    const token = request.cookies[sessionCookie];
    if (!token || token.length > 128) return;
    const session = await findSessionByToken(deps.database, token);
    const now = deps.clock.now();
    if (!session || sessionState(session, now) !== 'active' || session.user.disabled) {
      // A dead cookie is cleared, and the request goes on as anonymous (public routes still work).
      reply.clearCookie(sessionCookie, { path: '/' });
      return;
    }
    // CSRF: a state-changing request that rides on the cookie must echo the session's token in a header
    // that a cross-site form cannot set (OWASP CSRF Prevention Cheat Sheet, synchronizer token pattern).
    if (!safeMethods.has(request.method)) {
      const sent = request.headers[csrfHeader];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) {
        return sendProblem(reply, 403, 'csrf', `Missing or wrong ${csrfHeader} header.`);
      }
    }
    if (needsTouch(session, now)) {
      await touchSession(deps.database, session.sessionId, now);
      session.lastSeenAt = now;
    }
    request.authSession = session;
    if (!session.mfaPending) request.actor = toActor(session);
  });

  app.addHook('preHandler', async (request: FastifyRequest) => {
    if (request.is404 || !request.url.startsWith('/api/v1')) return;
    const config = request.routeOptions.config;
    if (config.public) return;
    if (config.allowMfaPending && request.authSession) return;
    if (!request.actor) throw new Unauthenticated('Sign in to continue.');
    if (config.permission && !hasPermission(request.actor, config.permission)) {
      throw new Forbidden('Your role does not allow this.');
    }
  });
}

export default fp(securityPlugin, { name: 'kapstone-security' });
