import { describe, expect, it } from 'vitest';
import { latestVersions, maximumNoteLength, toNoteSubmission } from './psychotherapy-note-model.ts';

describe('a psychotherapy note', () => {
  it('sends the trimmed text, as a new note or a new version of one', () => {
    expect(
      toNoteSubmission({ text: ' Talked about her father. ', id: 'n1', revises: null }).submission,
    ).toEqual({
      id: 'n1',
      text: 'Talked about her father.',
      revises: null,
    });
    expect(
      toNoteSubmission({ text: 'More', id: 'n2', revises: { noteId: 'n1', version: 1 }, current: 'Less' })
        .submission?.revises,
    ).toEqual({ noteId: 'n1', version: 1 });
  });

  it('refuses an empty note, an unchanged version and an overlong one', () => {
    expect(toNoteSubmission({ text: '  ', id: 'n1', revises: null }).errors.text).toBe(
      'Write the note first.',
    );
    expect(
      toNoteSubmission({ text: 'Same ', id: 'n1', revises: { noteId: 'n0', version: 1 }, current: 'Same' })
        .errors.text,
    ).toBe('Nothing has changed since the last version.');
    expect(
      toNoteSubmission({ text: 'x'.repeat(maximumNoteLength + 1), id: 'n1', revises: null }).errors.text,
    ).toMatch(/at most 20,000/);
  });

  it('shows the newest version of each note, newest first', () => {
    const versions = [
      { id: 'a1', noteId: 'a', version: 1, text: 'first', writtenAt: '2026-06-01T10:00:00Z' },
      { id: 'a2', noteId: 'a', version: 2, text: 'first, revised', writtenAt: '2026-06-01T10:20:00Z' },
      { id: 'b1', noteId: 'b', version: 1, text: 'second', writtenAt: '2026-06-01T10:10:00Z' },
    ];
    expect(latestVersions(versions).map((v) => v.id)).toEqual(['a2', 'b1']);
  });
});
