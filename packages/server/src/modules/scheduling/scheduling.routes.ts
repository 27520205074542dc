import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import { appointmentKinds } from '../../db/schema/scheduling.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import * as scheduling from './scheduling.service.ts';

const instant = z.iso.datetime({ offset: true });
const appointmentView = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  kind: z.enum(appointmentKinds),
  roomId: z.uuid().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(['scheduled', 'cancelled']),
  note: z.string().nullable(),
  staff: z.array(z.object({ userId: z.uuid(), role: z.string(), displayName: z.string() })),
});
const roomView = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(['dosing-room', 'therapy-room', 'exam-room']),
  active: z.boolean(),
});

export function schedulingRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['scheduling'];

  app.post(
    '/api/v1/appointments',
    {
      config: { permission: 'schedule.manage' },
      schema: {
        tags,
        summary: 'Book an appointment (a room, staff or patient cannot be double-booked)',
        body: z.strictObject({
          patientId: z.uuid(),
          kind: z.enum(appointmentKinds),
          roomId: z.uuid().nullable().optional(),
          startsAt: instant,
          endsAt: instant,
          staff: z
            .array(z.strictObject({ userId: z.uuid(), role: z.enum(['prescriber', 'nurse', 'therapist']) }))
            .max(6)
            .default([]),
          note: z.string().trim().max(2000).nullable().optional(),
        }),
        response: { 201: appointmentView },
      },
    },
    async (request, reply) => {
      const booked = await run(request, (ctx) => scheduling.bookAppointment(ctx, request.body));
      return reply.status(201).header('cache-control', 'no-store').send(booked);
    },
  );

  app.get(
    '/api/v1/appointments',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary: 'The calendar between two instants (at most 62 days)',
        querystring: z.strictObject({
          from: instant,
          to: instant,
          roomId: z.uuid().optional(),
          userId: z.uuid().optional(),
          patientId: z.uuid().optional(),
          includeCancelled: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: z.object({ items: z.array(appointmentView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { includeCancelled, ...filters } = request.query;
      return run(request, (ctx) =>
        scheduling.listAppointments(ctx, { ...filters, includeCancelled: includeCancelled === 'true' }),
      );
    },
  );

  app.post(
    '/api/v1/appointments/:appointmentId/cancel',
    {
      config: { permission: 'schedule.manage' },
      schema: {
        tags,
        summary: 'Cancel an appointment (kept, with the reason)',
        params: z.strictObject({ appointmentId: z.uuid() }),
        body: z.strictObject({ reason: z.string().trim().min(3).max(500) }),
        response: { 200: appointmentView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) =>
        scheduling.cancelAppointment(ctx, request.params.appointmentId, request.body.reason),
      );
    },
  );

  app.get(
    '/api/v1/rooms',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary: 'Rooms and chairs',
        response: { 200: z.object({ items: z.array(roomView) }) },
      },
    },
    async (request) => run(request, (ctx) => scheduling.listRooms(ctx)),
  );

  app.post(
    '/api/v1/rooms',
    {
      config: { permission: 'rooms.manage' },
      schema: {
        tags,
        summary: 'Add a room or chair',
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          kind: z.enum(['dosing-room', 'therapy-room', 'exam-room']),
        }),
        response: { 201: roomView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await run(request, (ctx) => scheduling.createRoom(ctx, request.body))),
  );

  app.get(
    '/api/v1/staff/bookable',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary: 'Clinicians who can be booked, with their roles',
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.uuid(), displayName: z.string(), roles: z.array(z.string()) })),
          }),
        },
      },
    },
    async (request) => run(request, (ctx) => scheduling.listBookableStaff(ctx)),
  );
}
