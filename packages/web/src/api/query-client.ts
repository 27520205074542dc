import { QueryClient } from '@tanstack/react-query';
import { isProblem } from './client.ts';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change on retry; only a network failure or a 5xx is worth one more try.
        retry: (failureCount, error) =>
          failureCount < 1 && (!isProblem(error) || error.status === 0 || error.status >= 500),
        // Every chart read is audited: refetching on each window focus would fill the audit trail with noise.
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
}
