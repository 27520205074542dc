import { instruments } from '@kapstone/clinical';
import { z } from 'zod';
import { researchExportFormats } from '../../db/schema/research.ts';
import { instrumentId } from '../measures/measures.schemas.ts';

/** The files an export can hold (the data dictionary always). */
export const exportFileNames = [
  'patients.csv',
  'observations.csv',
  'sessions.csv',
  'data-dictionary.csv',
  'bundle.ndjson',
] as const;

export const createExportBody = z
  .strictObject({
    instruments: z
      .array(instrumentId)
      .min(1, 'Choose at least one instrument.')
      .max(Object.keys(instruments).length)
      .refine((list) => new Set(list).size === list.length, 'List each instrument once.'),
    /** Real calendar days (clinic time zone) the exported data must fall within. */
    from: z.iso.date(),
    to: z.iso.date(),
    formats: z
      .array(z.enum(researchExportFormats))
      .min(1, 'Choose CSV, NDJSON or both.')
      .max(2)
      .refine((list) => new Set(list).size === list.length, 'List each format once.'),
  })
  .refine((body) => body.from <= body.to, {
    path: ['to'],
    message: 'Choose an end date on or after the start date.',
  });

export const exportParams = z.strictObject({ exportId: z.uuid() });
export const exportFileParams = z.strictObject({ exportId: z.uuid(), name: z.enum(exportFileNames) });

export const exportView = z.object({
  id: z.uuid(),
  requestedAt: z.string(),
  requestedBy: z.object({ id: z.uuid(), displayName: z.string() }),
  instruments: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  formats: z.array(z.enum(researchExportFormats)),
  status: z.enum(['queued', 'running', 'ready', 'failed', 'files-deleted']),
  progress: z.number().int().min(0).max(100),
  completedAt: z.string().nullable(),
  patientCount: z.number().int().nullable(),
  rowCounts: z.record(z.string(), z.number().int()).nullable(),
  files: z.array(
    z.object({
      name: z.string(),
      contentType: z.string(),
      byteSize: z.number().int(),
      rowCount: z.number().int(),
    }),
  ),
  filesDeletedAt: z.string().nullable(),
});
