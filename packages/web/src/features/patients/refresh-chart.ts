import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { patientKeys } from './patients.api.ts';

/** After an entry changed: say so, and read the chart again so every section shows the server's state. */
export function useChartChanged(patientId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    async (message: string) => {
      notifications.show({ color: 'green', message });
      await queryClient.invalidateQueries({ queryKey: patientKeys.chart(patientId) });
    },
    [queryClient, patientId],
  );
}
