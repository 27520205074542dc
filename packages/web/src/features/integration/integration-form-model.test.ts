import { describe, expect, it } from 'vitest';
import type { AdherenceItem, IntegrationNote } from './integration.api.ts';
import {
  contentOf,
  describeAdherence,
  emptyIntegrationForm,
  formFromNote,
  validateIntegrationForm,
} from './integration-form-model.ts';

const today = '2026-06-10';
const filled = () => ({
  ...emptyIntegrationForm(today, 'session-1'),
  themes: '  Agency at work  ',
  techniques: ['mindfulness' as const],
  actionItems: ['Breathing practice each morning', '   ', ''],
});

describe('integration note form model', () => {
  it('sends trimmed text, null for empty fields, no blank action items, “other” only when ticked', () => {
    expect(contentOf({ ...filled(), techniquesOther: 'left over' })).toEqual({
      themes: 'Agency at work',
      insights: null,
      emotions: null,
      bodyExperience: null,
      intentionReflection: null,
      techniques: ['mindfulness'],
      techniquesOther: null,
      actionItems: ['Breathing practice each morning'],
      nextFocus: null,
    });
    expect(contentOf({ ...filled(), techniques: ['other'], techniquesOther: ' Art ' }).techniquesOther).toBe(
      'Art',
    );
  });

  it('names the problems the server would: the session, a future day, “other” unnamed, an empty note, a reason', () => {
    expect(validateIntegrationForm(filled(), 'create', today)).toEqual({});
    expect(validateIntegrationForm({ ...filled(), dosingSessionId: '' }, 'create', today)).toHaveProperty(
      'dosingSessionId',
    );
    expect(validateIntegrationForm({ ...filled(), heldOn: '2026-06-11' }, 'create', today)).toHaveProperty(
      'heldOn',
    );
    expect(validateIntegrationForm({ ...filled(), techniques: ['other'] }, 'create', today)).toHaveProperty(
      'techniquesOther',
    );
    expect(validateIntegrationForm(emptyIntegrationForm(today, 's'), 'create', today)).toHaveProperty(
      'themes',
    );
    // Psychotherapy notes alone are a note too.
    expect(
      validateIntegrationForm(
        { ...emptyIntegrationForm(today, 's'), psychotherapyNotes: 'x' },
        'create',
        today,
      ),
    ).toEqual({});
    expect(validateIntegrationForm(filled(), 'amend', today)).toHaveProperty('reason');
    expect(validateIntegrationForm({ ...filled(), reason: 'Homework added' }, 'amend', today)).toEqual({});
  });

  it('starts a correction from the current version, the psychotherapy box empty', () => {
    const version = {
      id: 'v2',
      version: 2,
      amendsId: 'v1',
      amendmentReason: 'Added homework',
      heldOn: '2026-06-09',
      content: {
        themes: 'Grief',
        insights: null,
        emotions: null,
        bodyExperience: null,
        sessionIntentions: ['Be gentle'],
        intentionReflection: null,
        techniques: ['somatic' as const],
        techniquesOther: null,
        actionItems: [],
        nextFocus: 'Sleep',
      },
      writtenAt: '2026-06-09T18:00:00Z',
      writtenBy: null,
    };
    const note: IntegrationNote = {
      id: 'v1',
      patientId: 'p',
      dosingSession: { id: 'session-1', dosedAt: null, dosedOn: '2026-06-08' },
      appointmentId: null,
      hasPsychotherapyNote: true,
      ownPsychotherapyNoteSeriesId: null,
      current: version,
      versions: [version],
    };
    expect(formFromNote(note)).toMatchObject({
      dosingSessionId: 'session-1',
      heldOn: '2026-06-09',
      themes: 'Grief',
      techniques: ['somatic'],
      actionItems: [''],
      nextFocus: 'Sleep',
      psychotherapyNotes: '',
      reason: '',
    });
  });

  it('describes each adherence state in a clinician’s words', () => {
    const base: AdherenceItem = {
      sessionId: 's',
      patient: { id: 'p', displayName: 'Alex Example', mrn: 'MRN-1' },
      therapist: null,
      protocolId: 'kap-im',
      dosedAt: '2026-06-01T14:00:00Z',
      dosedOn: '2026-06-01',
      state: 'missing',
      window: [1, 3],
      opensOn: '2026-06-02',
      closesOn: '2026-06-04',
      integration: null,
      booked: null,
    };
    expect(describeAdherence(base)).toBe('No integration recorded; the window closed on 2026-06-04.');
    expect(describeAdherence({ ...base, state: 'due' })).toContain('not booked');
    expect(
      describeAdherence({
        ...base,
        state: 'due',
        booked: { appointmentId: 'a', startsAt: '2026-06-03T15:00:00Z' },
      }),
    ).toContain('booked.');
    expect(
      describeAdherence({
        ...base,
        state: 'late',
        integration: { noteId: 'n', heldOn: '2026-06-06', dayAfterDose: 5 },
      }),
    ).toBe('Integration on 2026-06-06, day 5: after the window (due 2026-06-02 to 2026-06-04).');
    expect(describeAdherence({ ...base, state: 'not-due-yet' })).toBe(
      'Window opens on 2026-06-02 (to 2026-06-04).',
    );
  });
});
