import type { ConsentForm, ConsentKind, ConsentRoute, ConsentState } from './consent.api.ts';

/** Each state in a front desk's words, and the badge color that goes with it. */
export const stateLabels: Record<ConsentState, { label: string; color: string }> = {
  'not-signed': { label: 'Not signed', color: 'gray' },
  'awaiting-countersignature': { label: 'Awaiting countersignature', color: 'yellow' },
  valid: { label: 'Valid', color: 'green' },
  outdated: { label: 'Outdated version', color: 'orange' },
  withdrawn: { label: 'Withdrawn', color: 'red' },
};

/** What the patient sees for the same states (the patient never countersigns). */
export const portalStateLabels: Record<ConsentState, string> = {
  'not-signed': 'Not signed yet',
  'awaiting-countersignature': 'Awaiting clinic signature',
  valid: 'Signed',
  outdated: 'Updated: sign again',
  withdrawn: 'Withdrawn',
};

export const routeLabels: Record<ConsentRoute, string> = {
  iv: 'IV infusion',
  im: 'IM injection',
  sublingual: 'Sublingual',
  oral: 'Oral',
  intranasal: 'Nasal spray',
};

export const kindLabels: Record<ConsentKind, string> = {
  general: 'General',
  iv: 'IV',
  im: 'IM',
  'sublingual-home': 'Sublingual at home',
  esketamine: 'Esketamine',
  touch: 'Touch',
  recording: 'Recording',
  research: 'Research use',
};

/** When a form is needed, in a sentence. */
export function requirementOf(form: Pick<ConsentForm['template'], 'required' | 'routes'>): string {
  if (!form.required) return 'Optional';
  if (form.routes.length === 0) return 'Required before any treatment';
  return `Required for ${form.routes.map((r) => routeLabels[r]).join(', ')} treatment`;
}

export type ConsentGroup = 'now' | 'other-routes' | 'optional';

/** Where the portal lists a form: needed before the next session, needed only for other routes, optional. */
export function groupOf(
  form: Pick<ConsentForm, 'neededNow'> & { template: Pick<ConsentForm['template'], 'required'> },
): ConsentGroup {
  if (!form.template.required) return 'optional';
  return form.neededNow ? 'now' : 'other-routes';
}

/** Whether the patient has something to do on this form: sign it for the first time, or again. */
export function needsSignature(state: ConsentState): boolean {
  return state === 'not-signed' || state === 'outdated' || state === 'withdrawn';
}

export type TextBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] };

/**
 * The consent text as displayed: lines starting "## " are headings, "- " list items, other lines
 * paragraphs. Every character of the text is displayed (only the markers are dropped), so the hash the
 * portal sends is of what the patient read.
 */
export function textBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '') continue;
    if (line.startsWith('## ')) blocks.push({ kind: 'heading', text: line.slice(3) });
    else if (line.startsWith('- ')) {
      const last = blocks.at(-1);
      if (last?.kind === 'list') last.items.push(line.slice(2));
      else blocks.push({ kind: 'list', items: [line.slice(2)] });
    } else blocks.push({ kind: 'paragraph', text: line });
  }
  return blocks;
}
