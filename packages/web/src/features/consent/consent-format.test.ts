import { describe, expect, it } from 'vitest';
import { groupOf, needsSignature, requirementOf, textBlocks } from './consent-format.ts';

describe('consent formatting', () => {
  it('says when a form is needed', () => {
    expect(requirementOf({ required: true, routes: [] })).toBe('Required before any treatment');
    expect(requirementOf({ required: true, routes: ['sublingual', 'oral'] })).toBe(
      'Required for Sublingual, Oral treatment',
    );
    expect(requirementOf({ required: false, routes: [] })).toBe('Optional');
    expect(groupOf({ neededNow: true, template: { required: true } })).toBe('now');
    expect(groupOf({ neededNow: false, template: { required: true } })).toBe('other-routes');
    expect(groupOf({ neededNow: false, template: { required: false } })).toBe('optional');
  });

  it('asks for a signature when none is in force on the version in use', () => {
    expect(needsSignature('not-signed')).toBe(true);
    expect(needsSignature('outdated')).toBe(true);
    expect(needsSignature('withdrawn')).toBe(true);
    expect(needsSignature('awaiting-countersignature')).toBe(false);
    expect(needsSignature('valid')).toBe(false);
  });

  it('splits the text into headings, paragraphs and lists without losing words', () => {
    const text = 'Title (version 1)\n\nPatient: Ana\n\n## Risks\n- Nausea\n- Dizziness\nAfter the list.\n';
    const blocks = textBlocks(text);
    expect(blocks).toEqual([
      { kind: 'paragraph', text: 'Title (version 1)' },
      { kind: 'paragraph', text: 'Patient: Ana' },
      { kind: 'heading', text: 'Risks' },
      { kind: 'list', items: ['Nausea', 'Dizziness'] },
      { kind: 'paragraph', text: 'After the list.' },
    ]);
    const words = (s: string) =>
      s
        .replace(/^(## |- )/gm, '')
        .split(/\s+/)
        .filter(Boolean);
    const shown = blocks.flatMap((b) => (b.kind === 'list' ? b.items : [b.text])).join(' ');
    expect(words(shown)).toEqual(words(text));
  });
});
