import { describe, expect, it } from 'vitest';
import { deadlineStanding, orderForms, toMarkSubmitted } from './rems-model.ts';

const now = new Date('2026-06-08T09:00:00Z');

describe('the REMS deadline', () => {
  it('counts whole days left and says when it is late', () => {
    expect(deadlineStanding('2026-06-13T09:00:00Z', now)).toEqual({
      kind: 'due',
      days: 5,
      label: '5 days left',
    });
    expect(deadlineStanding('2026-06-10T10:00:00Z', now)).toEqual({
      kind: 'due-soon',
      days: 2,
      label: '2 days left',
    });
    expect(deadlineStanding('2026-06-08T20:00:00Z', now).kind).toBe('due-today');
    expect(deadlineStanding('2026-06-08T08:00:00Z', now)).toEqual({
      kind: 'overdue',
      days: 1,
      label: 'Overdue by 1 day',
    });
    expect(deadlineStanding('2026-06-05T08:00:00Z', now).label).toBe('Overdue by 3 days');
  });

  it('lists the nearest deadline first, incomplete forms first on a tie', () => {
    const forms = [
      { id: 'c', dueAt: '2026-06-12T00:00:00Z', complete: true },
      { id: 'b', dueAt: '2026-06-10T00:00:00Z', complete: true },
      { id: 'a', dueAt: '2026-06-10T00:00:00Z', complete: false },
    ];
    expect(orderForms(forms).map((form) => form.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('marking a form submitted', () => {
  it('records the day and the channel', () => {
    expect(
      toMarkSubmitted({ submittedOn: '2026-06-07', channel: 'fax', confirmation: ' 123 ' }, 'm1', now).body,
    ).toEqual({
      id: 'm1',
      submittedAt: '2026-06-07T12:00:00.000Z',
      channel: 'fax',
      confirmation: '123',
    });
  });

  it('refuses a future date and a missing channel', () => {
    const { errors } = toMarkSubmitted(
      { submittedOn: '2026-06-30', channel: '', confirmation: '' },
      'm1',
      now,
    );
    expect(errors).toEqual({
      submittedOn: 'The submission date cannot be in the future.',
      channel: 'Say how it was submitted.',
    });
  });
});
