import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { usePermissions } from '../auth/auth.api.ts';

/** On a discharged session's page: the way to the integration note that follows it (the chart's section). */
export function SessionIntegrationLink({
  session,
}: {
  session: { id: string; state: string; patient: { id: string } };
}) {
  const can = usePermissions();
  if (session.state !== 'discharged' || !can('integration.write')) return null;
  return (
    <Anchor
      component={Link}
      to={`/patients/${session.patient.id}?section=integration&session=${session.id}`}
      size="sm"
    >
      Write the integration note
    </Anchor>
  );
}
