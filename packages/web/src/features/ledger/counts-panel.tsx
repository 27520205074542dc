import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileTypeCsv, IconFileTypePdf } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { isProblem, problemMessage } from '../../api/client.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatDate, formatInstant } from '../patients/patient-format.ts';
import { AdjustmentDialog, LossDialog } from './entry-dialogs.tsx';
import {
  countReportUrl,
  useCount,
  useCounts,
  useInventoryStatus,
  useLots,
  useRecordCount,
  useResolveDiscrepancy,
} from './ledger.api.ts';
import type { CountBody, CountKind, CountLine, LedgerEntry, LedgerLot } from './ledger.types.ts';
import {
  type CountValues,
  countErrorsByLot,
  countedQuantity,
  countKindLabel,
  discrepancyLabel,
  emptyCount,
  entryKindLabel,
  formatChange,
  formatMg,
  formatQuantity,
  inventoryStandingLabel,
  isLineSent,
  toCount,
} from './ledger-model.ts';
import { ServerError, useLedgerForm } from './ledger-ui.tsx';

/** Each location's inventory schedule: the initial inventory, the last one, the next due (21 CFR 1304.11). */
function InventorySchedule({ locationId }: { locationId: string }) {
  const status = useInventoryStatus();
  const item = status.data?.items.find((i) => i.location.id === locationId);
  if (status.isPending) return <Loader aria-label="Loading the inventory schedule" />;
  if (status.error) return <Alert color="red">{problemMessage(status.error)}</Alert>;
  if (!item) return null;
  const standing = inventoryStandingLabel(item);
  return (
    <Card withBorder padding="md" aria-label="Inventory schedule">
      <Group justify="space-between" wrap="wrap">
        <Stack gap={2}>
          <Text fw={600}>Inventory schedule</Text>
          <Text size="sm">
            Initial inventory:{' '}
            {item.initialInventory ? formatDate(item.initialInventory.takenOn) : 'not yet taken'}. Latest:{' '}
            {item.lastInventory
              ? `${countKindLabel[item.lastInventory.kind]}, ${formatDate(item.lastInventory.takenOn)}`
              : 'none'}
            . Interval: {item.intervalMonths} months.
          </Text>
          <Text size="xs" c="dimmed">
            {item.citation.section}: {item.citation.source}
          </Text>
        </Stack>
        <Badge size="lg" color={standing.color} data-testid="inventory-standing">
          {standing.text}
        </Badge>
      </Group>
    </Card>
  );
}

const sentLine = (line: { lotId: string }): CountBody['lines'][number] => ({
  lotId: line.lotId,
  sealedContainers: 0,
  openedContainers: 0,
  openedQuantity: 0,
  method: 'exact',
});

