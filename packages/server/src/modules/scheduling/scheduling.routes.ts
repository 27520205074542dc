import fastifyRateLimit from '@fastify/rate-limit';
import { appointmentLength, type Product, type Route } from '@kapstone/clinical';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import { appointmentKinds } from '../../db/schema/scheduling.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import * as feeds from './calendar-feed.service.ts';
import * as portal from './portal-appointments.service.ts';
import * as preCheckIn from './pre-check-in.service.ts';
import { proposeCourse } from './proposals.ts';
import * as scheduling from './scheduling.service.ts';
import {
  getSchedulingSettings,
  loadSchedulingContext,
  updateSchedulingSettings,
} from './scheduling-settings.ts';
import * as hours from './working-hours.service.ts';

const instant = z.iso.datetime({ offset: true });
const bookedRole = z.enum(['prescriber', 'nurse', 'therapist', 'monitor']);
const staffView = z.object({ userId: z.uuid(), role: z.string(), displayName: z.string() });
const appointmentView = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  patient: z.object({ displayName: z.string(), mrn: z.string() }).nullable(),
  kind: z.enum(appointmentKinds),
  roomId: z.uuid().nullable(),
  roomName: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(['scheduled', 'cancelled']),
  note: z.string().nullable(),
  planId: z.uuid().nullable(),
  protocolId: z.string().nullable(),
  route: z.string().nullable(),
  product: z.string().nullable(),
  cancelReason: z.string().nullable(),
  staff: z.array(staffView),
  rideHomeConfirmed: z.boolean().nullable(),
  noDrivingAcknowledged: z.boolean().nullable(),
  rideHome: z
    .object({
      status: z.enum(['confirmed', 'withdrawn']),
      escortName: z.string().nullable(),
      escortPhone: z.string().nullable(),
      escortRelationship: z.string().nullable(),
      confirmedBy: z.uuid(),
      confirmedByName: z.string(),
      confirmedAt: z.string(),
    })
    .nullable(),
});
const proposedSlot = z.object({
  startsAt: z.string(),
  endsAt: z.string(),
  roomId: z.uuid().nullable(),
  roomName: z.string().nullable(),
  staff: z.array(z.object({ userId: z.uuid(), role: bookedRole, displayName: z.string() })),
});
const bookedView = appointmentView.extend({
  warnings: z.array(z.string()),
  integrationProposals: z.array(proposedSlot),
});
const roomView = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(['dosing-room', 'therapy-room', 'exam-room']),
  active: z.boolean(),
});
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 24-hour');
const workingHoursView = z.object({
  timeZone: z.string(),
  items: z.array(
    z.object({
      userId: z.uuid(),
      spans: z.array(z.object({ weekday: z.number(), startsAt: z.string(), endsAt: z.string() })),
    }),
  ),
});
const minutes = z.number().int().min(5).max(720).nullable().optional();
const settingsBody = z.strictObject({
  lengths: z
    .strictObject({
      preparationMinutes: minutes,
      integrationMinutes: minutes,
      followUpMinutes: minutes,
      screeningMinutes: minutes,
      ivDosingMinutes: minutes,
      imDosingMinutes: minutes,
      sublingualDosingMinutes: minutes,
      oralDosingMinutes: minutes,
      intranasalRacemicDosingMinutes: minutes,
      esketamineDosingMinutes: minutes,
      minimumObservationMinutes: minutes,
    })
    .default({}),
  fastingHours: z.number().min(0.5).max(24).nullable().default(null),
});
const settingsView = z.object({
  timeZone: z.string(),
  lengths: z.record(z.string(), z.number().nullable().optional()),
  fastingHours: z.number().nullable(),
});
const preCheckInView = z.object({
  appointmentId: z.uuid(),
  rideHomeConfirmed: z.boolean(),
  noDrivingAcknowledged: z.boolean(),
  rideHome: z.array(
    z.object({
      id: z.uuid(),
      status: z.enum(['confirmed', 'withdrawn']),
      escortName: z.string().nullable(),
      escortPhone: z.string().nullable(),
      escortRelationship: z.string().nullable(),
      supersedesId: z.uuid().nullable(),
      confirmedBy: z.object({ id: z.uuid(), displayName: z.string() }),
      confirmedAt: z.string(),
    }),
  ),
  noDriving: z
    .object({
      id: z.uuid(),
      via: z.enum(['portal', 'staff-on-behalf']),
      recordedBy: z.object({ id: z.uuid(), displayName: z.string() }),
      statement: z.string(),
      acknowledgedAt: z.string(),
    })
    .nullable(),
  statement: z.string(),
});
const feedView = z.object({
  active: z.boolean(),
  createdAt: z.string().nullable(),
  lastFetchedAt: z.string().nullable(),
  fetchCount: z.number(),
});
const bookingStaff = z
  .array(z.strictObject({ userId: z.uuid(), role: bookedRole }))
  .max(6)
  .default([]);
