import type { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { renderPortal } from '../portal/render-portal.ts';
import { journalKeys, type MyExperienceRatings, type MyJournalEntry } from './journal.api.ts';

/** The journal and experience screens rendered on React's server side, as the portal shows them. */

const sessionId = '00000000-0000-4000-8000-0000000000f1';
const entry = (id: string, shared: boolean, text: string): MyJournalEntry => ({
  id,
  versionId: id,
  version: 1,
  text,
  shared,
  prompt: null,
  sessionId: null,
  sessionDate: null,
  createdAt: '2026-06-02T15:00:00Z',
  updatedAt: '2026-06-02T15:00:00Z',
  history: [{ versionId: id, version: 1, shared, textChanged: true, writtenAt: '2026-06-02T15:00:00Z' }],
});
const privateId = '00000000-0000-4000-8000-0000000000a7';
const sharedId = '00000000-0000-4000-8000-0000000000a8';

function seedJournal(client: QueryClient) {
  client.setQueryData(journalKeys.mine, {
    items: [entry(privateId, false, 'Only for me'), entry(sharedId, true, 'For my therapist')],
  });
  client.setQueryData(journalKeys.prompts, {
    sessions: [
      {
        sessionId,
        date: '2026-06-01',
        intentions: ['Be gentle with myself'],
        prompts: [{ key: 'intention-noticed', text: 'What did you notice about “Be gentle with myself”?' }],
      },
    ],
  });
}

/** The <input> of the switch with this id, as rendered. */
function switchInput(html: string, id: string): string {
  const match = html.match(new RegExp(`<input[^>]*id="${id}"[^>]*>`));
  if (!match) throw new Error(`no switch ${id}`);
  return match[0];
}

describe('portal journal page', () => {
  it('shows each entry’s sharing as a switch with its state in words', () => {
    const html = renderPortal('/portal/journal', seedJournal);
    expect(html).toContain('My journal');
    const privateSwitch = switchInput(html, `sharing-${privateId}`);
    const sharedSwitch = switchInput(html, `sharing-${sharedId}`);
    expect(privateSwitch).not.toMatch(/\schecked=/);
    expect(sharedSwitch).toMatch(/\schecked=/);
    expect(html).toMatch(
      new RegExp(`id="sharing-${privateId}-state"[\\s\\S]*?data-sharing="private"[^>]*>Private<`),
    );
    expect(html).toMatch(
      new RegExp(
        `id="sharing-${sharedId}-state"[\\s\\S]*?data-sharing="shared"[^>]*>Shared with your care team<`,
      ),
    );
    // A new entry starts private.
    expect(switchInput(html, 'new-entry-sharing')).not.toMatch(/\schecked=/);
    expect(html).toContain('Only you can see this entry');
    expect(html).toContain('Answer a prompt');
  });
});

describe('portal experience rating', () => {
  const due: MyExperienceRatings = {
    due: [{ sessionId, sessionDate: '2026-06-01', opensOn: '2026-06-02' }],
    upcoming: [],
    rated: [],
  };

  it('asks one question per screen with its progress, and 0–10 as large buttons', () => {
    const html = renderPortal(`/portal/experience/${sessionId}`, (c) =>
      c.setQueryData(journalKeys.ratings, due),
    );
    expect(html).toContain('1 of 6');
    expect(html).toContain('How intense was the experience?');
    expect(html).not.toContain('How emotionally difficult was it?');
    expect(html).not.toContain('Did you notice any of these afterwards?');
    const points = html.match(/aria-label="\d+ of 10"/g) ?? [];
    expect(points).toHaveLength(11);
    expect(html).toContain('Next');
  });

  it('says when a session can be rated, rather than opening the form the same day', () => {
    const html = renderPortal(`/portal/experience/${sessionId}`, (c) =>
      c.setQueryData(journalKeys.ratings, {
        due: [],
        upcoming: [{ sessionId, sessionDate: '2026-06-01', opensOn: '2026-06-02' }],
        rated: [],
      }),
    );
    expect(html).toContain('the day after it');
    expect(html).not.toContain('1 of 6');
  });
});

describe('outside a secure context (the portal opened over plain http on a phone)', () => {
  it('renders the journal and the rating without crypto.randomUUID (only getRandomValues exists there)', () => {
    const randomUUID = globalThis.crypto.randomUUID;
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(renderPortal('/portal/journal', seedJournal)).toContain('My journal');
      const rating = renderPortal(`/portal/experience/${sessionId}`, (c) =>
        c.setQueryData(journalKeys.ratings, {
          due: [{ sessionId, sessionDate: '2026-06-01', opensOn: '2026-06-02' }],
          upcoming: [],
          rated: [],
        }),
      );
      expect(rating).toContain('1 of 6');
    } finally {
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: randomUUID, configurable: true });
    }
  });
});
