import type {
  EligibilityAssessment,
  EligibilityDecisionKind,
  EligibilityProfile,
  Product,
  Route,
} from '@kapstone/clinical';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

/** Shapes of the screening and eligibility endpoints (docs/api-contract.md, "Screening and eligibility"). */
export interface VitalSignsReading {
  id: string;
  patientId: string;
  context: 'screening';
  sessionId: string | null;
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  spo2: number | null;
  respiratoryRate: number | null;
  weightKg: number | null;
  heightCm: number | null;
  measuredAt: string;
  recordedAt: string;
  recordedBy: { id: string; displayName: string };
  note: string | null;
  supersedesId: string | null;
  correctionReason: string | null;
  enteredInError: boolean;
  status: 'current' | 'superseded' | 'entered-in-error' | 'retraction';
  supersededById: string | null;
  classification: { level: 'normal' | 'warning' | 'critical'; reasons: string[] } | null;
}

export interface VitalSignsSubmission {
  id: string;
  measuredAt: string;
  systolic?: number;
  diastolic?: number;
  heartRate?: number;
  spo2?: number;
  respiratoryRate?: number;
  weightKg?: number;
  heightCm?: number;
  note?: string;
  supersedesId?: string;
  correctionReason?: string;
  enteredInError?: boolean;
}

export interface EligibilitySources {
  vitalSignsId: string | null;
  vitalsMeasuredAt: string | null;
  intakeVersion: number | null;
  intakeSubmittedAt: string | null;
  scores: { instrument: string; respondedAt: string }[];
}

export interface RationaleRequirement {
  required: boolean;
  reason: string | null;
}

export interface EligibilityAssessmentView {
  patientId: string;
  route: Route;
  product: Product;
  computedAt: string;
  profile: EligibilityProfile;
  sources: EligibilitySources;
  assessment: EligibilityAssessment;
  fingerprint: string;
  rationale: Record<EligibilityDecisionKind, RationaleRequirement>;
}

export interface EligibilityDecisionView {
  id: string;
  patientId: string;
  route: Route;
  product: Product;
  decision: EligibilityDecisionKind;
  conditions: string | null;
  rationale: string | null;
  engineDecision: EligibilityAssessment['decision'];
  assessment: EligibilityAssessment;
  profile: EligibilityProfile;
  sources: EligibilitySources;
  fingerprint: string;
  amendsId: string | null;
  amendmentReason: string | null;
  amendedById: string | null;
  signedBy: { id: string; displayName: string; roles: string[] };
  signedAt: string;
  signatureMeaning: string;
  locked: true;
}

export interface EligibilityOverview {
  effective: EligibilityDecisionView | null;
  history: EligibilityDecisionView[];
}

export interface DecisionSubmission {
  id: string;
  decision: EligibilityDecisionKind;
  conditions: string | null;
  rationale: string | null;
  fingerprint: string;
  password: string;
}

export const screeningKeys = {
  vitals: (patientId: string) => ['screening', 'vitals', patientId] as const,
  assessments: (patientId: string) => ['screening', 'assessment', patientId] as const,
  assessment: (patientId: string, route: Route, product: Product) =>
    ['screening', 'assessment', patientId, route, product] as const,
  eligibility: (patientId: string) => ['screening', 'eligibility', patientId] as const,
};

const patientPath = (patientId: string) => `${apiBase}/patients/${encodeURIComponent(patientId)}`;

export function useVitals(patientId: string) {
  return useQuery({
    queryKey: screeningKeys.vitals(patientId),
    queryFn: ({ signal }) =>
      request<{ items: VitalSignsReading[] }>(`${patientPath(patientId)}/vitals`, { signal }),
    retry: false,
  });
}

export function useRecordVitals(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: VitalSignsSubmission) =>
      request<VitalSignsReading>(`${patientPath(patientId)}/vitals`, { method: 'POST', body }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: screeningKeys.vitals(patientId) });
      // New vitals change the assessment (and its fingerprint).
      await queryClient.invalidateQueries({ queryKey: screeningKeys.assessments(patientId) });
    },
  });
}

export function useAssessment(patientId: string, route: Route, product: Product) {
  return useQuery({
    queryKey: screeningKeys.assessment(patientId, route, product),
    queryFn: ({ signal }) =>
      request<EligibilityAssessmentView>(`${patientPath(patientId)}/eligibility/assessment`, {
        query: { route, product },
        signal,
      }),
    retry: false,
  });
}

export function useEligibility(patientId: string) {
  return useQuery({
    queryKey: screeningKeys.eligibility(patientId),
    queryFn: ({ signal }) =>
      request<EligibilityOverview>(`${patientPath(patientId)}/eligibility`, { signal }),
    retry: false,
  });
}

export function useSignDecision(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DecisionSubmission & { route: Route; product: Product }) =>
      request<EligibilityDecisionView>(`${patientPath(patientId)}/eligibility/decisions`, {
        method: 'POST',
        body,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: screeningKeys.eligibility(patientId) }),
  });
}

export function useAmendDecision(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ decisionId, ...body }: DecisionSubmission & { decisionId: string; reason: string }) =>
      request<EligibilityDecisionView>(
        `${patientPath(patientId)}/eligibility/decisions/${encodeURIComponent(decisionId)}/amendments`,
        { method: 'POST', body },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: screeningKeys.eligibility(patientId) }),
  });
}
