import { useQuery } from '@tanstack/react-query';
import { apiBase, request } from '../../api/client.ts';
import type { Patient } from '../../api/types.ts';

export function useOwnRecord() {
  return useQuery({
    queryKey: ['me', 'patient'],
    queryFn: ({ signal }) => request<Patient>(`${apiBase}/me/patient`, { signal }),
  });
}
