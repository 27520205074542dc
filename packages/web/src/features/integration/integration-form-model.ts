import {
  type IntegrationAdherenceState,
  type IntegrationTechnique,
  integrationTechniqueLabels,
  integrationTechniques,
} from '@kapstone/clinical';
import type { AdherenceItem, IntegrationContent, IntegrationNote } from './integration.api.ts';

/** What the integration note form holds while the therapist writes (text fields as typed). */
export interface IntegrationFormValues {
  dosingSessionId: string;
  heldOn: string;
  themes: string;
  insights: string;
  emotions: string;
  bodyExperience: string;
  intentionReflection: string;
  techniques: IntegrationTechnique[];
  techniquesOther: string;
  actionItems: string[];
  nextFocus: string;
  /** Author-only: sent to the psychotherapy-note store, never kept in the record. */
  psychotherapyNotes: string;
  /** Why a signed note is corrected (amendments only). */
  reason: string;
}

export const techniqueOptions = integrationTechniques.map((value) => ({
  value,
  label: integrationTechniqueLabels[value],
}));

export function emptyIntegrationForm(today: string, dosingSessionId = ''): IntegrationFormValues {
  return {
    dosingSessionId,
    heldOn: today,
    themes: '',
    insights: '',
    emotions: '',
    bodyExperience: '',
    intentionReflection: '',
    techniques: [],
    techniquesOther: '',
    actionItems: [''],
    nextFocus: '',
    psychotherapyNotes: '',
    reason: '',
  };
}

/** The form for a correction: the current version's words, the psychotherapy box empty (unchanged unless written). */
export function formFromNote(note: IntegrationNote): IntegrationFormValues {
  const c = note.current.content;
  return {
    dosingSessionId: note.dosingSession.id,
    heldOn: note.current.heldOn,
    themes: c.themes ?? '',
    insights: c.insights ?? '',
    emotions: c.emotions ?? '',
    bodyExperience: c.bodyExperience ?? '',
    intentionReflection: c.intentionReflection ?? '',
    techniques: [...c.techniques],
    techniquesOther: c.techniquesOther ?? '',
    actionItems: c.actionItems.length > 0 ? [...c.actionItems] : [''],
    nextFocus: c.nextFocus ?? '',
    psychotherapyNotes: '',
    reason: '',
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

export function contentOf(values: IntegrationFormValues): IntegrationContent {
  return {
    themes: orNull(values.themes),
    insights: orNull(values.insights),
    emotions: orNull(values.emotions),
    bodyExperience: orNull(values.bodyExperience),
    intentionReflection: orNull(values.intentionReflection),
    techniques: values.techniques,
    techniquesOther: values.techniques.includes('other') ? orNull(values.techniquesOther) : null,
    actionItems: values.actionItems.map((item) => item.trim()).filter((item) => item !== ''),
    nextFocus: orNull(values.nextFocus),
  };
}

/** The problems the server would name, found before sending (it checks again). */
export function validateIntegrationForm(
  values: IntegrationFormValues,
  mode: 'create' | 'amend',
  today: string,
): Partial<Record<keyof IntegrationFormValues, string>> {
  const errors: Partial<Record<keyof IntegrationFormValues, string>> = {};
  if (!values.dosingSessionId) errors.dosingSessionId = 'Choose the dosing session this integration follows.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.heldOn)) errors.heldOn = 'Give the day of the integration session.';
  else if (values.heldOn > today) errors.heldOn = 'Not a day in the future.';
  if (values.techniques.includes('other') && values.techniquesOther.trim() === '')
    errors.techniquesOther = 'Say which other technique.';
  if (mode === 'amend' && values.reason.trim().length < 3) errors.reason = 'Say why the note is amended.';
  const content = contentOf(values);
  const empty =
    Object.entries(content).every(([, v]) => v === null || (Array.isArray(v) && v.length === 0)) &&
    values.psychotherapyNotes.trim() === '';
  if (empty) errors.themes = 'Write at least one part of the note.';
  return errors;
}

export const adherenceStateLabels: Record<IntegrationAdherenceState, string> = {
  done: 'Done',
  late: 'Late',
  due: 'Due',
  missing: 'Missing',
  'not-due-yet': 'Not due yet',
};

export const adherenceStateColors: Record<IntegrationAdherenceState, string> = {
  done: 'green',
  late: 'orange',
  due: 'blue',
  missing: 'red',
  'not-due-yet': 'gray',
};

/** One line a clinician reads: when it was due and what happened. */
export function describeAdherence(item: AdherenceItem): string {
  const window = `due ${item.opensOn} to ${item.closesOn}`;
  switch (item.state) {
    case 'done':
      return `Integration on ${item.integration?.heldOn} (day ${item.integration?.dayAfterDose}); ${window}.`;
    case 'late':
      return `Integration on ${item.integration?.heldOn}, day ${item.integration?.dayAfterDose}: after the window (${window}).`;
    case 'due':
      return item.booked ? `Window open, ${window}; booked.` : `Window open, ${window}; not booked.`;
    case 'missing':
      return `No integration recorded; the window closed on ${item.closesOn}.`;
    case 'not-due-yet':
      return `Window opens on ${item.opensOn} (to ${item.closesOn}).`;
  }
}
