import type { MyJournalEntry } from './journal.api.ts';

/** The entry's sharing in words, as the patient reads it next to the switch. */
export function sharingInWords(shared: boolean): { label: string; detail: string } {
  return shared
    ? {
        label: 'Shared with your care team',
        detail: 'Your care team can read this entry. Turn sharing off at any time to make it private again.',
      }
    : {
        label: 'Private',
        detail: 'Only you can see this entry. Your care team cannot read it unless you share it.',
      };
}

/** The change a flip of the switch sends: a new version of the latest one with only the sharing changed. */
export function sharingChange(entry: Pick<MyJournalEntry, 'versionId'>, shared: boolean, id: string) {
  return { id, amendsId: entry.versionId, shared };
}

/** The change an edit sends: null when the words are unchanged (nothing to save). */
export function textChange(entry: Pick<MyJournalEntry, 'versionId' | 'text'>, text: string, id: string) {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed === entry.text) return null;
  return { id, amendsId: entry.versionId, text: trimmed };
}

/** "Shared since …" / "Private since …": when the current sharing began (the first version of the run). */
export function sharingSince(entry: Pick<MyJournalEntry, 'history' | 'shared'>): string {
  let since = entry.history.at(-1)?.writtenAt ?? '';
  for (let i = entry.history.length - 1; i >= 0; i--) {
    if (entry.history[i]!.shared !== entry.shared) break;
    since = entry.history[i]!.writtenAt;
  }
  return since;
}
