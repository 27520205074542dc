import type { AgeBandId, CohortSex, CohortSummary, WeeklyPoint } from '@kapstone/clinical';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';

/** The cohort filters of GET /api/v1/outcomes (empty strings are left out of the query). */
export interface OutcomeFilters {
  instrument: 'phq9' | 'gad7' | 'madrs' | 'qids-sr16' | 'pcl5';
  indication: string;
  route: string;
  protocol: string;
  ageBand: AgeBandId | '';
  sex: CohortSex | '';
  from: string;
  to: string;
}

export const emptyFilters: OutcomeFilters = {
  instrument: 'phq9',
  indication: '',
  route: '',
  protocol: '',
  ageBand: '',
  sex: '',
  from: '',
  to: '',
};

export interface OutcomeNote {
  id: string;
  title: string;
  citation: { section: string; source: string; evidence: string };
}

/** The shape of GET /api/v1/outcomes: aggregates only. */
export interface OutcomesView {
  filters: Record<keyof OutcomeFilters, string | null>;
  instrument: { id: OutcomeFilters['instrument']; shortName: string; name: string };
  suppression: { minimumCellSize: number | null; researchView: boolean; notice: string | null };
  withheld: boolean;
  summary: Omit<CohortSummary, 'instrument' | 'minimumCellSize'> | null;
  weekly: WeeklyPoint[] | null;
  notes: OutcomeNote[];
}

const icd10Pattern = /^[A-Za-z]\d{2}(\.?[A-Za-z0-9]{1,4})?$/;

export function outcomesQueryString(filters: OutcomeFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    // A code still being typed ("F3") is not sent: the cohort changes once the code is whole.
    if (key === 'indication' && !icd10Pattern.test(value)) continue;
    if (value) params.set(key, value);
  }
  return params.toString();
}

export const outcomesKey = (filters: OutcomeFilters) => ['outcomes', outcomesQueryString(filters)] as const;

export function useOutcomes(filters: OutcomeFilters) {
  return useQuery({
    queryKey: outcomesKey(filters),
    queryFn: () => request<OutcomesView>(`${apiBase}/outcomes?${outcomesQueryString(filters)}`),
    placeholderData: keepPreviousData,
  });
}
