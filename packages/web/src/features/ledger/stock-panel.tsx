import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Menu,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconChevronDown, IconPackageImport } from '@tabler/icons-react';
import { useState } from 'react';
import { problemMessage } from '../../api/client.ts';
import { usePermissions } from '../auth/auth.api.ts';
import { formatDate } from '../patients/patient-format.ts';
import {
  AdjustmentDialog,
  LossDialog,
  ReceiptDialog,
  TransferDialog,
  WasteDialog,
} from './entry-dialogs.tsx';
import { useBalances, useLots } from './ledger.api.ts';
import type { LedgerLot } from './ledger.types.ts';
import { formatMg, formatQuantity, productKindLabel } from './ledger-model.ts';
import { OpenLosses } from './open-losses.tsx';

type LotAction = 'waste' | 'transfer' | 'loss' | 'adjust';

/** Stock at a registered location: the balance per product, then per lot, with the entries a lot takes. */
export function StockPanel({ locationId }: { locationId: string }) {
  const can = usePermissions();
  const [includeEmpty, setIncludeEmpty] = useState(false);
  const balances = useBalances(locationId);
  const lots = useLots(locationId, includeEmpty);
  const [receipt, setReceipt] = useState(false);
  const [action, setAction] = useState<{ kind: LotAction; lot: LedgerLot } | null>(null);
  const close = () => setAction(null);

  return (
    <Stack gap="lg">
      <OpenLosses locationId={locationId} />
      <Group justify="space-between">
        <Title order={2} size="h3">
          Stock by product
        </Title>
        {can('ledger.record') ? (
          <Button
            size="lg"
            leftSection={<IconPackageImport size={20} aria-hidden />}
            onClick={() => setReceipt(true)}
          >
            Record receipt
          </Button>
        ) : null}
      </Group>
      {balances.isPending ? <Loader aria-label="Loading balances" /> : null}
      {balances.error ? <Alert color="red">{problemMessage(balances.error)}</Alert> : null}
      {balances.data ? (
        balances.data.items.length === 0 ? (
          <Text c="dimmed">No stock recorded at this location yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label="Stock by product" striped verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Product</Table.Th>
                  <Table.Th>NDC</Table.Th>
                  <Table.Th ta="right">Balance</Table.Th>
                  <Table.Th ta="right">mg</Table.Th>
                  <Table.Th ta="right">Lots</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {balances.data.items.map((b) => (
                  <Table.Tr key={b.productId}>
                    <Table.Td>
                      <Text fw={600}>{b.productName}</Text>
                      <Text size="xs" c="dimmed">
                        {productKindLabel[b.product]}, {b.concentrationMgPerUnit} mg/{b.unit}
                      </Text>
                    </Table.Td>
                    <Table.Td>{b.ndc}</Table.Td>
                    <Table.Td ta="right">{formatQuantity(b.balance, b.unit)}</Table.Td>
                    <Table.Td ta="right">{formatMg(b.balanceMg)}</Table.Td>
                    <Table.Td ta="right">{b.lots}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      ) : null}

      <Group justify="space-between">
        <Title order={2} size="h3">
          Stock by lot
        </Title>
        <Switch
          size="md"
          label="Show empty lots"
          checked={includeEmpty}
          onChange={(e) => setIncludeEmpty(e.currentTarget.checked)}
        />
      </Group>
      {lots.isPending ? <Loader aria-label="Loading lots" /> : null}
      {lots.error ? <Alert color="red">{problemMessage(lots.error)}</Alert> : null}
      {lots.data ? (
        lots.data.items.length === 0 ? (
          <Text c="dimmed">No lots{includeEmpty ? '' : ' in stock'}.</Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label="Stock by lot" striped verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Product</Table.Th>
                  <Table.Th>Lot</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th ta="right">Balance</Table.Th>
                  <Table.Th ta="right">mg</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lots.data.items.map((lot) => (
                  <Table.Tr key={lot.id} data-testid={`lot-${lot.lotNumber}`}>
                    <Table.Td>{lot.productName}</Table.Td>
                    <Table.Td>{lot.lotNumber}</Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        {formatDate(lot.expiresOn)}
                        {lot.expired ? <Badge color="red">Expired</Badge> : null}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right" aria-label={`Balance of lot ${lot.lotNumber}`}>
                      {formatQuantity(lot.balance, lot.unit)}
                    </Table.Td>
                    <Table.Td ta="right">{formatMg(lot.balanceMg)}</Table.Td>
                    <Table.Td>
                      {can('ledger.record') || can('ledger.adjust') ? (
                        <Menu position="bottom-end">
                          <Menu.Target>
                            <Button
                              variant="light"
                              size="md"
                              rightSection={<IconChevronDown size={16} aria-hidden />}
                              aria-label={`Record for lot ${lot.lotNumber}`}
                            >
                              Record
                            </Button>
                          </Menu.Target>
                          <Menu.Dropdown>
                            {can('ledger.record') ? (
                              <>
                                <Menu.Item
                                  disabled={lot.balance <= 0}
                                  onClick={() => setAction({ kind: 'waste', lot })}
                                >
                                  Waste (with a witness)
                                </Menu.Item>
                                <Menu.Item
                                  disabled={lot.balance <= 0}
                                  onClick={() => setAction({ kind: 'transfer', lot })}
                                >
                                  Transfer or return
                                </Menu.Item>
                                <Menu.Item
                                  color="red"
                                  disabled={lot.balance <= 0}
                                  onClick={() => setAction({ kind: 'loss', lot })}
                                >
                                  Loss or theft
                                </Menu.Item>
                              </>
                            ) : null}
                            {can('ledger.adjust') ? (
                              <Menu.Item onClick={() => setAction({ kind: 'adjust', lot })}>
                                Adjustment (admin)
                              </Menu.Item>
                            ) : null}
                          </Menu.Dropdown>
                        </Menu>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      ) : null}

      {receipt ? <ReceiptDialog locationId={locationId} onClose={() => setReceipt(false)} /> : null}
      {action?.kind === 'waste' ? <WasteDialog lot={action.lot} onClose={close} /> : null}
      {action?.kind === 'transfer' ? <TransferDialog lot={action.lot} onClose={close} /> : null}
      {action?.kind === 'loss' ? <LossDialog lot={action.lot} onClose={close} /> : null}
      {action?.kind === 'adjust' ? <AdjustmentDialog lot={action.lot} onClose={close} /> : null}
    </Stack>
  );
}