function CountForm({
  locationId,
  kind,
  lots,
  onClose,
  onRecorded,
}: {
  locationId: string;
  kind: CountKind;
  lots: LedgerLot[];
  onClose: () => void;
  onRecorded: (countId: string) => void;
}) {
  const record = useRecordCount();
  const form = useLedgerForm();
  const [values, setValues] = useState<CountValues>(() => emptyCount(kind, lots));
  const [sent, setSent] = useState<Pick<CountBody, 'lines'>>({ lines: [] });
  const mapped = countErrorsByLot(form.errors, sent);
  const setLine = (lotId: string, patch: Partial<CountValues['lines'][number]>) =>
    setValues((v) => ({ ...v, lines: v.lines.map((l) => (l.lotId === lotId ? { ...l, ...patch } : l)) }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, errors } = toCount(values, lots, locationId, form.id());
    // Errors name the sent line's index (the server's paths and the model's alike): keep which lot each is.
    setSent({ lines: values.lines.filter((l) => isLineSent(kind, l)).map(sentLine) });
    form.setErrors(errors);
    if (!body) return;
    record.mutate(body, {
      onSuccess: (count) => {
        form.renew();
        onRecorded(count.id);
      },
      onError: form.fromServer,
    });
  };
  const inventory = kind !== 'count';
  return (
    <Modal opened onClose={onClose} title={countKindLabel[kind]} size="100%">
      <form onSubmit={submit} noValidate aria-label={countKindLabel[kind]}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {inventory
              ? 'List every lot on hand: sealed containers are counted whole; an opened container of a Schedule III substance may be estimated where the jurisdiction allows (21 CFR 1304.11(e)(3)). Enter 0 for a lot not found.'
              : 'Count the lots you check; leave a row blank to skip it. The count is compared with the book balance at the time of the count; a difference is a discrepancy to resolve, never a silent change.'}
          </Text>
          <Group grow align="flex-start">
            <TextInput
              size="lg"
              type="datetime-local"
              label="Counted at"
              value={values.takenAt}
              onChange={(e) => {
                const next = e.currentTarget.value;
                setValues((v) => ({ ...v, takenAt: next }));
              }}
              error={form.errors.takenAt}
            />
            {inventory ? (
              <Stack gap={4}>
                <Text size="sm" fw={500} id="business-time-label">
                  Taken at
                </Text>
                <SegmentedControl
                  size="lg"
                  aria-labelledby="business-time-label"
                  value={values.businessTime || ''}
                  onChange={(businessTime) =>
                    setValues((v) => ({ ...v, businessTime: businessTime as CountValues['businessTime'] }))
                  }
                  data={[
                    { value: 'opening', label: 'Opening of business' },
                    { value: 'close', label: 'Close of business' },
                  ]}
                />
                {form.errors.businessTime ? (
                  <Text size="sm" c="red" role="alert">
                    {form.errors.businessTime}
                  </Text>
                ) : null}
              </Stack>
            ) : null}
          </Group>
          {lots.length === 0 ? (
            <Alert color="blue">
              {kind === 'initial-inventory'
                ? 'No controlled substances on hand: this records a zero inventory.'
                : 'No lots at this location.'}
            </Alert>
          ) : (
            <Table.ScrollContainer minWidth={860}>
              <Table aria-label="Count lines" verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Lot</Table.Th>
                    <Table.Th>Sealed containers</Table.Th>
                    <Table.Th>Opened containers</Table.Th>
                    <Table.Th>Contents of opened</Table.Th>
                    <Table.Th>Opened counted</Table.Th>
                    <Table.Th ta="right">Counted</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {values.lines.map((line) => {
                    const lot = lots.find((l) => l.id === line.lotId)!;
                    const lineErrors = mapped.byLot[lot.id] ?? {};
                    const counted = countedQuantity(line, lot);
                    const name = `${lot.productName} lot ${lot.lotNumber}`;
                    return (
                      <Table.Tr key={lot.id}>
                        <Table.Td>
                          <Text fw={600}>{lot.productName}</Text>
                          <Text size="xs" c="dimmed">
                            lot {lot.lotNumber}, {formatQuantity(lot.containerSize, lot.unit)} per container
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <TextInput
                            size="lg"
                            inputMode="numeric"
                            aria-label={`Sealed containers of ${name}`}
                            value={line.sealedContainers}
                            onChange={(e) => setLine(lot.id, { sealedContainers: e.currentTarget.value })}
                            error={lineErrors.sealedContainers}
                          />
                        </Table.Td>
                        <Table.Td>
                          <TextInput
                            size="lg"
                            inputMode="numeric"
                            aria-label={`Opened containers of ${name}`}
                            value={line.openedContainers}
                            onChange={(e) => setLine(lot.id, { openedContainers: e.currentTarget.value })}
                            error={lineErrors.openedContainers}
                          />
                        </Table.Td>
                        <Table.Td>
                          <TextInput
                            size="lg"
                            inputMode="decimal"
                            aria-label={`Contents of opened containers of ${name} (${lot.unit})`}
                            value={line.openedQuantity}
                            onChange={(e) => setLine(lot.id, { openedQuantity: e.currentTarget.value })}
                            error={lineErrors.openedQuantity}
                          />
                        </Table.Td>
                        <Table.Td>
                          <SegmentedControl
                            size="md"
                            aria-label={`How the opened containers of ${name} were counted`}
                            value={line.method}
                            onChange={(method) =>
                              setLine(lot.id, { method: method as 'exact' | 'estimated' })
                            }
                            data={[
                              { value: 'exact', label: 'Exact' },
                              { value: 'estimated', label: 'Estimated' },
                            ]}
                          />
                          {lineErrors.method ? (
                            <Text size="sm" c="red" role="alert">
                              {lineErrors.method}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td ta="right">
                          {counted === null ? '—' : formatQuantity(counted, lot.unit)}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {Object.entries(mapped.other)
            .filter(([path]) => path !== 'takenAt' && path !== 'businessTime')
            .map(([path, message]) => (
              <Text key={path} c="red" size="sm" role="alert">
                {message}
              </Text>
            ))}
          <Textarea
            size="lg"
            label="Note (optional)"
            value={values.note}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setValues((v) => ({ ...v, note: next }));
            }}
            autosize
            minRows={1}
          />
          <ServerError error={record.error} />
          <Group justify="flex-end">
            <Button variant="default" size="lg" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" size="lg" loading={record.isPending}>
              Record {countKindLabel[kind].toLowerCase()}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Resolve a discrepancy: record the adjustment or loss (their own forms and signatures), then link it. */
function ResolveActions({ countId, line, lots }: { countId: string; line: CountLine; lots: LedgerLot[] }) {
  const can = usePermissions();
  const resolve = useResolveDiscrepancy();
  const [dialog, setDialog] = useState<'adjustment' | 'loss' | null>(null);
  const lot = lots.find((l) => l.id === line.lot.id);
  if (line.status !== 'open' || !lot) return null;
  const link = (entry: LedgerEntry) => resolve.mutate({ countId, lotId: line.lot.id, entryId: entry.id });
  const amount = Math.abs(line.unresolvedQuantity);
  const name = `lot ${line.lot.lotNumber}`;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        {can('ledger.adjust') ? (
          <Button
            size="md"
            variant="light"
            onClick={() => setDialog('adjustment')}
            aria-label={`Record an adjustment for ${name}`}
          >
            Record adjustment
          </Button>
        ) : null}
        {line.discrepancy.actions.includes('loss-report') && can('ledger.record') ? (
          <Button
            size="md"
            variant="light"
            color="red"
            onClick={() => setDialog('loss')}
            aria-label={`Report a loss or theft for ${name}`}
          >
            Report loss or theft
          </Button>
        ) : null}
      </Group>
      {!can('ledger.adjust') ? (
        <Text size="xs" c="dimmed">
          An adjustment needs an admin’s signature.
        </Text>
      ) : null}
      {resolve.error ? (
        <Text size="sm" c="red" role="alert">
          {isProblem(resolve.error)
            ? problemMessage(resolve.error)
            : 'The entry was recorded but not linked.'}
        </Text>
      ) : null}
      {dialog === 'adjustment' ? (
        <AdjustmentDialog
          lot={lot}
          initial={{
            direction: line.unresolvedQuantity < 0 ? 'remove' : 'add',
            quantity: String(amount),
            reason: `Count discrepancy: ${formatChange(line.unresolvedQuantity, line.lot.unit)} against the book balance`,
          }}
          onRecorded={link}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'loss' ? (
        <LossDialog lot={lot} initialQuantity={amount} onRecorded={link} onClose={() => setDialog(null)} />
      ) : null}
    </Stack>
  );
}

function CountDetail({ countId, onClose }: { countId: string; onClose: () => void }) {
  const session = useSignedInSession();
  const count = useCount(countId);
  const lots = useLots(count.data?.location.id ?? null, true);
  const data = count.data;
  return (
    <Modal
      opened
      onClose={onClose}
      title={data ? `${countKindLabel[data.kind]}, ${formatDate(data.takenOn)}` : 'Count'}
      size="100%"
    >
      {count.isPending ? <Loader aria-label="Loading the count" /> : null}
      {count.error ? <Alert color="red">{problemMessage(count.error)}</Alert> : null}
      {data ? (
        <Stack gap="sm" aria-label="Count report">
          <Group justify="space-between" wrap="wrap">
            <Text size="sm">
              {data.location.name} (DEA {data.location.deaRegistration}), counted{' '}
              {formatInstant(data.takenAt, session.clinic.timeZone)}
              {data.businessTime
                ? ` at the ${data.businessTime === 'opening' ? 'opening' : 'close'} of business`
                : ''}{' '}
              by {data.countedBy.name}. Kept until at least {formatDate(data.retainedUntil)}.
            </Text>
            <Group gap="xs">
              <Button
                component="a"
                href={countReportUrl(data.id, 'pdf')}
                target="_blank"
                rel="noopener"
                variant="default"
                leftSection={<IconFileTypePdf size={18} aria-hidden />}
              >
                Print (PDF)
              </Button>
              <Button
                component="a"
                href={countReportUrl(data.id, 'csv')}
                variant="default"
                leftSection={<IconFileTypeCsv size={18} aria-hidden />}
              >
                Download CSV
              </Button>
            </Group>
          </Group>
          {data.note ? <Text size="sm">Note: {data.note}</Text> : null}
          {data.lines.length === 0 ? (
            <Alert color="blue">Zero inventory: no controlled substances on hand.</Alert>
          ) : (
            <Table.ScrollContainer minWidth={900}>
              <Table aria-label="Discrepancy report" verticalSpacing="sm" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Lot</Table.Th>
                    <Table.Th ta="right">Counted</Table.Th>
                    <Table.Th ta="right">Book balance</Table.Th>
                    <Table.Th ta="right">Difference</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Resolution</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.lines.map((line) => {
                    const label = discrepancyLabel(line);
                    return (
                      <Table.Tr key={line.lot.id} data-testid={`count-line-${line.lot.lotNumber}`}>
                        <Table.Td>
                          <Text fw={600}>{line.lot.productName}</Text>
                          <Text size="xs" c="dimmed">
                            lot {line.lot.lotNumber}; {line.sealedContainers} sealed, {line.openedContainers}{' '}
                            opened ({formatQuantity(line.openedQuantity, line.lot.unit)}, {line.method})
                          </Text>
                        </Table.Td>
                        <Table.Td ta="right">
                          {formatQuantity(line.countedQuantity, line.lot.unit)}
                          <Text size="xs" c="dimmed">
                            {formatMg(line.countedMg)}
                          </Text>
                        </Table.Td>
                        <Table.Td ta="right">{formatQuantity(line.bookBalance, line.lot.unit)}</Table.Td>
                        <Table.Td ta="right">{formatChange(line.difference, line.lot.unit)}</Table.Td>
                        <Table.Td>
                          <Badge color={label.color} size="lg">
                            {label.text}
                          </Badge>
                          {line.status !== 'none' ? (
                            <Text size="xs" mt={4}>
                              {line.discrepancy.message}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          <Stack gap={4}>
                            {line.resolutions.map((r) => (
                              <Text size="sm" key={r.entryId}>
                                {entryKindLabel[r.kind]} {formatChange(r.quantity, line.lot.unit)} by{' '}
                                {r.recordedBy}
                                {r.reason ? ` (${r.reason})` : ''}
                                {r.reversedById ? ' (reversed: accounts for nothing)' : ''}
                              </Text>
                            ))}
                            {line.status === 'open' ? (
                              <Text size="sm" fw={600}>
                                Unresolved: {formatChange(line.unresolvedQuantity, line.lot.unit)}
                              </Text>
                            ) : null}
                            <ResolveActions countId={data.id} line={line} lots={lots.data?.items ?? []} />
                          </Stack>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      ) : null}
    </Modal>
  );
}

/** Physical counts and inventories of a location, and the schedule of the next inventory. */
export function CountsPanel({ locationId }: { locationId: string }) {
  const can = usePermissions();
  const session = useSignedInSession();
  const counts = useCounts(locationId);
  const status = useInventoryStatus();
  const lots = useLots(locationId, false);
  const [starting, setStarting] = useState<CountKind | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const schedule = status.data?.items.find((i) => i.location.id === locationId);
  const inventoryKind: CountKind = schedule?.initialInventory ? 'biennial-inventory' : 'initial-inventory';

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h3">
          Counts and inventories
        </Title>
        {can('ledger.record') ? (
          <Group gap="xs">
            <Button size="lg" onClick={() => setStarting('count')} disabled={!lots.data}>
              New physical count
            </Button>
            <Button
              size="lg"
              variant="light"
              onClick={() => setStarting(inventoryKind)}
              disabled={!lots.data || !status.data}
            >
              {inventoryKind === 'initial-inventory'
                ? 'Take the initial inventory'
                : 'Take the biennial inventory'}
            </Button>
          </Group>
        ) : null}
      </Group>
      <InventorySchedule locationId={locationId} />
      {counts.isPending ? <Loader aria-label="Loading counts" /> : null}
      {counts.error ? <Alert color="red">{problemMessage(counts.error)}</Alert> : null}
      {counts.data && counts.data.items.length === 0 ? (
        <Text c="dimmed">No counts or inventories yet.</Text>
      ) : null}
      {counts.data && counts.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label="Counts and inventories" striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Counted</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th ta="right">Lots</Table.Th>
                <Table.Th>Discrepancies</Table.Th>
                <Table.Th>
                  <span aria-hidden>Open</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {counts.data.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{formatInstant(c.takenAt, session.clinic.timeZone)}</Table.Td>
                  <Table.Td>
                    {countKindLabel[c.kind]}
                    {c.businessTime
                      ? ` (${c.businessTime === 'opening' ? 'opening' : 'close'} of business)`
                      : ''}
                  </Table.Td>
                  <Table.Td>{c.countedBy.name}</Table.Td>
                  <Table.Td ta="right">{c.summary.lots}</Table.Td>
                  <Table.Td>
                    {c.summary.discrepancies === 0 ? (
                      <Badge color="green">None</Badge>
                    ) : (
                      <Badge color={c.summary.open > 0 ? 'red' : 'teal'}>
                        {c.summary.discrepancies} ({c.summary.open} open)
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component="button" type="button" onClick={() => setOpen(c.id)}>
                      Open the {countKindLabel[c.kind].toLowerCase()} of {formatDate(c.takenOn)}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {starting && lots.data ? (
        <CountForm
          locationId={locationId}
          kind={starting}
          lots={lots.data.items}
          onClose={() => setStarting(null)}
          onRecorded={(countId) => {
            setStarting(null);
            setOpen(countId);
          }}
        />
      ) : null}
      {open ? <CountDetail countId={open} onClose={() => setOpen(null)} /> : null}
    </Stack>
  );
}
