import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import * as alerts from './alerts.service.ts';
import * as alertSettings from './alerts.settings.ts';

const person = z.object({ id: z.uuid(), displayName: z.string() });
const alertView = z.object({
  id: z.uuid(),
  patient: z.object({ id: z.uuid(), displayName: z.string(), mrn: z.string() }),
  kind: z.string(),
  severity: z.enum(['critical', 'high', 'moderate', 'low']),
  summary: z.string(),
  source: z.object({ type: z.string(), id: z.uuid() }),
  owner: person.nullable(),
  status: z.enum(['open', 'acknowledged']),
  raisedAt: z.string(),
  acknowledgement: z.object({ at: z.string(), by: person, action: z.string() }).nullable(),
  escalation: z.discriminatedUnion('state', [
    z.object({ state: z.literal('not-configured') }),
    z.object({ state: z.literal('scheduled'), dueAt: z.string() }),
    z.object({ state: z.literal('escalated'), at: z.string(), toRole: z.string() }),
    z.object({ state: z.literal('not-escalated') }),
  ]),
});
const alertEventView = z.object({
  kind: z.enum(['raised', 'routed', 'escalated', 'reassigned', 'acknowledged']),
  at: z.string(),
  actor: person.nullable(),
  owner: person.nullable(),
  previousOwner: person.nullable(),
  role: z.string().nullable(),
  note: z.string().nullable(),
  notifiedCount: z.number().int().nullable(),
});
const alertParams = z.strictObject({ alertId: z.uuid() });
const severity = z.enum(alertSettings.alertSeverities);
const minutes = z.number().int().min(1).max(10_080);
const alertSettingsBody = z.strictObject({
  escalateAfterMinutes: z
    .strictObject({
      critical: minutes.optional(),
      high: minutes.optional(),
      moderate: minutes.optional(),
      low: minutes.optional(),
    })
    .default({}),
  onCallRole: z.enum(alertSettings.onCallRoles).nullable().default(null),
  onCallUserIds: z.array(z.uuid()).max(50).default([]),
});
const alertSettingsView = z.object({
  settings: z.object({
    escalateAfterMinutes: z.object({
      critical: z.number().optional(),
      high: z.number().optional(),
      moderate: z.number().optional(),
      low: z.number().optional(),
    }),
    onCallRole: z.enum(alertSettings.onCallRoles).nullable(),
    onCallUserIds: z.array(z.uuid()),
  }),
  onCall: z.array(person),
  notConfigured: z.array(severity),
});

export function alertsRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['alerts'];

  app.get(
    '/api/v1/alerts',
    {
      config: { permission: 'alerts.read' },
      schema: {
        tags,
        summary:
          'The alerts inbox: alerts of the patients whose clinical record I may open, and those escalated to me on call',
        querystring: z.strictObject({
          status: z.enum(['open', 'acknowledged']).default('open'),
          scope: z.enum(['mine', 'unassigned', 'escalated', 'all']).default('all'),
          kind: z
            .string()
            .regex(/^[a-z][a-z0-9-]{0,49}$/, 'An alert kind, e.g. suicide-risk.')
            .optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
          cursor: z.string().max(500).optional(),
        }),
        response: { 200: z.object({ items: z.array(alertView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => alerts.listAlerts(ctx, request.query));
    },
  );

  app.post(
    '/api/v1/alerts/:alertId/acknowledge',
    {
      config: { permission: 'alerts.acknowledge' },
      schema: {
        tags,
        summary: 'Acknowledge an alert, saying what was done',
        params: alertParams,
        body: z.strictObject({
          action: z.string().trim().min(3, 'Say what you did about this alert.').max(2000),
        }),
        response: { 200: alertView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => alerts.acknowledgeAlert(ctx, request.params.alertId, request.body.action));
    },
  );

  app.get(
    '/api/v1/alerts/:alertId',
    {
      config: { permission: 'alerts.read' },
      schema: {
        tags,
        summary: 'One alert with its trail: raised, routed, escalated, reassigned, acknowledged',
        params: alertParams,
        response: { 200: alertView.extend({ events: z.array(alertEventView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => alerts.getAlert(ctx, request.params.alertId));
    },
  );

  app.post(
    '/api/v1/alerts/:alertId/reassign',
    {
      config: { permission: 'alerts.acknowledge' },
      schema: {
        tags,
        summary:
          'Hand an open alert to another prescriber, nurse or therapist of the clinic, with the reason',
        params: alertParams,
        body: z.strictObject({
          toUserId: z.uuid(),
          reason: z.string().trim().min(3, 'Say why it goes to them.').max(1000),
        }),
        response: { 200: alertView.extend({ events: z.array(alertEventView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => alerts.reassignAlert(ctx, request.params.alertId, request.body));
    },
  );

  app.get(
    '/api/v1/care-settings/alerts',
    {
      config: { permission: 'alerts.read' },
      schema: {
        tags,
        summary: 'When unacknowledged alerts escalate, to which on-call role, and who is on call now',
        response: { 200: alertSettingsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => alertSettings.getAlertSettings(ctx));
    },
  );

  app.get(
    '/api/v1/care-settings/alerts/admin',
    {
      config: { permission: 'care.settings.manage' },
      schema: {
        tags,
        summary: 'The escalation settings for the admins’ form, with the clinical staff who may be on call',
        response: {
          200: alertSettingsView.extend({
            candidates: z.array(person.extend({ roles: z.array(z.enum(alertSettings.onCallRoles)) })),
          }),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => alertSettings.getAlertSettingsForm(ctx));
    },
  );

  app.put(
    '/api/v1/care-settings/alerts',
    {
      config: { permission: 'care.settings.manage' },
      schema: {
        tags,
        summary:
          'Set escalation times per severity (no default: the reference gives none) and the on-call role',
        body: alertSettingsBody,
        response: { 200: alertSettingsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => alertSettings.updateAlertSettings(ctx, request.body));
    },
  );
}
