/**
 * The therapist's in-session notes: psychotherapy notes in the sense of 45 CFR 164.501 (clinical-reference
 * 7.1), kept apart from the record, read and written by their author only. A note is never edited in place:
 * a change is a new version of it, and the earlier versions stay.
 */

export interface PsychotherapyNoteVersion {
  id: string;
  noteId: string;
  version: number;
  text: string;
  writtenAt: string;
}

/** A long session's notes fit; a pasted document does not. */
export const maximumNoteLength = 20_000;

export interface NoteSubmission {
  id: string;
  text: string;
  /** The note this is a new version of, with the version it was written over (a conflict otherwise). */
  revises: { noteId: string; version: number } | null;
}

export function toNoteSubmission(input: {
  text: string;
  id: string;
  revises: { noteId: string; version: number } | null;
  current?: string;
}): { submission: NoteSubmission | null; errors: Record<string, string> } {
  const text = input.text.trim();
  const errors: Record<string, string> = {};
  if (!text) errors.text = 'Write the note first.';
  else if (text.length > maximumNoteLength)
    errors.text = `A note holds at most ${maximumNoteLength.toLocaleString('en-US')} characters.`;
  else if (input.current !== undefined && text === input.current.trim())
    errors.text = 'Nothing has changed since the last version.';
  if (Object.keys(errors).length > 0) return { submission: null, errors };
  return { submission: { id: input.id, text, revises: input.revises }, errors };
}

/** The newest version of each note, newest note first. */
export function latestVersions(versions: readonly PsychotherapyNoteVersion[]): PsychotherapyNoteVersion[] {
  const latest = new Map<string, PsychotherapyNoteVersion>();
  for (const version of versions) {
    const seen = latest.get(version.noteId);
    if (!seen || version.version > seen.version) latest.set(version.noteId, version);
  }
  return [...latest.values()].sort((a, b) => b.writtenAt.localeCompare(a.writtenAt));
}
