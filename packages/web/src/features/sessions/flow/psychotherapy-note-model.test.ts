import { describe, expect, it } from 'vitest';
import { maximumNoteLength, orderNotes, toNoteSubmission } from './psychotherapy-note-model.ts';

const where = { patientId: 'p1', appointmentId: 's1' };

describe('a psychotherapy note', () => {
  it('sends the trimmed text as a new note, tied to the patient and the session', () => {
    expect(toNoteSubmission({ text: ' Talked about her father. ', id: 'n1', ...where }).submission).toEqual({
      id: 'n1',
      patientId: 'p1',
      appointmentId: 's1',
      body: 'Talked about her father.',
    });
  });

  it('sends a revision as a new version of the current one', () => {
    const { submission } = toNoteSubmission({
      text: 'More',
      id: 'n2',
      ...where,
      revises: { id: 'v1', body: 'Less' },
    });
    expect(submission?.amendsId).toBe('v1');
  });

  it('refuses an empty note, an unchanged version and an overlong one', () => {
    expect(toNoteSubmission({ text: '  ', id: 'n1', ...where }).errors.body).toBe('Write the note first.');
    expect(
      toNoteSubmission({ text: 'Same ', id: 'n1', ...where, revises: { id: 'v1', body: 'Same' } }).errors
        .body,
    ).toBe('Nothing has changed since the last version.');
    expect(
      toNoteSubmission({ text: 'x'.repeat(maximumNoteLength + 1), id: 'n1', ...where }).errors.body,
    ).toMatch(/at most 50,000/);
  });

  it('lists the most recently written note first', () => {
    const notes = [
      { seriesId: 'a', current: { id: 'a2', version: 2, body: '', writtenAt: '2026-06-01T10:20:00Z' } },
      { seriesId: 'b', current: { id: 'b1', version: 1, body: '', writtenAt: '2026-06-01T10:30:00Z' } },
    ];
    expect(orderNotes(notes).map((n) => n.seriesId)).toEqual(['b', 'a']);
  });
});
