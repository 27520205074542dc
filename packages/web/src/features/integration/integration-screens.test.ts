import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../sessions/render-signed-in.ts';
import {
  type AdherenceItem,
  type IntegrationNote,
  integrationKeys,
  type PatientAdherenceItem,
} from './integration.api.ts';
import { IntegrationConsolePage } from './integration-console-page.tsx';
import { IntegrationNoteForm } from './integration-note-form.tsx';
import { IntegrationSection } from './integration-section.tsx';

/** The integration screens rendered once with React's server renderer, under a signed-in session. */

const patientId = '00000000-0000-4000-8000-0000000000bb';
const item = (overrides: Partial<PatientAdherenceItem> = {}): PatientAdherenceItem => ({
  sessionId: '00000000-0000-4000-8000-0000000000a1',
  patient: { id: patientId, displayName: 'Alex Example', mrn: 'MRN-1' },
  therapist: { id: '00000000-0000-4000-8000-0000000000c1', displayName: 'Tess Therapist' },
  protocolId: 'kap-im',
  dosedAt: '2026-06-01T14:00:00Z',
  dosedOn: '2026-06-01',
  state: 'missing',
  window: [1, 3],
  opensOn: '2026-06-02',
  closesOn: '2026-06-04',
  integration: null,
  booked: null,
  intentions: ['To be gentler with myself'],
  ...overrides,
});

const version = (n: number, themes: string, reason: string | null = null) => ({
  id: `00000000-0000-4000-8000-00000000010${n}`,
  version: n,
  amendsId: n > 1 ? `00000000-0000-4000-8000-00000000010${n - 1}` : null,
  amendmentReason: reason,
  heldOn: '2026-06-03',
  content: {
    themes,
    insights: null,
    emotions: 'Relief',
    bodyExperience: null,
    sessionIntentions: ['To be gentler with myself'],
    intentionReflection: 'Met in the second half',
    techniques: ['parts-work-ifs' as const, 'other' as const],
    techniquesOther: 'Expressive art',
    actionItems: ['Walk by the river twice this week'],
    nextFocus: null,
  },
  writtenAt: '2026-06-03T18:00:00Z',
  writtenBy: { id: '00000000-0000-4000-8000-0000000000c1', displayName: 'Tess Therapist' },
});

const note = (own: boolean): IntegrationNote => ({
  id: '00000000-0000-4000-8000-000000000101',
  patientId,
  dosingSession: { id: item().sessionId, dosedAt: '2026-06-01T14:00:00Z', dosedOn: '2026-06-01' },
  appointmentId: null,
  hasPsychotherapyNote: true,
  ownPsychotherapyNoteSeriesId: own ? '00000000-0000-4000-8000-0000000009aa' : null,
  current: version(2, 'Agency at work, corrected', 'Homework added'),
  versions: [version(2, 'Agency at work, corrected', 'Homework added'), version(1, 'Agency at work')],
});

describe('integration screens', () => {
  it('the chart section shows adherence, the notes with their versions and only a flag for psychotherapy notes', () => {
    const html = renderSignedIn(
      createElement(IntegrationSection, { patientId }),
      ['patient.clinical.read'],
      (client) => {
        client.setQueryData(integrationKeys.notes(patientId), { items: [note(false)] });
        client.setQueryData(integrationKeys.adherence(patientId), {
          today: '2026-06-10',
          items: [
            item({
              state: 'done',
              integration: { noteId: note(false).id, heldOn: '2026-06-03', dayAfterDose: 2 },
            }),
          ],
        });
      },
    );
    expect(html).toContain('Integration after each dose');
    expect(html).toContain('Done');
    expect(html).toContain('Agency at work, corrected');
    expect(html).toContain('Parts work (IFS), Other: Expressive art');
    expect(html).toContain('Walk by the river twice this week');
    expect(html).toContain('Earlier versions (1)');
    expect(html).toContain('Psychotherapy notes (author only)');
    // A reader without integration.write is offered no writing or correcting.
    expect(html).not.toContain('Write an integration note');
    expect(html).not.toContain('>Correct<');
  });

  it('offers writing and correcting to a therapist', () => {
    const html = renderSignedIn(
      createElement(IntegrationSection, { patientId }),
      ['patient.clinical.read', 'integration.write', 'psychotherapy-notes.write'],
      (client) => {
        client.setQueryData(integrationKeys.notes(patientId), { items: [note(true)] });
        client.setQueryData(integrationKeys.adherence(patientId), { today: '2026-06-10', items: [item()] });
      },
    );
    expect(html).toContain('Write an integration note');
    expect(html).toContain('Write note');
    expect(html).toContain('>Correct<');
    expect(html).toContain('Your psychotherapy notes');
  });

  it('the form shows the session’s intention and a separate author-only psychotherapy box', () => {
    const html = renderSignedIn(
      createElement(IntegrationNoteForm, {
        patientId,
        sessions: [item()],
        today: '2026-06-10',
        onDone: () => {},
        onCancel: () => {},
      }),
      ['patient.clinical.read', 'integration.write', 'psychotherapy-notes.write'],
    );
    expect(html).toContain('Dosing session it follows');
    expect(html).toContain('To be gentler with myself');
    expect(html).toContain('How the intention was met');
    expect(html).toContain('Techniques used');
    expect(html).toContain('Motivational interviewing');
    expect(html).toContain('Action items and homework');
    expect(html).toContain('Psychotherapy notes — only you can read these');
    expect(html).not.toContain('Reason for the correction');
  });

  it('the console lists missing, late and due sessions with links to the chart and the session', () => {
    const rows: AdherenceItem[] = [
      item(),
      item({
        sessionId: '00000000-0000-4000-8000-0000000000a2',
        state: 'due',
        opensOn: '2026-06-09',
        closesOn: '2026-06-11',
      }),
    ];
    const html = renderSignedIn(
      createElement(IntegrationConsolePage),
      ['patient.clinical.read', 'integration.write'],
      (client) =>
        client.setQueryData(integrationKeys.console(['missing', 'late', 'due']), {
          today: '2026-06-10',
          items: rows,
          truncated: false,
        }),
    );
    expect(html).toContain('Integration sessions');
    expect(html).toContain('Missing');
    expect(html).toContain('Due');
    expect(html).toContain(`href="/patients/${patientId}?section=integration"`);
    expect(html).toContain('href="/sessions/00000000-0000-4000-8000-0000000000a2"');
    expect(html).toContain('Tess Therapist');
    expect(html.match(/data-testid="adherence-row"/g)).toHaveLength(2);
  });
});
