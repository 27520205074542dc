import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { countCsv, dispensingLogCsv } from './ledger-reports.csv.ts';
import { renderCountPdf, renderDispensingLogPdf } from './ledger-reports.pdf.ts';
import {
  countInputSchema,
  countListQuery,
  countSummaryView,
  countView,
  dispensingLogQuery,
  dispensingLogView,
  inventoryStatusView,
  ledgerSettingsSchema,
  ledgerSettingsView,
  resolutionInputSchema,
} from './ledger-reports.schemas.ts';
import * as reports from './ledger-reports.service.ts';

/** Ledger records name patients and stock: never in shared or browser caches. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const safeName = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');

const countFilename = (count: { kind: string; location: { name: string }; takenOn: string }, ext: string) =>
  `${safeName(`${count.kind}-${count.location.name}-${count.takenOn}`)}.${ext}`;

/** Counts, inventories, the dispensing log and the ledger settings (routes under /api/v1/ledger). */
export function ledgerReportRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['ledger'];
  const countParams = z.strictObject({ countId: z.uuid() });

  app.post(
    '/api/v1/ledger/counts',
    {
      config: { permission: 'ledger.record' },
      schema: {
        tags,
        summary:
          'Record a physical count or an inventory (initial or biennial) of a registered location against the book balance; idempotent by the client id',
        body: countInputSchema,
        response: { 200: countView, 201: countView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) => reports.recordCount(ctx, request.body));
      return noStore(reply)
        .status(result.created ? 201 : 200)
        .send(result.count);
    },
  );

  app.get(
    '/api/v1/ledger/counts',
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: 'Counts and inventories, newest first, with their discrepancy summaries',
        querystring: countListQuery,
        response: { 200: z.object({ items: z.array(countSummaryView) }) },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return run(request, (ctx) => reports.listCounts(ctx, request.query));
    },
  );

  app.get(
    '/api/v1/ledger/counts/:countId',
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary:
          'A count or inventory: per lot the count, the book balance, the discrepancy and its resolution',
        params: countParams,
        response: { 200: countView },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return run(request, (ctx) => reports.getCount(ctx, request.params.countId));
    },
  );

  app.get(
    '/api/v1/ledger/counts/:countId/report.pdf',
    {
      config: { permission: 'ledger.read' },
      schema: { tags, summary: 'A count or inventory as a printable PDF', params: countParams },
    },
    async (request, reply) => {
      const { count, clinicName } = await run(request, (ctx) =>
        reports.countReport(ctx, request.params.countId, 'pdf'),
      );
      const pdf = await renderCountPdf(count, clinicName);
      return noStore(reply)
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${countFilename(count, 'pdf')}"`)
        .send(Buffer.from(pdf));
    },
  );

  app.get(
    '/api/v1/ledger/counts/:countId/report.csv',
    {
      config: { permission: 'ledger.read' },
      schema: { tags, summary: 'A count or inventory as CSV', params: countParams },
    },
    async (request, reply) => {
      const { count } = await run(request, (ctx) => reports.countReport(ctx, request.params.countId, 'csv'));
      return noStore(reply)
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${countFilename(count, 'csv')}"`)
        .send(countCsv(count));
    },
  );

  app.post(
    '/api/v1/ledger/counts/:countId/lots/:lotId/resolutions',
    {
      config: { permission: 'ledger.record' },
      schema: {
        tags,
        summary:
          'Link the ledger entry (adjustment, loss or theft, missed receipt or administration, correction) that accounts for a count discrepancy on a lot',
        params: z.strictObject({ countId: z.uuid(), lotId: z.uuid() }),
        body: resolutionInputSchema,
        response: { 200: countView, 201: countView },
      },
    },
    async (request, reply) => {
      const result = await run(request, (ctx) =>
        reports.resolveDiscrepancy(ctx, request.params.countId, request.params.lotId, request.body),
      );
      return noStore(reply)
        .status(result.created ? 201 : 200)
        .send(result.count);
    },
  );

  app.get(
    '/api/v1/ledger/inventory-status',
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary:
          'Each registered location’s initial and latest inventory and the date the next one is due (21 CFR 1304.11)',
        response: { 200: inventoryStatusView },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return run(request, (ctx) => reports.inventoryStatus(ctx));
    },
  );

  app.get(
    '/api/v1/ledger/dispensing-log',
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary:
          'The dispensing log of a registered location over a period: per lot, the opening balance, every entry with its running balance, and the closing balance',
        querystring: dispensingLogQuery,
        response: { 200: dispensingLogView },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return run(request, (ctx) => reports.dispensingLog(ctx, request.query, 'json'));
    },
  );

  const logFilename = (log: { location: { name: string }; from: string; to: string }, ext: string) =>
    `${safeName(`dispensing-log-${log.location.name}-${log.from}-to-${log.to}`)}.${ext}`;

  app.get(
    '/api/v1/ledger/dispensing-log.csv',
    {
      config: { permission: 'ledger.read' },
      schema: { tags, summary: 'The dispensing log as CSV', querystring: dispensingLogQuery },
    },
    async (request, reply) => {
      const log = await run(request, (ctx) => reports.dispensingLog(ctx, request.query, 'csv'));
      return noStore(reply)
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${logFilename(log, 'csv')}"`)
        .send(dispensingLogCsv(log));
    },
  );

  app.get(
    '/api/v1/ledger/dispensing-log.pdf',
    {
      config: { permission: 'ledger.read' },
      schema: { tags, summary: 'The dispensing log as a printable PDF', querystring: dispensingLogQuery },
    },
    async (request, reply) => {
      const log = await run(request, (ctx) => reports.dispensingLog(ctx, request.query, 'pdf'));
      const pdf = await renderDispensingLogPdf(log);
      return noStore(reply)
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${logFilename(log, 'pdf')}"`)
        .send(Buffer.from(pdf));
    },
  );

  app.get(
    '/api/v1/ledger/settings',
    {
      config: { permission: 'ledger.read' },
      schema: {
        tags,
        summary: 'The ledger settings: jurisdiction, inventory interval, retention, estimate tolerance',
        response: { 200: ledgerSettingsView },
      },
    },
    async (request) => run(request, (ctx) => reports.getLedgerSettings(ctx)),
  );

  app.put(
    '/api/v1/ledger/settings',
    {
      config: { permission: 'ledger.locations.manage' },
      schema: {
        tags,
        summary: 'Save the ledger settings (retention at least 2 years, 21 CFR 1304.04(a))',
        body: ledgerSettingsSchema,
        response: { 200: ledgerSettingsView },
      },
    },
    async (request) => run(request, (ctx) => reports.updateLedgerSettings(ctx, request.body)),
  );
}
