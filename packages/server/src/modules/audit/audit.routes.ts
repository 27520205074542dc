import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import { auditEvent, patient, userAccount } from '../../db/schema/index.ts';
import type { AppDeps } from '../../deps.ts';
import { Invalid } from '../../errors.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';

const filtersSchema = z.strictObject({
  patientId: z.uuid().optional(),
  actorId: z.uuid().optional(),
  action: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(256).optional(),
});
type AuditFilters = z.infer<typeof filtersSchema>;

const eventView = z.object({
  id: z.uuid(),
  sequence: z.number(),
  occurredAt: z.string(),
  actor: z.object({ id: z.uuid(), displayName: z.string(), email: z.string() }).nullable(),
  role: z.string().nullable(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  patient: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  outcome: z.enum(['success', 'denied', 'failure']),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  breakGlass: z.boolean(),
});
type EventView = z.infer<typeof eventView>;

/** A date alone means the whole day: `to=2026-03-01` includes events of March 1st (UTC). */
function boundary(value: string, end: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    return end ? new Date(day.getTime() + 86_400_000) : day;
  }
  return new Date(value);
}

async function findEvents(
  ctx: ServiceContext,
  filters: AuditFilters,
  limit: number,
  beforeSequence?: number,
) {
  const where: SQL[] = [eq(auditEvent.clinicId, ctx.clinicId)];
  if (filters.patientId) where.push(eq(auditEvent.patientId, filters.patientId));
  if (filters.actorId) where.push(eq(auditEvent.actorId, filters.actorId));
  if (filters.action) where.push(eq(auditEvent.action, filters.action));
  if (filters.from) where.push(gte(auditEvent.occurredAt, boundary(filters.from, false)));
  if (filters.to) where.push(lt(auditEvent.occurredAt, boundary(filters.to, true)));
  if (beforeSequence !== undefined) where.push(lt(auditEvent.sequence, beforeSequence));
  const rows = await ctx.tx
    .select({ event: auditEvent, actor: userAccount, patient })
    .from(auditEvent)
    .leftJoin(userAccount, eq(userAccount.id, auditEvent.actorId))
    .leftJoin(patient, and(eq(patient.clinicId, auditEvent.clinicId), eq(patient.id, auditEvent.patientId)))
    .where(and(...where))
    .orderBy(desc(auditEvent.sequence))
    .limit(limit);
  return rows.map(
    (r): EventView => ({
      id: r.event.id,
      sequence: r.event.sequence,
      occurredAt: r.event.occurredAt.toISOString(),
      actor: r.actor ? { id: r.actor.id, displayName: r.actor.displayName, email: r.actor.email } : null,
      role: r.event.actorRole,
      action: r.event.action,
      resourceType: r.event.resourceType,
      resourceId: r.event.resourceId,
      patient: r.patient
        ? { id: r.patient.id, displayName: `${r.patient.givenName} ${r.patient.familyName}` }
        : null,
      outcome: r.event.outcome,
      requestId: r.event.requestId,
      ip: r.event.ip,
      userAgent: r.event.userAgent,
      breakGlass: r.event.breakGlass,
    }),
  );
}

function filterNames(filters: AuditFilters): string[] {
  return Object.entries(filters)
    .filter(([key, value]) => value !== undefined && key !== 'limit' && key !== 'cursor')
    .map(([key]) => key);
}

/** RFC 4180 quoting, and a leading quote on values a spreadsheet would run as a formula (OWASP CSV injection). */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);

  app.get(
    '/api/v1/audit-events',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first',
        querystring: filtersSchema,
        response: { 200: z.object({ items: z.array(eventView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const filters = request.query;
      const before = filters.cursor ? Number(decodeCursor(filters.cursor, ['sequence']).sequence) : undefined;
      if (before !== undefined && !Number.isSafeInteger(before)) {
        throw new Invalid('The cursor is not valid.', [
          { path: 'cursor', message: 'Use the nextCursor of a previous page.' },
        ]);
      }
      return run(request, async (ctx) => {
        const rows = await findEvents(ctx, filters, filters.limit + 1, before);
        const items = rows.slice(0, filters.limit);
        ctx.audit.record({
          action: 'audit.read',
          resourceType: 'audit_event',
          patientId: filters.patientId ?? null,
          detail: { filters: filterNames(filters) },
        });
        const last = items.at(-1);
        return {
          items,
          nextCursor: rows.length > filters.limit && last ? encodeCursor({ sequence: last.sequence }) : null,
        };
      });
    },
  );

  app.get(
    '/api/v1/audit-events/export.csv',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail as CSV (at most 50,000 events per export)',
        querystring: filtersSchema.omit({ limit: true, cursor: true }),
      },
    },
    async (request, reply) => {
      const filters = { ...request.query, limit: 50_000 };
      const events = await run(request, async (ctx) => {
        const rows = await findEvents(ctx, filters, filters.limit);
        ctx.audit.record({
          action: 'audit.export',
          resourceType: 'audit_event',
          patientId: filters.patientId ?? null,
          detail: { filters: filterNames(filters), rows: rows.length },
        });
        return rows;
      });
      const header = [
        'sequence',
        'occurred_at',
        'actor_email',
        'actor_name',
        'role',
        'action',
        'resource_type',
        'resource_id',
        'patient_id',
        'patient_name',
        'outcome',
        'break_glass',
        'request_id',
        'ip',
        'user_agent',
      ];
      const lines = [header.join(',')].concat(
        events.map((e) =>
          [
            e.sequence,
            e.occurredAt,
            e.actor?.email,
            e.actor?.displayName,
            e.role,
            e.action,
            e.resourceType,
            e.resourceId,
            e.patient?.id,
            e.patient?.displayName,
            e.outcome,
            e.breakGlass,
            e.requestId,
            e.ip,
            e.userAgent,
          ]
            .map(csvCell)
            .join(','),
        ),
      );
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="kapstone-audit.csv"')
        .type('text/csv; charset=utf-8')
        .send(`${lines.join('\r\n')}\r\n`);
    },
  );
}
