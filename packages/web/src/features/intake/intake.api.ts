import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type { Draft, IntakeAnswerValue, IntakeSection } from './intake-questions.ts';

/** The intake as the server presents it (docs/api-contract.md, Intake). */
export interface IntakeView {
  patientId: string;
  status: 'not-started' | 'draft' | 'submitted';
  version: number;
  answers: Draft;
  /** Paths under `answers`, e.g. `answers.medical.cardiovascular.hypertension`. */
  missing: { path: string; message: string }[];
  sections: { section: IntakeSection; complete: boolean }[];
  resumeSection: IntakeSection;
  flagged: { path: string; reference: string; answer: IntakeAnswerValue }[];
  editableByPatient: boolean;
  submittedAt: string | null;
  submittedVersion: number | null;
  updatedAt: string | null;
  lastSavedBy: { id: string; displayName: string; kind: 'patient' | 'staff' } | null;
}

export interface IntakeVersion {
  version: number;
  kind: 'draft' | 'submission' | 'correction';
  savedAt: string;
  savedBy: { id: string; displayName: string; kind: 'patient' | 'staff' };
  reason: string | null;
  changedPaths: string[];
  changes: { path: string; from: unknown; to: unknown }[];
}

export const intakeKeys = {
  mine: ['me', 'intake'] as const,
  patient: (patientId: string) => ['patients', patientId, 'intake'] as const,
  versions: (patientId: string) => ['patients', patientId, 'intake', 'versions'] as const,
};

export function useOwnIntake() {
  return useQuery({
    queryKey: intakeKeys.mine,
    queryFn: ({ signal }) => request<IntakeView>(`${apiBase}/me/intake`, { signal }),
  });
}

export interface OwnIntakeSave {
  version: number;
  answers: Draft;
  resumeSection?: IntakeSection;
  clientSaveId: string;
}

export function useSaveOwnIntake() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: OwnIntakeSave) => request<IntakeView>(`${apiBase}/me/intake`, { method: 'PUT', body }),
    onSuccess: (view) => queryClient.setQueryData(intakeKeys.mine, view),
  });
}

export function useSubmitOwnIntake() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { version: number; clientSaveId: string }) =>
      request<IntakeView>(`${apiBase}/me/intake/submit`, { method: 'POST', body }),
    onSuccess: (view) => queryClient.setQueryData(intakeKeys.mine, view),
  });
}

export function usePatientIntake(patientId: string) {
  return useQuery({
    queryKey: intakeKeys.patient(patientId),
    queryFn: ({ signal }) => request<IntakeView>(`${apiBase}/patients/${patientId}/intake`, { signal }),
  });
}

export function useIntakeVersions(patientId: string) {
  return useQuery({
    queryKey: intakeKeys.versions(patientId),
    queryFn: ({ signal }) =>
      request<{ items: IntakeVersion[] }>(`${apiBase}/patients/${patientId}/intake/versions`, { signal }),
  });
}

export interface StaffIntakeSave {
  version: number;
  answers: Draft;
  reason?: string;
  submit?: boolean;
  clientSaveId: string;
}

export function useSaveIntakeAsStaff(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: StaffIntakeSave) =>
      request<IntakeView>(`${apiBase}/patients/${patientId}/intake`, { method: 'PUT', body }),
    onSuccess: (view) => {
      queryClient.setQueryData(intakeKeys.patient(patientId), view);
      void queryClient.invalidateQueries({ queryKey: intakeKeys.versions(patientId) });
    },
  });
}
