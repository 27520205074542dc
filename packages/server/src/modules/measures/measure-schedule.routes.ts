import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { getMeasureSchedule } from './measure-schedule.service.ts';

const scheduleEntryView = z.object({
  scheduleKey: z.string(),
  reason: z.enum(['baseline', 'pre-dose', 'weekly', 'end-of-course', 'follow-up']),
  instrument: z.string(),
  instrumentName: z.string(),
  dueDate: z.string(),
  status: z.enum(['planned', 'due', 'completed', 'missed']),
  anchor: z.enum(['anchored', 'planned']),
  explanation: z.string(),
  assignmentId: z.string().nullable(),
  completedAt: z.string().nullable(),
  responseId: z.string().nullable(),
});

export const measureScheduleView = z.object({
  planId: z.string().nullable(),
  protocolId: z.string().nullable(),
  /** The day the plan ended, if it did. */
  planEnded: z.string().nullable(),
  lastDose: z.string().nullable(),
  today: z.string(),
  entries: z.array(scheduleEntryView),
});

export function measureScheduleRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/patients/:patientId/measure-schedule',
    {
      config: { permission: 'patient.clinical.read' },
      schema: {
        tags: ['measures'],
        summary: 'The measure schedule of the patient’s course: planned, due, completed and missed measures',
        params: z.strictObject({ patientId: z.uuid() }),
        response: { 200: measureScheduleView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, (ctx) =>
        getMeasureSchedule(ctx, request.params.patientId),
      );
    },
  );
}
