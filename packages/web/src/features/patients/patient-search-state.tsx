import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';

export interface PatientSearchFilters {
  q: string;
  dateOfBirth: string;
  mrn: string;
}

export const emptyPatientSearch: PatientSearchFilters = { q: '', dateOfBirth: '', mrn: '' };

interface PatientSearchState {
  filters: PatientSearchFilters;
  setFilters: (filters: PatientSearchFilters) => void;
}

const PatientSearchContext = createContext<PatientSearchState | null>(null);

/**
 * The last search survives opening a chart and coming back, but only in memory: a name typed into the
 * search box is patient data and stays out of the URL, browser history and web storage.
 */
export function PatientSearchProvider({ children }: { children: ReactNode }) {
  const [filters, setFilters] = useState<PatientSearchFilters>(emptyPatientSearch);
  const value = useMemo(() => ({ filters, setFilters }), [filters]);
  return <PatientSearchContext.Provider value={value}>{children}</PatientSearchContext.Provider>;
}

export function usePatientSearch(): PatientSearchState {
  const state = useContext(PatientSearchContext);
  if (!state) throw new Error('usePatientSearch needs a PatientSearchProvider');
  return state;
}
