import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconEye, IconFileTypeCsv, IconFileTypePdf } from '@tabler/icons-react';
import { useState } from 'react';
import { problemMessage } from '../../api/client.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { formatDate, todayIn } from '../patients/patient-format.ts';
import { dispensingLogUrl, useDispensingLog, useLedgerSettings } from './ledger.api.ts';
import {
  dispensingLogQuery,
  entryKindLabel,
  formatChange,
  formatQuantity,
  retentionWindowStart,
} from './ledger-model.ts';

/**
 * The dispensing log an inspector reads (21 CFR 1304.22(c)): per lot, the opening balance, every receipt,
 * administration (to whom, with the name and address), waste, transfer and loss, and the closing balance.
 * Downloaded as CSV or printed from the PDF; shown here on request only, and not kept once the screen is left.
 */
export function DispensingLogPanel({ locationId }: { locationId: string }) {
  const settings = useLedgerSettings();
  if (settings.isPending) return <Loader aria-label="Loading the ledger settings" />;
  return <DispensingLog locationId={locationId} retention={settings.data?.retentionYears ?? 2} />;
}

/** The period defaults to the whole retention window, ending today. */
function DispensingLog({ locationId, retention }: { locationId: string; retention: number }) {
  const session = useSignedInSession();
  const today = todayIn(session.clinic.timeZone);
  const [from, setFrom] = useState(() => retentionWindowStart(today, retention));
  const [to, setTo] = useState(today);
  const [shown, setShown] = useState<{ locationId: string; from: string; to: string } | null>(null);
  const errors = dispensingLogQuery(locationId, from, to);
  const query = errors ? null : { locationId, from, to };
  const log = useDispensingLog(shown && shown.locationId === locationId ? shown : null);

  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        Dispensing log
      </Title>
      <Text size="sm" c="dimmed">
        Records are kept at least {retention} years (21 CFR 1304.04(a); the clinic’s setting). The period is
        in the clinic’s time zone ({session.clinic.timeZone}), both days included.
      </Text>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          size="lg"
          type="date"
          label="From"
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
          error={errors?.from}
        />
        <TextInput
          size="lg"
          type="date"
          label="To"
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          error={errors?.to}
        />
        <Button
          size="lg"
          variant="default"
          leftSection={<IconEye size={20} aria-hidden />}
          disabled={!query}
          onClick={() => setShown(query)}
        >
          Show the log
        </Button>
        <Button
          size="lg"
          component="a"
          href={query ? dispensingLogUrl('csv', query) : undefined}
          leftSection={<IconFileTypeCsv size={20} aria-hidden />}
          disabled={!query}
          data-disabled={!query || undefined}
        >
          Download CSV
        </Button>
        <Button
          size="lg"
          component="a"
          href={query ? dispensingLogUrl('pdf', query) : undefined}
          target="_blank"
          rel="noopener"
          leftSection={<IconFileTypePdf size={20} aria-hidden />}
          disabled={!query}
          data-disabled={!query || undefined}
        >
          Print (PDF)
        </Button>
      </Group>
      {log.isFetching && !log.data ? <Loader aria-label="Loading the dispensing log" /> : null}
      {log.error ? <Alert color="red">{problemMessage(log.error)}</Alert> : null}
      {log.data ? (
        <Stack gap="md" aria-label="Dispensing log">
          <Text size="sm">
            {log.data.location.name}, {log.data.location.address}. DEA registration{' '}
            {log.data.location.deaRegistration}. {formatDate(log.data.from)} to {formatDate(log.data.to)}.
          </Text>
          {log.data.incompleteEntries > 0 ? (
            <Alert color="orange" title="Incomplete records">
              {log.data.incompleteEntries} administration line(s) lack a field 21 CFR 1304.22(c) asks for (for
              example the patient’s address). Complete the patient’s record.
            </Alert>
          ) : null}
          {log.data.lots.length === 0 ? (
            <Text c="dimmed">No stock and no entries in this period.</Text>
          ) : null}
          {log.data.lots.map(({ lot, entries, openingBalance, closingBalance, ...totals }) => (
            <Card key={lot.id} withBorder padding="sm">
              <Stack gap="xs">
                <Group justify="space-between" wrap="wrap">
                  <Text fw={600}>
                    {lot.productName}, {lot.concentrationMgPerUnit} mg/{lot.unit}, lot {lot.lotNumber}{' '}
                    (expires {formatDate(lot.expiresOn)})
                  </Text>
                  <Group gap={6}>
                    <Badge variant="light">Opening {formatQuantity(openingBalance, lot.unit)}</Badge>
                    <Badge variant="light">Closing {formatQuantity(closingBalance, lot.unit)}</Badge>
                  </Group>
                </Group>
                <Text size="xs" c="dimmed">
                  Received {formatQuantity(totals.received, lot.unit)}; administered{' '}
                  {formatQuantity(totals.administered, lot.unit)}; wasted{' '}
                  {formatQuantity(totals.wasted, lot.unit)}; transferred{' '}
                  {formatQuantity(totals.transferred, lot.unit)}; lost {formatQuantity(totals.lost, lot.unit)}
                  ; adjusted or corrected {formatChange(totals.adjusted, lot.unit)}.
                </Text>
                {entries.length > 0 ? (
                  <Table.ScrollContainer minWidth={860}>
                    <Table aria-label={`Dispensing log of lot ${lot.lotNumber}`} verticalSpacing="xs" striped>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Date</Table.Th>
                          <Table.Th>Entry</Table.Th>
                          <Table.Th ta="right">Quantity</Table.Th>
                          <Table.Th ta="right">Balance</Table.Th>
                          <Table.Th>To or from</Table.Th>
                          <Table.Th>By</Table.Th>
                          <Table.Th>Notes</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {entries.map((e) => (
                          <Table.Tr key={e.entryId}>
                            <Table.Td>{formatDate(e.date)}</Table.Td>
                            <Table.Td>{entryKindLabel[e.kind]}</Table.Td>
                            <Table.Td ta="right">{formatChange(e.quantity, lot.unit)}</Table.Td>
                            <Table.Td ta="right">{formatQuantity(e.balance, lot.unit)}</Table.Td>
                            <Table.Td>
                              {e.patient
                                ? `${e.patient.name}; ${e.patient.address ?? 'address missing'}`
                                : e.counterparty
                                  ? `${e.counterparty.name}${e.counterparty.dea ? ` (DEA ${e.counterparty.dea})` : ''}`
                                  : ''}
                            </Table.Td>
                            <Table.Td>
                              {e.recordedBy}
                              {e.witness ? `; witness ${e.witness}` : ''}
                              {e.signedBy ? `; signed ${e.signedBy}` : ''}
                            </Table.Td>
                            <Table.Td>
                              {[
                                e.documentNumber,
                                e.reason,
                                e.gaps.length > 0 ? `missing: ${e.gaps.join(', ')}` : null,
                              ]
                                .filter(Boolean)
                                .join('; ')}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                ) : null}
              </Stack>
            </Card>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
