import { type InfiniteData, type QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type {
  Allergy,
  AllergyInput,
  AllergyStatus,
  BreakGlassGrantIssued,
  Condition,
  ConditionInput,
  ConditionStatus,
  Medication,
  MedicationInput,
  MedicationStatus,
  Page,
  Patient,
  PatientAmendment,
  PatientHistoryEntry,
  PatientInput,
  PatientSummary,
} from '../../api/types.ts';
import type { PatientSearchFilters } from './patient-search-state.tsx';

export const patientKeys = {
  searches: ['patients', 'search'] as const,
  search: (filters: PatientSearchFilters) => ['patients', 'search', filters] as const,
  chart: (patientId: string) => ['patients', 'chart', patientId] as const,
  history: (patientId: string) => ['patients', 'history', patientId] as const,
};

const pageSize = 25;

export function usePatientSearchResults(filters: PatientSearchFilters) {
  return useInfiniteQuery({
    queryKey: patientKeys.search(filters),
    queryFn: ({ pageParam, signal }) =>
      request<Page<PatientSummary>>(`${apiBase}/patients`, {
        query: {
          q: filters.q.trim(),
          dateOfBirth: filters.dateOfBirth,
          mrn: filters.mrn.trim(),
          limit: pageSize,
          cursor: pageParam,
        },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * The search row of a patient, if this session has listed it. The chart endpoint answers 404 both for a
 * missing chart and for one outside the care team; the row's `inCareTeam` tells the two apart for the UI.
 */
export function findListedPatient(queryClient: QueryClient, patientId: string): PatientSummary | undefined {
  const searches = queryClient.getQueriesData<InfiniteData<Page<PatientSummary>>>({
    queryKey: patientKeys.searches,
  });
  for (const [, data] of searches) {
    for (const page of data?.pages ?? []) {
      const found = page.items.find((item) => item.id === patientId);
      if (found) return found;
    }
  }
  return undefined;
}

export function usePatientChart(patientId: string) {
  return useQuery({
    queryKey: patientKeys.chart(patientId),
    queryFn: ({ signal }) =>
      request<Patient>(`${apiBase}/patients/${encodeURIComponent(patientId)}`, { signal }),
    retry: false,
  });
}

export function usePatientHistory(patientId: string) {
  return useQuery({
    queryKey: patientKeys.history(patientId),
    queryFn: ({ signal }) =>
      request<{ items: PatientHistoryEntry[] }>(
        `${apiBase}/patients/${encodeURIComponent(patientId)}/history`,
        { signal },
      ),
  });
}

const patientPath = (patientId: string) => `${apiBase}/patients/${encodeURIComponent(patientId)}`;

export const patientsApi = {
  register: (input: PatientInput) => request<Patient>(`${apiBase}/patients`, { method: 'POST', body: input }),
  amendDemographics: (patientId: string, amendment: PatientAmendment) =>
    request<Patient>(patientPath(patientId), { method: 'PATCH', body: amendment }),
  addCondition: (patientId: string, input: ConditionInput) =>
    request<Condition>(`${patientPath(patientId)}/conditions`, { method: 'POST', body: input }),
  setConditionStatus: (patientId: string, conditionId: string, status: ConditionStatus, note?: string) =>
    request<Condition>(`${patientPath(patientId)}/conditions/${encodeURIComponent(conditionId)}`, {
      method: 'PATCH',
      body: note ? { status, note } : { status },
    }),
  addMedication: (patientId: string, input: MedicationInput) =>
    request<Medication>(`${patientPath(patientId)}/medications`, { method: 'POST', body: input }),
  setMedicationStatus: (patientId: string, medicationId: string, status: MedicationStatus, note?: string) =>
    request<Medication>(`${patientPath(patientId)}/medications/${encodeURIComponent(medicationId)}`, {
      method: 'PATCH',
      body: note ? { status, note } : { status },
    }),
  addAllergy: (patientId: string, input: AllergyInput) =>
    request<Allergy>(`${patientPath(patientId)}/allergies`, { method: 'POST', body: input }),
  setAllergyStatus: (patientId: string, allergyId: string, status: AllergyStatus, note?: string) =>
    request<Allergy>(`${patientPath(patientId)}/allergies/${encodeURIComponent(allergyId)}`, {
      method: 'PATCH',
      body: note ? { status, note } : { status },
    }),
  breakGlass: (patientId: string, reason: string) =>
    request<BreakGlassGrantIssued>(`${patientPath(patientId)}/break-glass`, {
      method: 'POST',
      body: { reason },
    }),
};
