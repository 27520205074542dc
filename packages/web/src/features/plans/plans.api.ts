import type { DoseCalculation, PlannedEvent, ProtocolId } from '@kapstone/clinical';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

/** The shapes of docs/api-contract.md, "Treatment plans and preparation notes". */
export interface DoseAmount {
  value: number;
  unit: 'mg/kg' | 'mg';
}
export interface PlanGoal {
  text: string;
  preparationNoteId?: string | null;
  preparationItemId?: string | null;
}
export interface PlanInput {
  indication: { icd10: string; description: string; notOnProblemList?: boolean };
  protocolId: ProtocolId;
  route: string;
  product: string;
  startDate: string;
  dosingSessions: number;
  weightKg?: number | null;
  startingDose: DoseAmount;
  maximumDose: DoseAmount;
  goals: PlanGoal[];
  intentions: PlanGoal[];
}
export interface Person {
  id: string;
  displayName: string;
}
export type PlanStatus = 'draft' | 'signed' | 'superseded' | 'ended' | 'discarded';
export interface TreatmentPlan {
  id: string;
  patientId: string;
  seriesId: string;
  version: number;
  amendsId: string | null;
  amendmentReason: string | null;
  status: PlanStatus;
  revision: number;
  indication: { icd10: string; description: string; conditionId: string | null };
  protocolId: ProtocolId;
  protocolName: string;
  route: string;
  product: string;
  startDate: string;
  dosingSessions: number;
  weightKg: number | null;
  startingDose: DoseAmount & { calculation: DoseCalculation };
  maximumDose: DoseAmount & { calculation: DoseCalculation };
  plannedCourse: PlannedEvent[];
  measureSchedule: PlannedEvent[];
  goals: Required<PlanGoal>[];
  intentions: Required<PlanGoal>[];
  createdAt: string;
  createdBy: Person | null;
  updatedAt: string;
  signedAt: string | null;
  signedBy: Person | null;
  doseWarningsAcknowledged: boolean;
  closedAt: string | null;
  closedBy: Person | null;
  endReason: 'course-complete' | 'stopped' | null;
  endNote: string | null;
  supersededById: string | null;
}
export interface PlanList {
  items: TreatmentPlan[];
  activePlanId: string | null;
}
export interface PlanPreviewInput {
  protocolId: ProtocolId;
  startDate?: string;
  dosingSessions?: number;
  weightKg?: number | null;
  startingDose?: DoseAmount | null;
  maximumDose?: DoseAmount | null;
}
export interface PlanPreview {
  route: string;
  product: string;
  protocolName: string;
  plannedCourse: PlannedEvent[] | null;
  courseProblem: { path: string; message: string } | null;
  startingDose: DoseCalculation | null;
  maximumDose: DoseCalculation | null;
}

export const planKeys = {
  list: (patientId: string) => ['plans', patientId] as const,
  preview: (patientId: string, input: PlanPreviewInput | null) =>
    ['plans', patientId, 'preview', input] as const,
};

const plansPath = (patientId: string) =>
  `${apiBase}/patients/${encodeURIComponent(patientId)}/treatment-plans`;

export function usePlans(patientId: string) {
  return useQuery({
    queryKey: planKeys.list(patientId),
    queryFn: ({ signal }) => request<PlanList>(plansPath(patientId), { signal }),
    retry: false,
  });
}

/** The server's planCourse and calculateDose for the inputs typed so far (null: nothing to preview yet). */
export function usePlanPreview(patientId: string, input: PlanPreviewInput | null) {
  return useQuery({
    queryKey: planKeys.preview(patientId, input),
    queryFn: ({ signal }) =>
      request<PlanPreview>(`${plansPath(patientId)}/preview`, { method: 'POST', body: input, signal }),
    enabled: input !== null,
    retry: false,
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  });
}

export const plansApi = {
  create: (patientId: string, input: PlanInput) =>
    request<TreatmentPlan>(plansPath(patientId), { method: 'POST', body: input }),
  update: (patientId: string, planId: string, input: PlanInput & { revision: number }) =>
    request<TreatmentPlan>(`${plansPath(patientId)}/${planId}`, { method: 'PUT', body: input }),
  sign: (
    patientId: string,
    planId: string,
    body: { signatureId: string; password: string; revision: number; acknowledgeDoseWarnings?: boolean },
  ) => request<TreatmentPlan>(`${plansPath(patientId)}/${planId}/signature`, { method: 'POST', body }),
  amend: (patientId: string, planId: string, reason: string) =>
    request<TreatmentPlan>(`${plansPath(patientId)}/${planId}/amendments`, {
      method: 'POST',
      body: { reason },
    }),
  discard: (patientId: string, draftId: string) =>
    request<TreatmentPlan>(`${plansPath(patientId)}/${draftId}/discard`, { method: 'POST', body: {} }),
  end: (
    patientId: string,
    planId: string,
    body: { reason: 'course-complete' | 'stopped'; note?: string | null },
  ) => request<TreatmentPlan>(`${plansPath(patientId)}/${planId}/end`, { method: 'POST', body }),
};

export function useRefreshPlans(patientId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: planKeys.list(patientId) });
}
