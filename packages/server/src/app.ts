import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import type { AppDeps } from './deps.ts';
import { errorHandler, sendProblem } from './http/problem.ts';
import { alertsRoutes } from './modules/alerts/alerts.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { breakGlassRoutes } from './modules/break-glass/break-glass.routes.ts';
import { consentRoutes } from './modules/consent/consent.routes.ts';
import { eligibilityRoutes } from './modules/eligibility/eligibility.routes.ts';
import { intakeRoutes } from './modules/intake/intake.routes.ts';
import { integrationRoutes } from './modules/integration/integration.routes.ts';
import { invitationRoutes } from './modules/invitations/invitations.routes.ts';
import { experienceRatingRoutes } from './modules/journal/experience-ratings.routes.ts';
import { journalRoutes } from './modules/journal/journal.routes.ts';
import { ledgerRoutes } from './modules/ledger/ledger.routes.ts';
import { ledgerReportRoutes } from './modules/ledger/ledger-reports.routes.ts';
import { mailRoutes } from './modules/mail/mail.routes.ts';
import { measureScheduleRoutes } from './modules/measures/measure-schedule.routes.ts';
import { measuresRoutes } from './modules/measures/measures.routes.ts';
import { kapstoneVersion, metaRoutes } from './modules/meta/meta.routes.ts';
import { outcomesRoutes } from './modules/outcomes/outcomes.routes.ts';
import { patientRoutes } from './modules/patients/patients.routes.ts';
import { planRoutes } from './modules/plans/plans.routes.ts';
import { portalRoutes } from './modules/portal/portal.routes.ts';
import { preparationRoutes } from './modules/preparation/preparation.routes.ts';
import { reminderRoutes } from './modules/reminders/reminders.routes.ts';
import { remsRoutes } from './modules/rems/rems.routes.ts';
import { researchExportRoutes } from './modules/research-export/research-export.routes.ts';
import { schedulingRoutes } from './modules/scheduling/scheduling.routes.ts';
import { vitalsRoutes } from './modules/screening/vitals.routes.ts';
import { adverseEventRoutes } from './modules/session-safety/adverse-events.routes.ts';
import { dischargeInstructionRoutes } from './modules/session-safety/discharge-instructions.routes.ts';
import { psychotherapyNoteRoutes } from './modules/session-safety/psychotherapy-notes.routes.ts';
import { sessionRoutes } from './modules/sessions/sessions.routes.ts';
import { trendsRoutes } from './modules/trends/trends.routes.ts';
import securityPlugin from './security/plugin.ts';

export interface BuildAppOptions {
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  /** false silences logs (tests); otherwise pino JSON at the configured level. */
  logger?: boolean;
}

export interface RouteSummary {
  method: string;
  url: string;
  permission: string | null;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalog: RouteSummary[];
  }
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Tokens in URLs are credentials: an invitation link (the page and its API path) and a staff member's calendar
 * feed (calendar apps send no cookie) are logged without them.
 */
export function withoutUrlSecrets(path: string): string {
  return path
    .replace(/^(\/invite\/|\/api\/v1\/invitations\/)(?!accept$)[^/]+/, '$1[token]')
    .replace(/^(\/api\/v1\/calendar-feeds\/)[^/]+?(\.ics)?$/, '$1[token]$2');
}

/**
 * Logs carry request ids, methods, route patterns and status codes, never patient data: URLs are logged
 * without their query (names and dates of birth are searched), and cookies, auth headers and bodies are
 * never logged.
 */
function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      remove: true,
    },
    serializers: {
      req: (req: { method: string; url: string; id: string; routeOptions?: { url?: string } }) => ({
        id: req.id,
        method: req.method,
        route: req.routeOptions?.url,
        path: withoutUrlSecrets(req.url.split('?')[0] ?? ''),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database, clock } = options;
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(config),
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    // A sane incoming X-Request-Id (from a proxy) is kept so logs line up; otherwise a fresh UUID.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
    // Errors raised before routing (URI too long, bad percent-encoding) are problems too.
    frameworkErrors: (error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      sendProblem(reply, status, status === 400 ? 'invalid' : `http-${status}`, error.message);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // The API speaks JSON only: a text body is refused with 415 rather than parsed as a string.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const deps: AppDeps = { database: database.db, databaseKind: database.kind, clock, config };

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine sets style attributes at run time; scripts stay strictly same-origin.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kapstone API',
        version: kapstoneVersion,
        description:
          'Ketamine-assisted psychotherapy practice platform. Errors are application/problem+json (RFC 9457).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kapstone_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(securityPlugin, deps);

  // Every API route with the permission it names: the permission-walk test and the docs read this list.
  const routeCatalog: RouteSummary[] = [];
  app.decorate('routeCatalog', routeCatalog);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const config = (route.config ?? {}) as { permission?: string; public?: boolean };
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routeCatalog.push({
        method,
        url: route.url,
        permission: config.permission ?? null,
        public: config.public === true,
      });
    }
  });

  metaRoutes(app, deps);
  authRoutes(app, deps);
  patientRoutes(app, deps);
  breakGlassRoutes(app, deps);
  auditRoutes(app, deps);
  schedulingRoutes(app, deps);
  vitalsRoutes(app, deps);
  eligibilityRoutes(app, deps);
  preparationRoutes(app, deps);
  planRoutes(app, deps);
  invitationRoutes(app, deps);
  ledgerRoutes(app, deps);
  ledgerReportRoutes(app, deps);
  mailRoutes(app, deps);
  intakeRoutes(app, deps);
  measuresRoutes(app, deps);
  measureScheduleRoutes(app, deps);
  reminderRoutes(app, deps);
  alertsRoutes(app, deps);
  consentRoutes(app, deps);
  psychotherapyNoteRoutes(app, deps);
  sessionRoutes(app, deps);
  adverseEventRoutes(app, deps);
  remsRoutes(app, deps);
  dischargeInstructionRoutes(app, deps);
  integrationRoutes(app, deps);
  journalRoutes(app, deps);
  experienceRatingRoutes(app, deps);
  trendsRoutes(app, deps);
  portalRoutes(app, deps);
  outcomesRoutes(app, deps);
  researchExportRoutes(app, deps);

  await serveWebApp(app, config.webDistDir);
  return app;
}

/** The single-page app: static files, and index.html for any other GET that is not the API. */
async function serveWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  const indexFile = path.join(distDir, 'index.html');
  const built = fs.existsSync(indexFile);
  if (built) await app.register(fastifyStatic, { root: distDir, wildcard: false, index: false });
  app.setNotFoundHandler(async (request, reply) => {
    const isApi =
      request.url.startsWith('/api/') || request.url === '/api' || request.url.startsWith('/healthz');
    if (isApi || request.method !== 'GET') return sendProblem(reply, 404, 'not-found', 'No such resource.');
    if (!built) {
      return reply
        .type('text/plain; charset=utf-8')
        .send('The web app is not built yet: run `npm run build` (npm start does it for you).');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
