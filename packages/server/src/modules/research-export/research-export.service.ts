import { createHash, randomInt, randomUUID } from 'node:crypto';
import { drawDateShiftDays, drawResearchId, type InstrumentId, type RandomInt } from '@kapstone/clinical';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.ts';
import {
  backgroundJob,
  clinic,
  researchExport,
  researchExportFile,
  researchExportSubject,
  userAccount,
} from '../../db/schema/index.ts';
import type { JobStatus } from '../../db/schema/jobs.ts';
import type { ResearchExportFormat, ResearchExportRowCounts } from '../../db/schema/research.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { runSystemWork } from '../../jobs/system-work.ts';
import type { JobEnvironment, JobHandler } from '../../jobs/types.ts';
import {
  findResearchConsentedPatients,
  loadSubjectFacts,
  renderExportFiles,
  type Subject,
  type SubjectFacts,
} from './research-export.build.ts';

export const researchExportJobKind = 'research-export';

export interface CreateExportInput {
  instruments: InstrumentId[];
  from: string;
  to: string;
  formats: ResearchExportFormat[];
}

export type ExportStatus = 'queued' | 'running' | 'ready' | 'failed' | 'files-deleted';

export interface ExportView {
  id: string;
  requestedAt: string;
  requestedBy: { id: string; displayName: string };
  instruments: InstrumentId[];
  from: string;
  to: string;
  formats: ResearchExportFormat[];
  status: ExportStatus;
  progress: number;
  completedAt: string | null;
  patientCount: number | null;
  rowCounts: ResearchExportRowCounts | null;
  files: { name: string; contentType: string; byteSize: number; rowCount: number }[];
  filesDeletedAt: string | null;
}

function statusOf(jobStatus: JobStatus | null, completed: boolean, deleted: boolean): ExportStatus {
  if (deleted) return 'files-deleted';
  if (completed) return 'ready';
  if (jobStatus === 'failed') return 'failed';
  if (jobStatus === 'running') return 'running';
  return 'queued';
}

/** Asks for a de-identified export: the record and its background job, in one transaction. */
export async function createExport(ctx: ServiceContext, input: CreateExportInput): Promise<ExportView> {
  if (input.from > input.to)
    throw new Invalid('The date range ends before it starts.', [
      { path: 'to', message: 'Choose an end date on or after the start date.' },
    ]);
  const id = randomUUID();
  const instruments = [...new Set(input.instruments)].sort();
  const formats = [...new Set(input.formats)].sort();
  const jobId = await enqueueJob(ctx, { kind: researchExportJobKind, payload: { exportId: id } });
  await ctx.tx.insert(researchExport).values({
    id,
    clinicId: ctx.clinicId,
    requestedBy: ctx.actor.userId,
    requestedAt: ctx.clock.now(),
    instruments,
    fromDate: input.from,
    toDate: input.to,
    formats,
    jobId,
  });
  ctx.audit.record({
    action: 'research-export.create',
    resourceType: 'research-export',
    resourceId: id,
    detail: { instruments: instruments.length, formats, from: input.from, to: input.to },
  });
  return findExport(ctx, id);
}

function exportQuery(ctx: ServiceContext) {
  return ctx.tx
    .select({
      e: researchExport,
      requesterName: userAccount.displayName,
      jobStatus: backgroundJob.status,
      jobProgress: backgroundJob.progress,
    })
    .from(researchExport)
    .innerJoin(
      userAccount,
      and(eq(userAccount.clinicId, researchExport.clinicId), eq(userAccount.id, researchExport.requestedBy)),
    )
    .leftJoin(
      backgroundJob,
      and(eq(backgroundJob.clinicId, researchExport.clinicId), eq(backgroundJob.id, researchExport.jobId)),
    );
}

type ExportRow = Awaited<ReturnType<ReturnType<typeof exportQuery>['where']>>[number];

function present(row: ExportRow, files: ExportView['files']): ExportView {
  const e = row.e;
  const status = statusOf(row.jobStatus, e.completedAt !== null, e.filesDeletedAt !== null);
  return {
    id: e.id,
    requestedAt: e.requestedAt.toISOString(),
    requestedBy: { id: e.requestedBy, displayName: row.requesterName },
    instruments: e.instruments,
    from: e.fromDate,
    to: e.toDate,
    formats: e.formats,
    status,
    progress: status === 'ready' || status === 'files-deleted' ? 100 : (row.jobProgress ?? 0),
    completedAt: e.completedAt?.toISOString() ?? null,
    patientCount: e.patientCount,
    rowCounts: e.rowCounts,
    files,
    filesDeletedAt: e.filesDeletedAt?.toISOString() ?? null,
  };
}

