import { z } from 'zod';

/**
 * A psychotherapy note, or a revision of one (clinical-reference 7.1). Only the author ever reads it back;
 * the client generates the id so that a retried save finds its own version.
 */
export const psychotherapyNoteInput = z.strictObject({
  id: z.uuid(),
  patientId: z.uuid(),
  /** The counselling session the note is about (dosing, preparation or integration appointment). */
  appointmentId: z.uuid().nullable().optional(),
  /** A revision: the version it revises (the latest of the note). The note's first save has none. */
  amendsId: z.uuid().optional(),
  body: z
    .string()
    .trim()
    .min(1, 'Write the note, or leave it unsaved.')
    .max(50_000, 'At most 50,000 characters: split it into two notes.'),
});
export type PsychotherapyNoteInput = z.infer<typeof psychotherapyNoteInput>;

export const psychotherapyNoteListQuery = z.strictObject({
  patientId: z.uuid(),
  appointmentId: z.uuid().optional(),
});

const version = z.object({
  id: z.uuid(),
  version: z.number().int(),
  body: z.string(),
  writtenAt: z.string(),
});

export const psychotherapyNoteView = z.object({
  /** The id of the note's first version; every version shares it. */
  seriesId: z.uuid(),
  patientId: z.uuid(),
  appointmentId: z.uuid().nullable(),
  author: z.object({ id: z.uuid(), displayName: z.string() }),
  current: version,
  /** Every version, newest first (the current one included). */
  versions: z.array(version),
});
export type PsychotherapyNoteView = z.infer<typeof psychotherapyNoteView>;
