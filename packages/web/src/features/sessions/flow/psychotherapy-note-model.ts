/**
 * The therapist's in-session notes: psychotherapy notes in the sense of 45 CFR 164.501 (clinical-reference
 * 7.1), kept apart from the record, read and written by their author only. A note is never edited in place:
 * a change is a new version of it (amendsId), and the earlier versions stay.
 */

/** The server's note (session-safety/psychotherapy-notes.schemas.ts `psychotherapyNoteView`). */
export interface PsychotherapyNoteView {
  seriesId: string;
  patientId: string;
  appointmentId: string | null;
  author: { id: string; displayName: string };
  current: { id: string; version: number; body: string; writtenAt: string };
  versions: { id: string; version: number; body: string; writtenAt: string }[];
}

/** The server's limit; a longer text is two notes. */
export const maximumNoteLength = 50_000;

export interface NoteSubmission {
  id: string;
  patientId: string;
  appointmentId: string | null;
  /** A revision names the version it revises (the note's latest). */
  amendsId?: string;
  body: string;
}

export function toNoteSubmission(input: {
  text: string;
  id: string;
  patientId: string;
  appointmentId: string | null;
  /** The note's current version, when this is a revision. */
  revises?: { id: string; body: string } | null;
}): { submission: NoteSubmission | null; errors: Record<string, string> } {
  const body = input.text.trim();
  const errors: Record<string, string> = {};
  if (!body) errors.body = 'Write the note first.';
  else if (body.length > maximumNoteLength)
    errors.body = `A note holds at most ${maximumNoteLength.toLocaleString('en-US')} characters: split it into two.`;
  else if (input.revises && body === input.revises.body.trim())
    errors.body = 'Nothing has changed since the last version.';
  if (Object.keys(errors).length > 0) return { submission: null, errors };
  return {
    submission: {
      id: input.id,
      patientId: input.patientId,
      appointmentId: input.appointmentId,
      ...(input.revises ? { amendsId: input.revises.id } : {}),
      body,
    },
    errors,
  };
}

/** Newest note first (by its current version). */
export function orderNotes<T extends Pick<PsychotherapyNoteView, 'current'>>(notes: readonly T[]): T[] {
  return [...notes].sort((a, b) => b.current.writtenAt.localeCompare(a.current.writtenAt));
}
