import type { IntegrationAdherenceState, IntegrationTechnique } from '@kapstone/clinical';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

/** The shapes of packages/server/src/modules/integration/integration.schemas.ts. */
type Person = { id: string; displayName: string } | null;

export interface IntegrationContent {
  themes: string | null;
  insights: string | null;
  emotions: string | null;
  bodyExperience: string | null;
  intentionReflection: string | null;
  techniques: IntegrationTechnique[];
  techniquesOther: string | null;
  actionItems: string[];
  nextFocus: string | null;
}

export interface IntegrationNoteVersion {
  id: string;
  version: number;
  amendsId: string | null;
  amendmentReason: string | null;
  heldOn: string;
  content: IntegrationContent & { sessionIntentions: string[] };
  writtenAt: string;
  writtenBy: Person;
}

export interface IntegrationNote {
  id: string;
  patientId: string;
  dosingSession: { id: string; dosedAt: string | null; dosedOn: string | null };
  appointmentId: string | null;
  /** Psychotherapy notes go with the session; their words are never in this record. */
  hasPsychotherapyNote: boolean;
  /** Set only for the author of those notes. */
  ownPsychotherapyNoteSeriesId: string | null;
  current: IntegrationNoteVersion;
  versions: IntegrationNoteVersion[];
}

export interface AdherenceItem {
  sessionId: string;
  patient: { id: string; displayName: string; mrn: string };
  therapist: Person;
  protocolId: string;
  dosedAt: string;
  dosedOn: string;
  state: IntegrationAdherenceState;
  window: [number, number];
  opensOn: string;
  closesOn: string;
  integration: { noteId: string; heldOn: string; dayAfterDose: number } | null;
  booked: { appointmentId: string; startsAt: string } | null;
}

export interface PatientAdherenceItem extends AdherenceItem {
  intentions: string[];
}

export interface OwnPsychotherapyNote {
  seriesId: string;
  current: { id: string; version: number; body: string; writtenAt: string };
}

export const integrationKeys = {
  notes: (patientId: string) => ['integration-notes', patientId] as const,
  adherence: (patientId: string) => ['integration-adherence', patientId] as const,
  console: (states: readonly string[]) => ['integration-console', ...states] as const,
  ownPsychotherapy: (patientId: string) => ['psychotherapy-notes', patientId] as const,
};

const notesPath = (patientId: string) =>
  `${apiBase}/patients/${encodeURIComponent(patientId)}/integration-notes`;

export function useIntegrationNotes(patientId: string) {
  return useQuery({
    queryKey: integrationKeys.notes(patientId),
    queryFn: ({ signal }) => request<{ items: IntegrationNote[] }>(notesPath(patientId), { signal }),
    retry: false,
  });
}

export function usePatientAdherence(patientId: string) {
  return useQuery({
    queryKey: integrationKeys.adherence(patientId),
    queryFn: ({ signal }) =>
      request<{ today: string; items: PatientAdherenceItem[] }>(
        `${apiBase}/patients/${encodeURIComponent(patientId)}/integration-adherence`,
        { signal },
      ),
    retry: false,
  });
}

export function useAdherenceConsole(states: readonly IntegrationAdherenceState[]) {
  return useQuery({
    queryKey: integrationKeys.console(states),
    queryFn: ({ signal }) =>
      request<{ today: string; items: AdherenceItem[]; truncated: boolean }>(
        `${apiBase}/integration/adherence`,
        {
          query: { state: states.join(',') },
          signal,
        },
      ),
    refetchInterval: 300_000,
  });
}

/** The signed-in author's own psychotherapy notes about the patient (only ever theirs). */
export function useOwnPsychotherapyNotes(patientId: string, enabled: boolean) {
  return useQuery({
    queryKey: integrationKeys.ownPsychotherapy(patientId),
    queryFn: ({ signal }) =>
      request<{ items: OwnPsychotherapyNote[] }>(`${apiBase}/psychotherapy-notes`, {
        query: { patientId },
        signal,
      }),
    enabled,
    retry: false,
  });
}

export function useRefreshIntegration(patientId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: integrationKeys.notes(patientId) }),
      queryClient.invalidateQueries({ queryKey: integrationKeys.adherence(patientId) }),
      queryClient.invalidateQueries({ queryKey: integrationKeys.ownPsychotherapy(patientId) }),
      queryClient.invalidateQueries({ queryKey: ['integration-console'] }),
    ]);
}

export interface IntegrationNoteCreate {
  id: string;
  dosingSessionId: string;
  appointmentId?: string | null;
  heldOn: string;
  content: IntegrationContent;
  psychotherapyNotes?: string;
}

export interface IntegrationAmendment {
  id: string;
  amendsId: string;
  reason: string;
  heldOn: string;
  content: IntegrationContent;
  psychotherapyNotes?: string;
}

export const integrationApi = {
  create: (patientId: string, body: IntegrationNoteCreate) =>
    request<IntegrationNote>(notesPath(patientId), { method: 'POST', body }),
  amend: (patientId: string, noteId: string, body: IntegrationAmendment) =>
    request<IntegrationNote>(`${notesPath(patientId)}/${encodeURIComponent(noteId)}/amendments`, {
      method: 'POST',
      body,
    }),
};