const courseItem = z.strictObject({
  kind: z.enum(['preparation', 'dosing', 'integration', 'follow-up']),
  startsAt: instant,
  endsAt: instant.nullable().optional(),
  roomId: z.uuid().nullable().optional(),
  staff: bookingStaff,
  note: z.string().trim().max(2000).nullable().optional(),
});
const routes = ['iv', 'im', 'sublingual', 'oral', 'intranasal'] as const;

/** The feed is for calendar apps polling every few minutes at most: 30 fetches a minute per address. */
const feedRateLimit = { max: 30, timeWindow: '1 minute' };

export function schedulingRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['scheduling'];
  const noStore = { 'cache-control': 'no-store' };

  app.post(
    '/api/v1/appointments',
    {
      config: { permission: 'schedule.manage' },
      schema: {
        tags,
        summary:
          'Book an appointment (no double booking; a dosing session needs the pathway, its staffing and the observation minimum)',
        body: z.strictObject({
          patientId: z.uuid(),
          kind: z.enum(appointmentKinds),
          roomId: z.uuid().nullable().optional(),
          startsAt: instant,
          endsAt: instant.nullable().optional(),
          staff: bookingStaff,
          note: z.string().trim().max(2000).nullable().optional(),
        }),
        response: { 201: bookedView },
      },
    },
    async (request, reply) => {
      const booked = await run(request, (ctx) => scheduling.bookAppointment(ctx, request.body));
      return reply.status(201).headers(noStore).send(booked);
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
        response: { 200: z.object({ timeZone: z.string(), items: z.array(appointmentView) }) },
      },
    },
    async (request, reply) => {
      reply.headers(noStore);
      const { includeCancelled, ...filters } = request.query;
      return run(request, (ctx) =>
        scheduling.listAppointments(ctx, { ...filters, includeCancelled: includeCancelled === 'true' }),
      );
    },
  );

  app.get(
    '/api/v1/appointments/:appointmentId',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary: 'One appointment',
        params: z.strictObject({ appointmentId: z.uuid() }),
        response: { 200: appointmentView },
      },
    },
    async (request, reply) => {
      reply.headers(noStore);
      return run(request, (ctx) => scheduling.getAppointment(ctx, request.params.appointmentId));
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
      reply.headers(noStore);
      return run(request, (ctx) =>
        scheduling.cancelAppointment(ctx, request.params.appointmentId, request.body.reason),
      );
    },
  );

  app.get(
    '/api/v1/appointments/:appointmentId/pre-check-in',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary: 'Ride-home confirmations (history) and the no-driving acknowledgement of a dosing session',
        params: z.strictObject({ appointmentId: z.uuid() }),
        response: { 200: preCheckInView },
      },
    },
    async (request, reply) => {
      reply.headers(noStore);
      return run(request, (ctx) => preCheckIn.preCheckIn(ctx, request.params.appointmentId));
    },
  );

  app.post(
    '/api/v1/appointments/:appointmentId/ride-home',
    {
      config: { permission: 'schedule.manage' },
      schema: {
        tags,
        summary: 'Confirm (or withdraw) the escort who takes the patient home (append-only)',
        params: z.strictObject({ appointmentId: z.uuid() }),
        body: z.discriminatedUnion('status', [
          z.strictObject({
            clientId: z.uuid(),
            status: z.literal('confirmed'),
            escortName: z.string().trim().min(2).max(200),
            escortPhone: z
              .string()
              .trim()
              .min(5)
              .max(40)
              .regex(/^[+\d][\d\s().-]*$/, 'A phone number: digits, spaces, +, -, ( )'),
            escortRelationship: z.string().trim().min(2).max(100),
          }),
          z.strictObject({ clientId: z.uuid(), status: z.literal('withdrawn') }),
        ]),
        response: { 200: preCheckInView },
      },
    },
    async (request, reply) => {
      reply.headers(noStore);
      return run(request, (ctx) =>
        preCheckIn.confirmRideHome(ctx, request.params.appointmentId, request.body),
      );
    },
  );

  app.post(
    '/api/v1/appointments/:appointmentId/no-driving-acknowledgement',
    {
      config: { permission: 'schedule.manage' },
      schema: {
        tags,
        summary: 'Record the patient’s no-driving acknowledgement on their behalf (marked as such)',
        params: z.strictObject({ appointmentId: z.uuid() }),
        body: z.strictObject({ patientAcknowledged: z.literal(true) }),
        response: { 200: preCheckInView },
      },
    },
    async (request, reply) => {
      reply.headers(noStore);
      return run(request, async (ctx) => {
        await preCheckIn.acknowledgeNoDriving(ctx, request.params.appointmentId);
        return preCheckIn.preCheckIn(ctx, request.params.appointmentId, { audit: false });
      });
    },
  );

  app.get(
    '/api/v1/appointment-types',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary:
          'Appointment kinds with the clinic’s default and minimum lengths (dosing by route and product)',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                kind: z.enum(appointmentKinds),
                route: z.string().nullable(),
                product: z.string().nullable(),
                defaultMinutes: z.number().nullable(),
                minimumMinutes: z.number().nullable(),
                typicalRange: z.tuple([z.number(), z.number()]).nullable(),
                explanation: z.string(),
                source: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) =>
      run(request, async (ctx) => {
        const { settings } = await loadSchedulingContext(ctx);
        const combos: { kind: (typeof appointmentKinds)[number]; route?: Route; product?: Product }[] = [
          ...appointmentKinds.filter((k) => k !== 'dosing').map((kind) => ({ kind })),
          { kind: 'dosing', route: 'intranasal', product: 'esketamine' },
          ...routes.map((route) => ({
            kind: 'dosing' as const,
            route,
            product: 'ketamine-racemic' as const,
          })),
        ];
        return {
          items: combos.map((c) => {
            const length = appointmentLength(c.kind, { ...c, settings: settings.lengths });
            return {
              kind: c.kind,
              route: c.route ?? null,
              product: c.product ?? null,
              defaultMinutes: length.defaultMinutes,
              minimumMinutes: length.minimumMinutes,
              typicalRange: length.typicalRange ? [...length.typicalRange] : null,
              explanation: length.explanation,
              source: `${length.citation.section}: ${length.citation.source}`,
            };
          }),
        };
      }),
  );

  app.get(
    '/api/v1/scheduling/settings',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary: 'The clinic’s appointment lengths and fasting hours',
        response: { 200: settingsView },
      },
    },
    async (request) => run(request, (ctx) => getSchedulingSettings(ctx)),
  );

  app.put(
    '/api/v1/scheduling/settings',
    {
      config: { permission: 'rooms.manage' },
      schema: {
        tags,
        summary:
          'Set the clinic’s appointment lengths and fasting hours (no default where the reference has none)',
        body: settingsBody,
        response: { 200: settingsView },
      },
    },
    async (request) => run(request, (ctx) => updateSchedulingSettings(ctx, request.body)),
  );

  app.get(
    '/api/v1/working-hours',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary: 'Working hours of the clinic’s staff (or one person), in the clinic’s time zone',
        querystring: z.strictObject({ userId: z.uuid().optional() }),
        response: { 200: workingHoursView },
      },
    },
    async (request) => run(request, (ctx) => hours.listWorkingHours(ctx, request.query.userId)),
  );

  app.put(
    '/api/v1/staff/:userId/working-hours',
    {
      config: { permission: 'schedule.manage' },
      schema: {
        tags,
        summary: 'Replace a staff member’s weekly working hours (weekday 1 = Monday; clinic time)',
        params: z.strictObject({ userId: z.uuid() }),
        body: z.strictObject({
          spans: z
            .array(z.strictObject({ weekday: z.number().int().min(1).max(7), startsAt: hhmm, endsAt: hhmm }))
            .max(28),
        }),
        response: { 200: workingHoursView },
      },
    },
    async (request) =>
      run(request, (ctx) => hours.setWorkingHours(ctx, request.params.userId, request.body.spans)),
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

  app.post(
    '/api/v1/patients/:patientId/course-booking/proposal',
    {
      config: { permission: 'schedule.manage' },
      schema: {
        tags,
        summary: 'Propose the active plan’s course as appointments (nothing is booked)',
        params: z.strictObject({ patientId: z.uuid() }),
        response: {
          200: z.object({
            planId: z.uuid().nullable(),
            protocolId: z.string().nullable(),
            timeZone: z.string(),
            pathwayMissing: z.array(z.object({ path: z.string(), message: z.string() })),
            items: z.array(
              z.object({
                ref: z.number(),
                kind: z.enum(['preparation', 'dosing', 'integration', 'follow-up']),
                note: z.string(),
                window: z.object({ earliest: z.string(), latest: z.string() }),
                startsAt: z.string().nullable(),
                endsAt: z.string().nullable(),
                roomId: z.uuid().nullable(),
                roomName: z.string().nullable(),
                staff: proposedSlot.shape.staff,
                problem: z.string().nullable(),
                bookedAppointmentId: z.uuid().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      reply.headers(noStore);
      return run(request, (ctx) => proposeCourse(ctx, request.params.patientId));
    },
  );

  app.post(
    '/api/v1/patients/:patientId/course-booking',
    {
      config: { permission: 'schedule.manage' },
      schema: {
        tags,
        summary: 'Book a course of appointments in one transaction (all or none)',
        params: z.strictObject({ patientId: z.uuid() }),
        body: z.strictObject({ items: z.array(courseItem).min(1).max(60) }),
        response: {
          201: z.object({ items: z.array(appointmentView.extend({ warnings: z.array(z.string()) })) }),
        },
      },
    },
    async (request, reply) => {
      const booked = await run(request, (ctx) =>
        scheduling.bookCourse(ctx, request.params.patientId, request.body.items),
      );
      return reply.status(201).headers(noStore).send(booked);
    },
  );

  app.get(
    '/api/v1/me/appointments',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags,
        summary: 'The patient’s upcoming appointments with preparation reminders',
        response: {
          200: z.object({
            clinicName: z.string(),
            timeZone: z.string(),
            noDrivingStatement: z.string(),
            items: z.array(
              z.object({
                id: z.uuid(),
                kind: z.enum(appointmentKinds),
                title: z.string(),
                startsAt: z.string(),
                endsAt: z.string(),
                roomName: z.string().nullable(),
                preparation: z
                  .object({
                    fasting: z.string(),
                    rideHome: z.string(),
                    noDriving: z.string(),
                    sources: z.array(z.string()),
                  })
                  .nullable(),
                noDrivingAcknowledged: z.boolean().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      reply.headers(noStore);
      return run(request, (ctx) => portal.listMyAppointments(ctx));
    },
  );

  app.post(
    '/api/v1/me/appointments/:dosingAppointmentId/no-driving-acknowledgement',
    {
      config: { permission: 'portal.self' },
      schema: {
        tags,
        summary: 'The patient acknowledges not driving until the next day after a ketamine session',
        params: z.strictObject({ dosingAppointmentId: z.uuid() }),
        body: z.strictObject({ acknowledged: z.literal(true) }),
        response: {
          200: z.object({
            appointmentId: z.uuid(),
            noDrivingAcknowledged: z.boolean(),
            statement: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      reply.headers(noStore);
      return run(request, (ctx) => portal.acknowledgeMyNoDriving(ctx, request.params.dosingAppointmentId));
    },
  );

  app.get(
    '/api/v1/calendar-feed',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary: 'Whether the signed-in staff member has a calendar feed',
        response: { 200: feedView },
      },
    },
    async (request, reply) => {
      reply.headers(noStore);
      return run(request, (ctx) => feeds.feedStatus(ctx));
    },
  );

  app.post(
    '/api/v1/calendar-feed',
    {
      config: { permission: 'schedule.read' },
      schema: {
        tags,
        summary: 'Create or rotate one’s secret iCalendar feed (the URL is shown this once)',
        response: { 201: feedView.extend({ path: z.string(), url: z.string() }) },
      },
    },
    async (request, reply) => {
      const origin = deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
      const created = await run(request, (ctx) => feeds.createOrRotateFeed(ctx, origin.replace(/\/$/, '')));
      return reply.status(201).headers(noStore).send(created);
    },
  );

  app.delete(
    '/api/v1/calendar-feed',
    {
      config: { permission: 'schedule.read' },
      schema: { tags, summary: 'Revoke one’s calendar feed (its URL stops working)' },
    },
    async (request, reply) => {
      await run(request, (ctx) => feeds.revokeFeed(ctx));
      return reply.status(204).send();
    },
  );

  // The feed URL is the credential (calendar apps send no cookie): a public route, rate-limited per address.
  app.register(async (scope) => {
    await scope.register(fastifyRateLimit, { global: false });
    scope.withTypeProvider<ZodTypeProvider>().get(
      '/api/v1/calendar-feeds/:token.ics',
      {
        config: { public: true, rateLimit: feedRateLimit },
        schema: {
          tags,
          summary: 'A staff member’s appointments as iCalendar (RFC 5545); no patient names',
          params: z.strictObject({ token: z.string().max(100) }),
        },
      },
      async (request, reply) => {
        const body = await feeds.renderFeed(
          deps.database,
          deps.clock,
          request.params.token,
          requestMeta(request),
        );
        return reply
          .type('text/calendar; charset=utf-8')
          .header('cache-control', 'private, no-store')
          .header('content-disposition', 'inline; filename="kapstone.ics"')
          .send(body);
      },
    );
  });
}
