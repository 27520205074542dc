import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type { Person } from '../plans/plans.api.ts';

/** The shapes of docs/api-contract.md, "Treatment plans and preparation notes". */
export const psychoeducationTopics = [
  'what-it-feels-like',
  'dissociation',
  'nausea',
  'blood-pressure',
  'no-driving',
  'right-to-stop',
  'integration',
] as const;
export type PsychoeducationTopic = (typeof psychoeducationTopics)[number];

export interface PreparationContent {
  sessionDate: string | null;
  goals: { id: string; text: string }[];
  intentions: { id: string; text: string }[];
  concerns: string | null;
  psychoeducation: { topic: PsychoeducationTopic; covered: boolean; note: string | null }[];
  setAndSetting: {
    music: string | null;
    eyeMask: boolean | null;
    lighting: string | null;
    blanket: boolean | null;
    other: string | null;
  };
  supportPerson: { name: string; relationship: string; phone: string | null } | null;
  rideHome: { name: string; phone: string; relationship: string } | null;
}

export interface PreparationNote {
  id: string;
  patientId: string;
  status: 'draft' | 'signed';
  revision: number;
  content: PreparationContent;
  createdAt: string;
  createdBy: Person | null;
  updatedAt: string;
  versions: {
    id: string;
    version: number;
    content: PreparationContent;
    amendmentReason: string | null;
    signedAt: string;
    signedBy: Person | null;
  }[];
}

export const preparationKeys = { list: (patientId: string) => ['preparation-notes', patientId] as const };

const notesPath = (patientId: string) =>
  `${apiBase}/patients/${encodeURIComponent(patientId)}/preparation-notes`;

export function usePreparationNotes(patientId: string, enabled = true) {
  return useQuery({
    queryKey: preparationKeys.list(patientId),
    queryFn: ({ signal }) => request<{ items: PreparationNote[] }>(notesPath(patientId), { signal }),
    retry: false,
    enabled,
  });
}

export function useRefreshPreparation(patientId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: preparationKeys.list(patientId) });
}

export const preparationApi = {
  create: (patientId: string, content: PreparationContent) =>
    request<PreparationNote>(notesPath(patientId), { method: 'POST', body: { content } }),
  save: (
    patientId: string,
    noteId: string,
    body: { revision: number; content: PreparationContent; amendmentReason?: string; saveId?: string },
  ) => request<PreparationNote>(`${notesPath(patientId)}/${noteId}`, { method: 'PUT', body }),
  sign: (patientId: string, noteId: string, body: { signatureId: string; revision: number }) =>
    request<PreparationNote>(`${notesPath(patientId)}/${noteId}/signature`, { method: 'POST', body }),
};
