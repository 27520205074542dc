import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import { breakGlassGrant, patient, userAccount } from '../../db/schema/index.ts';
import type { AppDeps } from '../../deps.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { careScopeOf } from '../../security/care-scope.ts';
import { breakGlassDurationMs } from '../auth/session-rules.ts';
import { isInCareTeam } from '../patients/patients.repository.ts';

/**
 * Break-glass: a clinician opens a chart outside their care team in an emergency. The reason is required,
 * the grant expires on its own, every access through it is audited as break-glass, and admins review grants.
 */
export async function grantBreakGlass(ctx: ServiceContext, patientId: string, reason: string) {
  const [target] = await ctx.tx
    .select({ id: patient.id })
    .from(patient)
    .where(and(eq(patient.clinicId, ctx.clinicId), eq(patient.id, patientId)));
  if (!target) throw new NotFound('Patient');
  if ((await careScopeOf(ctx.tx, ctx.clinicId)) === 'clinic') {
    // Nothing to break: every clinician of this clinic opens every chart. A grant would only raise a false alarm.
    throw new Conflict('In this clinic every clinician can open every chart; break-glass is not needed.');
  }
  if (await isInCareTeam(ctx.tx, ctx.clinicId, patientId, ctx.actor.userId)) {
    throw new Conflict('You are on this patient’s care team and can open the chart without break-glass.');
  }
  const now = ctx.clock.now();
  const grant = {
    id: randomUUID(),
    clinicId: ctx.clinicId,
    patientId,
    userId: ctx.actor.userId,
    reason,
    grantedAt: now,
    expiresAt: new Date(now.getTime() + breakGlassDurationMs),
  };
  await ctx.tx.insert(breakGlassGrant).values(grant);
  ctx.audit.record({
    action: 'patient.break-glass',
    resourceType: 'break_glass_grant',
    resourceId: grant.id,
    patientId,
    breakGlass: true,
    detail: { expiresAt: grant.expiresAt.toISOString() },
  });
  return { grantId: grant.id, expiresAt: grant.expiresAt.toISOString() };
}

export function breakGlassRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/v1/patients/:patientId/break-glass',
    {
      config: { permission: 'patient.break-glass' },
      schema: {
        tags: ['patients'],
        summary: 'Emergency access to a chart outside your care team',
        params: z.strictObject({ patientId: z.uuid() }),
        body: z.strictObject({
          reason: z.string().trim().min(10, 'Say why, in at least 10 characters').max(1000),
        }),
        response: { 201: z.object({ grantId: z.uuid(), expiresAt: z.string() }) },
      },
    },
    async (request, reply) => {
      const result = await runUnitOfWork(
        deps.database,
        actorOf(request),
        requestMeta(request),
        deps.clock,
        (ctx) => grantBreakGlass(ctx, request.params.patientId, request.body.reason),
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/v1/break-glass-grants',
    {
      config: { permission: 'break-glass.review' },
      schema: {
        tags: ['audit'],
        summary: 'Break-glass grants for review',
        querystring: z.strictObject({ active: z.enum(['true', 'false']).optional() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.uuid(),
                actor: z.object({ id: z.uuid(), displayName: z.string(), email: z.string() }),
                patient: z.object({ id: z.uuid(), displayName: z.string(), mrn: z.string() }),
                reason: z.string(),
                grantedAt: z.string(),
                expiresAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, async (ctx) => {
        const rows = await ctx.tx
          .select({ grant: breakGlassGrant, user: userAccount, patient })
          .from(breakGlassGrant)
          .innerJoin(userAccount, eq(userAccount.id, breakGlassGrant.userId))
          .innerJoin(
            patient,
            and(eq(patient.clinicId, breakGlassGrant.clinicId), eq(patient.id, breakGlassGrant.patientId)),
          )
          .where(
            and(
              eq(breakGlassGrant.clinicId, ctx.clinicId),
              request.query.active === 'true' ? gt(breakGlassGrant.expiresAt, ctx.clock.now()) : sql`true`,
            ),
          )
          .orderBy(desc(breakGlassGrant.grantedAt))
          .limit(200);
        ctx.audit.record({
          action: 'break-glass.review',
          resourceType: 'break_glass_grant',
          detail: { count: rows.length },
        });
        return {
          items: rows.map((r) => ({
            id: r.grant.id,
            actor: { id: r.user.id, displayName: r.user.displayName, email: r.user.email },
            patient: {
              id: r.patient.id,
              displayName: `${r.patient.givenName} ${r.patient.familyName}`,
              mrn: r.patient.mrn,
            },
            reason: r.grant.reason,
            grantedAt: r.grant.grantedAt.toISOString(),
            expiresAt: r.grant.expiresAt.toISOString(),
          })),
        };
      });
    },
  );
}
