import { Alert, Badge, Button, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { problemMessage } from '../../api/client.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import { CorrectionDialog } from './entry-dialogs.tsx';
import { useEntries } from './ledger.api.ts';
import type { LedgerEntry } from './ledger.types.ts';
import { entryKindLabel, formatChange, formatQuantity } from './ledger-model.ts';

function entryDetail(entry: LedgerEntry): string {
  const parts: string[] = [];
  if (entry.counterparty)
    parts.push(
      `${entry.counterparty.name}, ${entry.counterparty.address}${entry.counterparty.deaNumber ? ` (DEA ${entry.counterparty.deaNumber})` : ''}`,
    );
  if (entry.documentNumber) parts.push(`document ${entry.documentNumber}`);
  if (entry.containers !== null) parts.push(`${entry.containers} container(s)`);
  if (entry.witness) parts.push(`witness ${entry.witness.name}`);
  if (entry.signedBy) parts.push(`signed by ${entry.signedBy.name}`);
  if (entry.lossReport)
    parts.push(`${entry.lossReport.kind}${entry.lossReport.significant ? ', significant' : ''}`);
  if (entry.reason) parts.push(entry.reason);
  return parts.join('; ');
}

/** Every entry of the location, newest first (append-only: corrections are entries of their own). */
export function EntriesPanel({ locationId }: { locationId: string }) {
  const can = usePermissions();
  const session = useSignedInSession();
  const entries = useEntries(locationId, null);
  const [correcting, setCorrecting] = useState<LedgerEntry | null>(null);
  const items = entries.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        Entries
      </Title>
      <Text size="sm" c="dimmed">
        The ledger is append-only: an entry is never changed or removed. A mistake is corrected by a reversing
        entry, signed by an admin.
      </Text>
      {entries.isPending ? <Loader aria-label="Loading entries" /> : null}
      {entries.error ? <Alert color="red">{problemMessage(entries.error)}</Alert> : null}
      {entries.data && items.length === 0 ? <Text c="dimmed">No entries yet.</Text> : null}
      {items.length > 0 ? (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label="Ledger entries" striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Entry</Table.Th>
                <Table.Th>Lot</Table.Th>
                <Table.Th ta="right">Change</Table.Th>
                <Table.Th ta="right">Balance after</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Details</Table.Th>
                {can('ledger.adjust') ? <Table.Th>Correct</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td>{formatInstant(entry.occurredAt, session.clinic.timeZone)}</Table.Td>
                  <Table.Td>
                    {entryKindLabel[entry.kind]}
                    {entry.reversedById ? (
                      <Badge ml={6} color="gray" variant="light">
                        Reversed
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {entry.lot.productName}, lot {entry.lot.lotNumber}
                  </Table.Td>
                  <Table.Td ta="right">{formatChange(entry.quantity, entry.lot.unit)}</Table.Td>
                  <Table.Td ta="right">{formatQuantity(entry.balanceAfter, entry.lot.unit)}</Table.Td>
                  <Table.Td>{entry.recordedBy.name}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{entryDetail(entry)}</Text>
                  </Table.Td>
                  {can('ledger.adjust') ? (
                    <Table.Td>
                      {entry.kind !== 'correction' && !entry.reversedById ? (
                        <Button
                          variant="subtle"
                          size="sm"
                          onClick={() => setCorrecting(entry)}
                          aria-label={`Correct the ${entryKindLabel[entry.kind].toLowerCase()} of lot ${entry.lot.lotNumber}`}
                        >
                          Correct
                        </Button>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {entries.hasNextPage ? (
        <Button
          variant="default"
          size="lg"
          onClick={() => entries.fetchNextPage()}
          loading={entries.isFetchingNextPage}
        >
          Show older entries
        </Button>
      ) : null}
      {correcting ? <CorrectionDialog entry={correcting} onClose={() => setCorrecting(null)} /> : null}
    </Stack>
  );
}