async function filesOf(ctx: ServiceContext, exportId: string): Promise<ExportView['files']> {
  return ctx.tx
    .select({
      name: researchExportFile.name,
      contentType: researchExportFile.contentType,
      byteSize: researchExportFile.byteSize,
      rowCount: researchExportFile.rowCount,
    })
    .from(researchExportFile)
    .where(and(eq(researchExportFile.clinicId, ctx.clinicId), eq(researchExportFile.exportId, exportId)))
    .orderBy(asc(researchExportFile.name));
}

async function findExport(ctx: ServiceContext, exportId: string): Promise<ExportView> {
  const [row] = await exportQuery(ctx).where(
    and(eq(researchExport.clinicId, ctx.clinicId), eq(researchExport.id, exportId)),
  );
  if (!row) throw new NotFound('Research export');
  return present(row, await filesOf(ctx, exportId));
}

/** The clinic's exports, newest first (at most 100): status, progress and counts, never data. */
export async function listExports(ctx: ServiceContext): Promise<{ items: ExportView[] }> {
  const rows = await exportQuery(ctx)
    .where(eq(researchExport.clinicId, ctx.clinicId))
    .orderBy(desc(researchExport.requestedAt), desc(researchExport.id))
    .limit(100);
  // The files of the listed exports only (not of every export the clinic ever made).
  const files =
    rows.length === 0
      ? []
      : await ctx.tx
          .select({
            exportId: researchExportFile.exportId,
            name: researchExportFile.name,
            contentType: researchExportFile.contentType,
            byteSize: researchExportFile.byteSize,
            rowCount: researchExportFile.rowCount,
          })
          .from(researchExportFile)
          .where(
            and(
              eq(researchExportFile.clinicId, ctx.clinicId),
              inArray(
                researchExportFile.exportId,
                rows.map((row) => row.e.id),
              ),
            ),
          )
          .orderBy(asc(researchExportFile.name));
  return {
    items: rows.map((row) =>
      present(
        row,
        files.filter((f) => f.exportId === row.e.id).map(({ exportId: _, ...file }) => file),
      ),
    ),
  };
}

export function getExport(ctx: ServiceContext, exportId: string): Promise<ExportView> {
  return findExport(ctx, exportId);
}

/** One file of a ready export. The download is audited with its name and counts, never its content. */
export async function downloadExportFile(ctx: ServiceContext, exportId: string, name: string) {
  const view = await findExport(ctx, exportId);
  const [file] = await ctx.tx
    .select({
      contentType: researchExportFile.contentType,
      content: researchExportFile.content,
      rowCount: researchExportFile.rowCount,
      byteSize: researchExportFile.byteSize,
    })
    .from(researchExportFile)
    .where(
      and(
        eq(researchExportFile.clinicId, ctx.clinicId),
        eq(researchExportFile.exportId, exportId),
        eq(researchExportFile.name, name),
      ),
    );
  if (!file) {
    if (view.status === 'files-deleted') throw new Conflict('The files of this export were deleted.');
    if (view.status === 'failed')
      throw new Conflict('This export could not be built and has no files; start a new one.');
    if (view.status !== 'ready') throw new Conflict('This export is not ready yet.');
    throw new NotFound('Export file');
  }
  ctx.audit.record({
    action: 'research-export.download',
    resourceType: 'research-export',
    resourceId: exportId,
    detail: { file: name, rows: file.rowCount, bytes: file.byteSize },
  });
  return { name, contentType: file.contentType, content: file.content };
}

/**
 * Deletes the files of an export and its re-identification key (research ids and date shifts); the export
 * record stays, saying when and by whom. Audited with the number of files. A second delete answers the record.
 */
export async function deleteExportFiles(ctx: ServiceContext, exportId: string): Promise<ExportView> {
  const view = await findExport(ctx, exportId);
  if (view.status === 'files-deleted') return view;
  if (view.status === 'queued' || view.status === 'running')
    throw new Conflict('This export is still being built; delete its files once it is ready.');
  const deleted = await ctx.tx
    .delete(researchExportFile)
    .where(and(eq(researchExportFile.clinicId, ctx.clinicId), eq(researchExportFile.exportId, exportId)))
    .returning({ name: researchExportFile.name });
  await ctx.tx
    .delete(researchExportSubject)
    .where(
      and(eq(researchExportSubject.clinicId, ctx.clinicId), eq(researchExportSubject.exportId, exportId)),
    );
  await ctx.tx
    .update(researchExport)
    .set({ filesDeletedAt: ctx.clock.now(), filesDeletedBy: ctx.actor.userId })
    .where(and(eq(researchExport.clinicId, ctx.clinicId), eq(researchExport.id, exportId)));
  ctx.audit.record({
    action: 'research-export.files-delete',
    resourceType: 'research-export',
    resourceId: exportId,
    detail: { files: deleted.length },
  });
  return findExport(ctx, exportId);
}

/** Patients read per transaction while building; progress is reported between batches. */
const batchSize = 25;
/** Rows of the re-identification key written per INSERT (far below the 65,535 bind parameters). */
const keyRowsPerInsert = 1_000;

export interface ResearchExportJobPayload {
  exportId: string;
}

