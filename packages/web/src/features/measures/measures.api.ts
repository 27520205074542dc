import { useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type { QuestionnaireItem } from './questionnaire-flow.ts';

/** Shapes of the measures endpoints (docs/api-contract.md, "Measures and alerts"). */
export type AssignmentStatus = 'pending' | 'completed' | 'cancelled';

export interface DueMeasure {
  id: string;
  instrument: string;
  name: string;
  shortName: string;
  dueDate: string;
  status: AssignmentStatus;
  itemCount: number;
}

export interface PortalQuestionnaire {
  assignment: { id: string; status: AssignmentStatus; dueDate: string; completedAt: string | null };
  questionnaire: {
    instrument: string;
    name: string;
    shortName: string;
    recallPeriod: string;
    licence: string;
    items: QuestionnaireItem[];
  };
}

export interface CrisisResourcesInfo {
  lifeline: { name: string; call: string; text: string };
  emergency: string;
  clinicPhone: string | null;
}

export interface Submission {
  id: string;
  assignmentId: string;
  instrument: string;
  authoredAt: string;
  crisisResources: CrisisResourcesInfo | null;
}

export interface MeasureAssignment {
  id: string;
  instrument: string;
  name: string;
  shortName: string;
  reason: string;
  respondent: 'patient' | 'clinician';
  dueDate: string;
  status: AssignmentStatus;
  assignedAt: string;
  assignedBy: { id: string; displayName: string } | null;
  completedAt: string | null;
  responseId: string | null;
}

export interface MeasureResponse {
  id: string;
  assignmentId: string | null;
  instrument: string;
  shortName: string;
  answers: (number | null)[];
  score: {
    total: number | null;
    totalRange: { min: number; max: number } | null;
    band: string;
    bandLabel: string | null;
    complete: boolean;
    flags: string[];
    subscales: Record<string, number> | null;
  };
  source: 'patient' | 'staff';
  enteredBy: { id: string; displayName: string } | null;
  authoredAt: string;
  supersedesId: string | null;
  supersededBy: string | null;
  observations: {
    id: string;
    key: string;
    code: { system: string; code: string } | null;
    display: string;
    value: number | null;
    band: string | null;
  }[];
  alerts: { id: string; severity: string; status: string }[];
}

export interface PatientMeasures {
  assignments: MeasureAssignment[];
  responses: MeasureResponse[];
}

export const measureKeys = {
  due: ['me', 'measures'] as const,
  questionnaire: (assignmentId: string) => ['me', 'measures', assignmentId] as const,
  patient: (patientId: string) => ['patients', 'measures', patientId] as const,
};

export function useDueMeasures() {
  return useQuery({
    queryKey: measureKeys.due,
    queryFn: ({ signal }) => request<{ items: DueMeasure[] }>(`${apiBase}/me/measures`, { signal }),
  });
}

export function useQuestionnaire(assignmentId: string) {
  return useQuery({
    queryKey: measureKeys.questionnaire(assignmentId),
    queryFn: ({ signal }) =>
      request<PortalQuestionnaire>(`${apiBase}/me/measures/${encodeURIComponent(assignmentId)}`, { signal }),
    retry: false,
  });
}

export function usePatientMeasures(patientId: string) {
  return useQuery({
    queryKey: measureKeys.patient(patientId),
    queryFn: ({ signal }) =>
      request<PatientMeasures>(`${apiBase}/patients/${encodeURIComponent(patientId)}/measures`, { signal }),
  });
}

export const measuresApi = {
  /** The id is generated once per attempt by the caller, so a retry after a lost answer is not stored twice. */
  submit: (assignmentId: string, body: { id: string; answers: (number | null)[] }) =>
    request<Submission>(`${apiBase}/me/measures/${encodeURIComponent(assignmentId)}/responses`, {
      method: 'POST',
      body,
    }),
  /** Staff entry (clinician-rated, or on the patient's behalf); `supersedes` corrects a completed one. */
  enter: (
    patientId: string,
    assignmentId: string,
    body: { id: string; answers: (number | null)[]; supersedes?: string },
  ) =>
    request<MeasureResponse>(
      `${apiBase}/patients/${encodeURIComponent(patientId)}/measure-assignments/${encodeURIComponent(assignmentId)}/responses`,
      { method: 'POST', body },
    ),
  assign: (patientId: string, body: { instruments?: string[] } = {}) =>
    request<{ assigned: MeasureAssignment[]; alreadyPending: MeasureAssignment[] }>(
      `${apiBase}/patients/${encodeURIComponent(patientId)}/measure-assignments`,
      { method: 'POST', body },
    ),
};
