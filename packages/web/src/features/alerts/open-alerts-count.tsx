import { Badge } from '@mantine/core';
import { useAlerts } from './alerts.api.ts';

/** The number of open alerts, beside "Alerts" in the staff navigation (refreshed every minute). */
export function OpenAlertsCount() {
  const alerts = useAlerts('open');
  const count = alerts.data?.items.length ?? 0;
  if (count === 0) return null;
  const shown = alerts.data?.nextCursor ? `${count}+` : String(count);
  return (
    <Badge color="red" size="sm" circle={count < 10} aria-label={`${shown} open alerts`}>
      {shown}
    </Badge>
  );
}
