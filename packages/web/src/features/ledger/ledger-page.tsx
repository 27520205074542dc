import { Alert, Badge, Group, Loader, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { CountsPanel } from './counts-panel.tsx';
import { DispensingLogPanel } from './dispensing-log-panel.tsx';
import { EntriesPanel } from './entries-panel.tsx';
import { useInventoryStatus, useLocations } from './ledger.api.ts';
import { SetupPanel } from './setup-panel.tsx';
import { StockPanel } from './stock-panel.tsx';

const tabs = ['stock', 'entries', 'counts', 'log', 'setup'] as const;
type Tab = (typeof tabs)[number];

/**
 * The controlled-substance ledger (ketamine and esketamine, Schedule III): stock by product and lot at each
 * registered location, its entries, counts and inventories, the dispensing log, and the setup. The tab and
 * the location live in the address, so a page can be bookmarked and a journey can open it directly.
 */
export function LedgerPage() {
  useDocumentTitle('Controlled-substance ledger');
  const [params, setParams] = useSearchParams();
  const locations = useLocations();
  const tab: Tab = tabs.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'stock';
  const items = locations.data?.items ?? [];
  const inventory = useInventoryStatus();
  const locationId = items.find((l) => l.id === params.get('location'))?.id ?? items[0]?.id ?? null;
  const inventoryDue = inventory.data?.items.find((i) => i.location.id === locationId);
  const inventoryAlert = inventoryDue && inventoryDue.status !== 'current';
  const set = (key: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set(key, value);
        return next;
      },
      { replace: true },
    );

  // The first location is chosen when the address names none (or one that is gone).
  const urlLocation = params.get('location');
  useEffect(() => {
    if (!locationId || urlLocation === locationId) return;
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('location', locationId);
        return next;
      },
      { replace: true },
    );
  }, [locationId, urlLocation, setParams]);

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" align="flex-end">
        <div>
          <Title order={1} size="h2">
            Controlled-substance ledger
          </Title>
          <Text size="sm" c="dimmed">
            Ketamine and esketamine, Schedule III (21 CFR 1308.13(c)(7)). Every entry is kept; balances are
            the sum of the entries.
          </Text>
        </div>
        {items.length > 0 ? (
          <Select
            size="lg"
            w={{ base: '100%', sm: 420 }}
            label="Registered location"
            data={items.map((l) => ({ value: l.id, label: `${l.name} (DEA ${l.deaRegistration})` }))}
            value={locationId}
            onChange={(v) => v && set('location', v)}
            allowDeselect={false}
          />
        ) : null}
      </Group>
      {locations.isPending ? <Loader aria-label="Loading locations" /> : null}
      {locations.error ? <Alert color="red">{problemMessage(locations.error)}</Alert> : null}
      {locations.data && items.length === 0 ? (
        <Alert color="blue" title="No registered location yet">
          An admin adds the clinic’s registered locations (name, address, DEA registration) under Setup.
        </Alert>
      ) : null}
      <Tabs value={tab} onChange={(v) => v && set('tab', v)} keepMounted={false}>
        <Tabs.List aria-label="Ledger sections">
          <Tabs.Tab value="stock" disabled={!locationId}>
            Stock
          </Tabs.Tab>
          <Tabs.Tab value="entries" disabled={!locationId}>
            Entries
          </Tabs.Tab>
          <Tabs.Tab
            value="counts"
            disabled={!locationId}
            rightSection={
              inventoryAlert ? (
                <Badge color="red" size="sm">
                  {inventoryDue.status === 'initial-due' ? 'Inventory due' : 'Overdue'}
                </Badge>
              ) : null
            }
          >
            Counts and inventories
          </Tabs.Tab>
          <Tabs.Tab value="log" disabled={!locationId}>
            Dispensing log
          </Tabs.Tab>
          <Tabs.Tab value="setup">Setup</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="stock" pt="md">
          {locationId ? <StockPanel locationId={locationId} /> : null}
        </Tabs.Panel>
        <Tabs.Panel value="entries" pt="md">
          {locationId ? <EntriesPanel locationId={locationId} /> : null}
        </Tabs.Panel>
        <Tabs.Panel value="counts" pt="md">
          {locationId ? <CountsPanel locationId={locationId} /> : null}
        </Tabs.Panel>
        <Tabs.Panel value="log" pt="md">
          {locationId ? <DispensingLogPanel locationId={locationId} /> : null}
        </Tabs.Panel>
        <Tabs.Panel value="setup" pt="md">
          <SetupPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