/**
 * Builds one export. It reads in batches (one transaction each, progress reported in between: a progress
 * report writes the job row outside any transaction of ours), then, in one last transaction, checks again that
 * every patient still has research consent (one who withdrew meanwhile is left out), draws each patient's
 * research id and date shift, and writes the files and the key. An export already built is left alone, so a
 * retried job does no harm.
 */
export function createResearchExportHandler(
  random: RandomInt = randomInt,
): JobHandler<ResearchExportJobPayload> {
  return {
    kind: researchExportJobKind,
    maxAttempts: 3,
    async run(job, env, reportProgress) {
      const exportId = job.payload.exportId;
      const setup = await runSystemWork(env, job.clinicId, 'research-export', async (ctx) => {
        const [row] = await ctx.tx
          .select({ e: researchExport, timeZone: clinic.timeZone })
          .from(researchExport)
          .innerJoin(clinic, eq(clinic.id, researchExport.clinicId))
          .where(and(eq(researchExport.clinicId, ctx.clinicId), eq(researchExport.id, exportId)));
        if (!row || row.e.completedAt || row.e.filesDeletedAt) return null;
        return { e: row.e, timeZone: row.timeZone, patientIds: await findResearchConsentedPatients(ctx) };
      });
      if (!setup) return;
      const { e, timeZone, patientIds } = setup;
      await reportProgress(5);
      const request = { instruments: e.instruments, fromDate: e.fromDate, toDate: e.toDate };
      const facts: SubjectFacts[] = [];
      for (let start = 0; start < patientIds.length; start += batchSize) {
        const batch = patientIds.slice(start, start + batchSize);
        facts.push(
          ...(await runSystemWork(env, job.clinicId, 'research-export', (ctx) =>
            loadSubjectFacts(ctx, timeZone, batch, request),
          )),
        );
        await reportProgress(5 + Math.round((85 * (start + batch.length)) / patientIds.length));
      }
      await writeExport(env, job.clinicId, exportId, e.formats, facts, random);
      await reportProgress(100);
    },
  };
}

async function writeExport(
  env: JobEnvironment,
  clinicId: string,
  exportId: string,
  formats: ResearchExportFormat[],
  facts: SubjectFacts[],
  random: RandomInt,
) {
  await runSystemWork(env, clinicId, 'research-export', async (ctx) => {
    // Lock the export row: two runners finishing the same export cannot both write it.
    const locked = await ctx.tx.execute(sql`SELECT completed_at, files_deleted_at FROM research_export
      WHERE clinic_id = ${clinicId} AND id = ${exportId} FOR UPDATE`);
    const state = (locked as unknown as { rows: { completed_at: unknown; files_deleted_at: unknown }[] })
      .rows[0];
    if (!state || state.completed_at || state.files_deleted_at) return;
    const stillConsented = new Set(await findResearchConsentedPatients(ctx));
    const used = new Set<string>();
    const subjects: Subject[] = facts
      .filter((f) => stillConsented.has(f.patientId))
      .filter((f) => f.observations.length > 0 || f.sessions.length > 0)
      .map((f) => {
        let researchId = drawResearchId(random);
        while (used.has(researchId)) researchId = drawResearchId(random);
        used.add(researchId);
        return { researchId, shiftDays: drawDateShiftDays(random), facts: f };
      });
    const files = renderExportFiles(subjects, formats);
    const now = ctx.clock.now();
    // In slices: one INSERT of every subject would pass the protocol's 65,535 bind parameters (5 a row) past
    // 13,107 patients, and the export would fail on every attempt.
    for (let start = 0; start < subjects.length; start += keyRowsPerInsert)
      await ctx.tx.insert(researchExportSubject).values(
        subjects.slice(start, start + keyRowsPerInsert).map((s) => ({
          clinicId,
          exportId,
          patientId: s.facts.patientId,
          researchId: s.researchId,
          shiftDays: s.shiftDays,
        })),
      );
    await ctx.tx.insert(researchExportFile).values(
      files.map((f) => ({
        clinicId,
        exportId,
        name: f.name,
        contentType: f.contentType,
        content: f.content,
        byteSize: Buffer.byteLength(f.content, 'utf8'),
        sha256: createHash('sha256').update(f.content, 'utf8').digest('hex'),
        rowCount: f.rowCount,
        createdAt: now,
      })),
    );
    const rowCounts = Object.fromEntries(files.map((f) => [f.name, f.rowCount]));
    await ctx.tx
      .update(researchExport)
      .set({ completedAt: now, patientCount: subjects.length, rowCounts })
      .where(and(eq(researchExport.clinicId, clinicId), eq(researchExport.id, exportId)));
    ctx.audit.record({
      action: 'research-export.build',
      resourceType: 'research-export',
      resourceId: exportId,
      detail: { patients: subjects.length, rows: rowCounts },
    });
  });
}

export const researchExportHandler = createResearchExportHandler();
