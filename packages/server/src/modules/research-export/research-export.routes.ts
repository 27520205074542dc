import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, requestMeta, runUnitOfWork } from '../../http/unit-of-work.ts';
import { createExportBody, exportFileParams, exportParams, exportView } from './research-export.schemas.ts';
import * as exports from './research-export.service.ts';

export function researchExportRoutes(appBase: FastifyInstance, deps: AppDeps): void {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: FastifyRequest, work: (ctx: ServiceContext) => Promise<T>) =>
    runUnitOfWork(deps.database, actorOf(request), requestMeta(request), deps.clock, work);
  const tags = ['research'];

  app.post(
    '/api/v1/research/exports',
    {
      config: { permission: 'research.export' },
      schema: {
        tags,
        summary:
          'Ask for a de-identified export (Safe Harbor) of the research-consented patients; built in the background',
        body: createExportBody,
        response: { 201: exportView },
      },
    },
    async (request, reply) => {
      const view = await run(request, (ctx) => exports.createExport(ctx, request.body));
      return reply.status(201).header('cache-control', 'no-store').send(view);
    },
  );

  app.get(
    '/api/v1/research/exports',
    {
      config: { permission: 'research.export' },
      schema: {
        tags,
        summary: "The clinic's research exports: status, progress and row counts",
        response: { 200: z.object({ items: z.array(exportView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => exports.listExports(ctx));
    },
  );

  app.get(
    '/api/v1/research/exports/:exportId',
    {
      config: { permission: 'research.export' },
      schema: { tags, summary: 'One research export', params: exportParams, response: { 200: exportView } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => exports.getExport(ctx, request.params.exportId));
    },
  );

  app.get(
    '/api/v1/research/exports/:exportId/files/:name',
    {
      config: { permission: 'research.export' },
      schema: { tags, summary: 'Download one file of a ready export (audited)', params: exportFileParams },
    },
    async (request, reply) => {
      const file = await run(request, (ctx) =>
        exports.downloadExportFile(ctx, request.params.exportId, request.params.name),
      );
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="kapstone-research-${file.name}"`)
        .type(`${file.contentType}; charset=utf-8`)
        .send(file.content);
    },
  );

  app.delete(
    '/api/v1/research/exports/:exportId/files',
    {
      config: { permission: 'research.export.delete' },
      schema: {
        tags,
        summary: 'Delete the files of an export (the record stays; audited)',
        params: exportParams,
        response: { 200: exportView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return run(request, (ctx) => exports.deleteExportFiles(ctx, request.params.exportId));
    },
  );
}
