import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import {
  getReminderSettings,
  reminderSettingsBody,
  reminderSettingsView,
  updateReminderSettings,
} from './reminders.settings.ts';

export function reminderRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const tags = ['care-settings'];
  const url = '/api/v1/care-settings/reminders';
  app.get(
    url,
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary: 'Questionnaire reminders and missed measures: what the clinic set, and what applies',
        response: { 200: reminderSettingsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, (ctx) =>
        getReminderSettings(ctx),
      );
    },
  );
  app.put(
    url,
    {
      config: { permission: 'care.settings.manage' },
      schema: {
        tags,
        summary:
          'Set the reminder send hour, repeat interval, maximum, text messages and the missed-measure grace',
        body: reminderSettingsBody,
        response: { 200: reminderSettingsView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, (ctx) =>
        updateReminderSettings(ctx, request.body),
      );
    },
  );
}
