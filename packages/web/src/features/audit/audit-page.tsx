import { Alert, Button, Center, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import type { AuditFilters } from '../../api/types.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { auditExportUrl, useAuditEvents } from './audit.api.ts';
import { AuditEventsTable } from './audit-events-table.tsx';
import { AuditFiltersForm } from './audit-filters-form.tsx';
import { BreakGlassGrants } from './break-glass-grants.tsx';

const filterKeys = ['patientId', 'actorId', 'action', 'from', 'to'] as const;

/** The filters live in the URL (ids, an action name and dates, never a name) so a view can be shared. */
function filtersFrom(params: URLSearchParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

function AuditEvents() {
  const session = useSignedInSession();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const events = useAuditEvents(filters, true);
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];

  const apply = (next: AuditFilters) => setParams(next as Record<string, string>);

  return (
    <Stack gap="md">
      <AuditFiltersForm filters={filters} onApply={apply} />
      <Group justify="space-between">
        <Text size="sm" c="dimmed" role="status" aria-live="polite">
          {events.isSuccess &&
            (items.length === 0
              ? 'No audit events match these filters.'
              : `Showing ${items.length} event${items.length === 1 ? '' : 's'}, newest first${events.hasNextPage ? ' (more available)' : ''}.`)}
        </Text>
        <Button
          component="a"
          href={auditExportUrl(filters)}
          download
          variant="light"
          leftSection={<IconDownload size={16} aria-hidden />}
        >
          Download CSV
        </Button>
      </Group>
      {events.isPending && (
        <Center py="lg">
          <Loader aria-label="Loading audit events" />
        </Center>
      )}
      {events.isError && (
        <Alert color="red" role="alert">
          {problemMessage(events.error)}
        </Alert>
      )}
      {items.length > 0 && (
        <AuditEventsTable
          events={items}
          timeZone={session.clinic.timeZone}
          onFilterPatient={(patientId) => apply({ ...filters, patientId })}
          onFilterActor={(actorId) => apply({ ...filters, actorId })}
        />
      )}
      {events.hasNextPage && (
        <Group justify="center">
          <Button
            variant="default"
            onClick={() => events.fetchNextPage()}
            loading={events.isFetchingNextPage}
          >
            Load more
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function AuditPage() {
  useDocumentTitle('Audit trail');
  const session = useSignedInSession();
  const can = usePermissions();
  const mayReadEvents = can('audit.read');
  const mayReviewGrants = can('break-glass.review');

  if (!mayReadEvents && !mayReviewGrants) {
    return (
      <Alert color="gray" title="Not available" role="alert">
        Your role does not include the audit trail.
      </Alert>
    );
  }

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Audit trail
      </Title>
      <Tabs defaultValue={mayReadEvents ? 'events' : 'break-glass'} keepMounted={false}>
        <Tabs.List aria-label="Audit views">
          {mayReadEvents && <Tabs.Tab value="events">Events</Tabs.Tab>}
          {mayReviewGrants && <Tabs.Tab value="break-glass">Break-glass grants</Tabs.Tab>}
        </Tabs.List>
        {mayReadEvents && (
          <Tabs.Panel value="events" pt="md">
            <AuditEvents />
          </Tabs.Panel>
        )}
        {mayReviewGrants && (
          <Tabs.Panel value="break-glass" pt="md">
            <BreakGlassGrants timeZone={session.clinic.timeZone} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
