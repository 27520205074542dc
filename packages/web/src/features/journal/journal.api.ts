import type { AfterEffect, ExperienceRatingAnswers } from '@kapstone/clinical';
import { useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

/** Shapes of the journal and experience-rating endpoints (server modules/journal). */
export type JournalPromptKey = 'intention-noticed' | 'intention-now' | 'carry-forward' | 'body' | 'support';
export interface JournalPrompt {
  key: JournalPromptKey;
  text: string;
}

export interface MyJournalEntry {
  id: string;
  versionId: string;
  version: number;
  text: string;
  shared: boolean;
  prompt: JournalPrompt | null;
  sessionId: string | null;
  sessionDate: string | null;
  createdAt: string;
  updatedAt: string;
  history: { versionId: string; version: number; shared: boolean; textChanged: boolean; writtenAt: string }[];
}

export interface JournalPromptSession {
  sessionId: string;
  date: string;
  intentions: string[];
  prompts: JournalPrompt[];
}

export interface SharedJournalEntry {
  id: string;
  versionId: string;
  text: string;
  prompt: JournalPrompt | null;
  sessionId: string | null;
  sessionDate: string | null;
  createdAt: string;
  sharedAt: string;
}

export interface RatingOpening {
  sessionId: string;
  sessionDate: string;
  opensOn: string;
}

export interface ExperienceRating {
  id: string;
  sessionId: string;
  sessionDate: string;
  version: number;
  amendsId: string | null;
  answers: ExperienceRatingAnswers;
  submittedAt: string;
}

export interface MyExperienceRatings {
  due: RatingOpening[];
  upcoming: RatingOpening[];
  rated: ExperienceRating[];
}

export interface PatientExperienceRatings {
  difficultyFlagAtLeast: number | null;
  items: (ExperienceRating & { difficultExperience: boolean | null })[];
}

export type { AfterEffect, ExperienceRatingAnswers };

export const journalKeys = {
  mine: ['me', 'journal'] as const,
  prompts: ['me', 'journal', 'prompts'] as const,
  ratings: ['me', 'experience-ratings'] as const,
  shared: (patientId: string) => ['patients', 'journal', patientId] as const,
  patientRatings: (patientId: string) => ['patients', 'experience-ratings', patientId] as const,
};

export function useMyJournal() {
  return useQuery({
    queryKey: journalKeys.mine,
    queryFn: ({ signal }) => request<{ items: MyJournalEntry[] }>(`${apiBase}/me/journal`, { signal }),
  });
}

export function useJournalPrompts() {
  return useQuery({
    queryKey: journalKeys.prompts,
    queryFn: ({ signal }) =>
      request<{ sessions: JournalPromptSession[] }>(`${apiBase}/me/journal/prompts`, { signal }),
  });
}

export function useMyExperienceRatings() {
  return useQuery({
    queryKey: journalKeys.ratings,
    queryFn: ({ signal }) => request<MyExperienceRatings>(`${apiBase}/me/experience-ratings`, { signal }),
  });
}

export function useSharedJournal(patientId: string) {
  return useQuery({
    queryKey: journalKeys.shared(patientId),
    queryFn: ({ signal }) =>
      request<{ items: SharedJournalEntry[] }>(
        `${apiBase}/patients/${encodeURIComponent(patientId)}/journal`,
        {
          signal,
        },
      ),
  });
}

export function usePatientExperienceRatings(patientId: string) {
  return useQuery({
    queryKey: journalKeys.patientRatings(patientId),
    queryFn: ({ signal }) =>
      request<PatientExperienceRatings>(
        `${apiBase}/patients/${encodeURIComponent(patientId)}/experience-ratings`,
        { signal },
      ),
  });
}

export const journalApi = {
  /** The id is generated once per draft by the caller, so a retry after a lost reply is not saved twice. */
  create: (body: {
    id: string;
    text: string;
    shared: boolean;
    prompt?: { sessionId: string; key: JournalPromptKey; text: string };
  }) => request<MyJournalEntry>(`${apiBase}/me/journal`, { method: 'POST', body }),
  revise: (entryId: string, body: { id: string; amendsId: string; text?: string; shared?: boolean }) =>
    request<MyJournalEntry>(`${apiBase}/me/journal/${encodeURIComponent(entryId)}/versions`, {
      method: 'POST',
      body,
    }),
  rate: (sessionId: string, body: { id: string; amendsId?: string; answers: ExperienceRatingAnswers }) =>
    request<ExperienceRating>(`${apiBase}/me/experience-ratings/${encodeURIComponent(sessionId)}`, {
      method: 'POST',
      body,
    }),
};
