import {
  Button,
  Checkbox,
  Group,
  Modal,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useSignedInSession } from '../auth/auth.api.ts';
import {
  useProducts,
  useRecordAdjustment,
  useRecordCorrection,
  useRecordLoss,
  useRecordReceipt,
  useRecordTransfer,
  useRecordWaste,
} from './ledger.api.ts';
import type { LedgerEntry, LedgerLot } from './ledger.types.ts';
import {
  type AdjustmentValues,
  emptyAdjustment,
  emptyLoss,
  emptyReceipt,
  emptyTransfer,
  emptyWaste,
  formatChange,
  type LossValues,
  productKindLabel,
  type ReceiptValues,
  type TransferValues,
  toAdjustment,
  toCorrection,
  toLoss,
  toReceipt,
  toTransfer,
  toWaste,
  type WasteValues,
} from './ledger-model.ts';
import { LotHeading, ServerError, useLedgerForm } from './ledger-ui.tsx';

/* The ledger's entry forms, each a dialog. Big inputs (size "lg") for a tablet; every field has a label. */

interface DialogProps {
  onClose: () => void;
  onRecorded?: (entry: LedgerEntry) => void;
}

/**
 * Sends a dialog's entry once its values check out: the errors shown, then on success a new attempt, the
 * recorded entry handed on and the dialog closed; on a refusal the server's field messages (and `onRefused`).
 */
function sendEntry<B>(
  form: ReturnType<typeof useLedgerForm>,
  { body, errors }: { body: B | null; errors: Record<string, string> },
  mutate: (
    body: B,
    options: { onSuccess: (entry: LedgerEntry) => void; onError: (error: unknown) => void },
  ) => void,
  { onClose, onRecorded }: DialogProps,
  onRefused?: () => void,
) {
  form.setErrors(errors);
  if (!body) return;
  mutate(body, {
    onSuccess: (entry) => {
      form.renew();
      onRecorded?.(entry);
      onClose();
    },
    onError: (error) => {
      form.fromServer(error);
      onRefused?.();
    },
  });
}

function Actions({
  submitLabel,
  pending,
  onClose,
}: {
  submitLabel: string;
  pending: boolean;
  onClose: () => void;
}) {
  return (
    <Group justify="flex-end" mt="md">
      <Button variant="default" size="lg" onClick={onClose}>
        Cancel
      </Button>
      <Button type="submit" size="lg" loading={pending}>
        {submitLabel}
      </Button>
    </Group>
  );
}

export function ReceiptDialog({ locationId, onClose, onRecorded }: DialogProps & { locationId: string }) {
  const products = useProducts();
  const record = useRecordReceipt();
  const form = useLedgerForm();
  const [values, setValues] = useState<ReceiptValues>(() => emptyReceipt(locationId));
  const set = (key: keyof ReceiptValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    sendEntry(form, toReceipt(values, form.id()), record.mutate, { onClose, onRecorded });
  };
  const e = form.errors;
  return (
    <Modal opened onClose={onClose} title="Record a receipt" size="xl">
      <form onSubmit={submit} noValidate aria-label="Receipt">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Containers received from a supplier (21 CFR 1304.22(c)(3)): the supplier’s name, address and DEA
            number, the invoice, and the actual date of receipt.
          </Text>
          <Select
            size="lg"
            label="Product"
            placeholder="Choose the product"
            data={(products.data?.items ?? []).map((p) => ({
              value: p.id,
              label: `${p.name} (${productKindLabel[p.product]}, ${p.concentrationMgPerUnit} mg/${p.unit}, ${p.containerSize} ${p.unit} per container, NDC ${p.ndc})`,
            }))}
            value={values.productId || null}
            onChange={(v) => set('productId')(v ?? '')}
            error={e.productId}
            nothingFoundMessage="No products yet: add one under Setup."
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              size="lg"
              label="Lot number"
              value={values.lotNumber}
              onChange={(ev) => set('lotNumber')(ev.currentTarget.value)}
              error={e.lotNumber}
            />
            <TextInput
              size="lg"
              type="date"
              label="Expiry date"
              value={values.expiresOn}
              onChange={(ev) => set('expiresOn')(ev.currentTarget.value)}
              error={e.expiresOn}
            />
            <TextInput
              size="lg"
              inputMode="numeric"
              label="Containers received"
              value={values.containers}
              onChange={(ev) => set('containers')(ev.currentTarget.value)}
              error={e.containers}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              size="lg"
              label="Supplier name"
              value={values.supplierName}
              onChange={(ev) => set('supplierName')(ev.currentTarget.value)}
              error={e['supplier.name']}
            />
            <TextInput
              size="lg"
              label="Supplier DEA number"
              value={values.supplierDea}
              onChange={(ev) => set('supplierDea')(ev.currentTarget.value)}
              error={e['supplier.deaNumber']}
            />
          </SimpleGrid>
          <TextInput
            size="lg"
            label="Supplier address"
            value={values.supplierAddress}
            onChange={(ev) => set('supplierAddress')(ev.currentTarget.value)}
            error={e['supplier.address']}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              size="lg"
              label="Invoice or order number"
              value={values.invoiceNumber}
              onChange={(ev) => set('invoiceNumber')(ev.currentTarget.value)}
              error={e.invoiceNumber}
            />
            <TextInput
              size="lg"
              type="datetime-local"
              label="Received at"
              value={values.receivedAt}
              onChange={(ev) => set('receivedAt')(ev.currentTarget.value)}
              error={e.receivedAt}
            />
          </SimpleGrid>
          <ServerError error={record.error} />
          <Actions submitLabel="Record receipt" pending={record.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

export function WasteDialog({ lot, onClose, onRecorded }: DialogProps & { lot: LedgerLot }) {
  const session = useSignedInSession();
  const record = useRecordWaste();
  const form = useLedgerForm();
  const [values, setValues] = useState<WasteValues>(() => emptyWaste());
  const set = (key: keyof WasteValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // A wrong password is never kept in the form.
    sendEntry(
      form,
      toWaste(values, lot, form.id(), session.user.email),
      record.mutate,
      { onClose, onRecorded },
      () => setValues((v) => ({ ...v, witnessPassword: '' })),
    );
  };
  const e = form.errors;
  return (
    <Modal opened onClose={onClose} title="Record a waste" size="lg">
      <form onSubmit={submit} noValidate aria-label="Waste">
        <Stack gap="sm">
          <LotHeading lot={lot} />
          <Text size="sm" c="dimmed">
            Drug destroyed before a second member of staff, who signs with their own password (two signatures;
            clinical-reference 6).
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              size="lg"
              inputMode="decimal"
              label={`Amount wasted (${lot.unit})`}
              value={values.quantity}
              onChange={(ev) => set('quantity')(ev.currentTarget.value)}
              error={e.quantity}
            />
            <TextInput
              size="lg"
              type="datetime-local"
              label="Wasted at"
              value={values.occurredAt}
              onChange={(ev) => set('occurredAt')(ev.currentTarget.value)}
              error={e.occurredAt}
            />
          </SimpleGrid>
          <Textarea
            size="lg"
            label="Why and how it was wasted"
            value={values.reason}
            onChange={(ev) => set('reason')(ev.currentTarget.value)}
            error={e.reason}
            autosize
            minRows={2}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              size="lg"
              type="email"
              autoComplete="off"
              label="Witness email"
              value={values.witnessEmail}
              onChange={(ev) => set('witnessEmail')(ev.currentTarget.value)}
              error={e['witness.username']}
            />
            <PasswordInput
              size="lg"
              autoComplete="off"
              label="Witness password"
              value={values.witnessPassword}
              onChange={(ev) => set('witnessPassword')(ev.currentTarget.value)}
              error={e['witness.password'] ?? e.witness}
            />
          </SimpleGrid>
          <ServerError error={record.error} />
          <Actions submitLabel="Record waste" pending={record.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

export function TransferDialog({ lot, onClose, onRecorded }: DialogProps & { lot: LedgerLot }) {
  const record = useRecordTransfer();
  const form = useLedgerForm();
  const [values, setValues] = useState<TransferValues>(() => emptyTransfer());
  const set = (key: keyof TransferValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    sendEntry(form, toTransfer(values, lot, form.id()), record.mutate, { onClose, onRecorded });
  };
  const e = form.errors;
  return (
    <Modal opened onClose={onClose} title="Transfer or return" size="xl">
      <form onSubmit={submit} noValidate aria-label="Transfer or return">
        <Stack gap="sm">
          <LotHeading lot={lot} />
          <Text size="sm" c="dimmed">
            Stock returned to a reverse distributor or transferred to another registrant: their name, address
            and DEA number, the date and the quantity (the reverse distributor completes DEA Form 41).
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              size="lg"
              inputMode="decimal"
              label={`Amount (${lot.unit})`}
              value={values.quantity}
              onChange={(ev) => set('quantity')(ev.currentTarget.value)}
              error={e.quantity}
            />
            <TextInput
              size="lg"
              inputMode="numeric"
              label="Containers (optional)"
              value={values.containers}
              onChange={(ev) => set('containers')(ev.currentTarget.value)}
              error={e.containers}
            />
            <TextInput
              size="lg"
              type="datetime-local"
              label="Sent at"
              value={values.occurredAt}
              onChange={(ev) => set('occurredAt')(ev.currentTarget.value)}
              error={e.occurredAt}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              size="lg"
              label="Recipient name"
              value={values.recipientName}
              onChange={(ev) => set('recipientName')(ev.currentTarget.value)}
              error={e['recipient.name']}
            />
            <TextInput
              size="lg"
              label="Recipient DEA number"
              value={values.recipientDea}
              onChange={(ev) => set('recipientDea')(ev.currentTarget.value)}
              error={e['recipient.deaNumber']}
            />
          </SimpleGrid>
          <TextInput
            size="lg"
            label="Recipient address"
            value={values.recipientAddress}
            onChange={(ev) => set('recipientAddress')(ev.currentTarget.value)}
            error={e['recipient.address']}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              size="lg"
              label="Shipping or DEA Form 41 reference (optional)"
              value={values.documentNumber}
              onChange={(ev) => set('documentNumber')(ev.currentTarget.value)}
              error={e.documentNumber}
            />
            <TextInput
              size="lg"
              label="Reason"
              value={values.reason}
              onChange={(ev) => set('reason')(ev.currentTarget.value)}
              error={e.reason}
            />
          </SimpleGrid>
          <ServerError error={record.error} />
          <Actions submitLabel="Record transfer" pending={record.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

export function LossDialog({
  lot,
  onClose,
  onRecorded,
  initialQuantity,
}: DialogProps & { lot: LedgerLot; initialQuantity?: number }) {
  const record = useRecordLoss();
  const form = useLedgerForm();
  const [values, setValues] = useState<LossValues>(() => ({
    ...emptyLoss(),
    quantity: initialQuantity ? String(initialQuantity) : '',
  }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    sendEntry(form, toLoss(values, lot, form.id()), record.mutate, { onClose, onRecorded });
  };
  const e = form.errors;
  return (
    <Modal opened onClose={onClose} title="Report a loss or theft" size="xl">
      <form onSubmit={submit} noValidate aria-label="Loss or theft">
        <Stack gap="sm">
          <LotHeading lot={lot} />
          <Text size="sm">
            Tell the DEA Field Division Office in writing within 1 business day of discovery, and submit DEA
            Form 106 electronically within 45 days (21 CFR 1301.76(b)). Any theft is reportable; a loss when
            it is significant. The clinic’s admins are alerted.
          </Text>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="loss-kind-label">
              What happened
            </Text>
            <SegmentedControl
              size="lg"
              aria-labelledby="loss-kind-label"
              value={values.kind}
              onChange={(kind) => setValues((v) => ({ ...v, kind: kind as LossValues['kind'] }))}
              data={[
                { value: 'loss', label: 'Loss' },
                { value: 'theft', label: 'Theft' },
                { value: 'loss-in-transit', label: 'Lost in transit' },
              ]}
            />
          </Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              size="lg"
              inputMode="decimal"
              label={`Amount lost (${lot.unit})`}
              value={values.quantity}
              onChange={(ev) => {
                const next = ev.currentTarget.value;
                setValues((v) => ({ ...v, quantity: next }));
              }}
              error={e.quantity}
            />
            <TextInput
              size="lg"
              type="datetime-local"
              label="Discovered at"
              value={values.discoveredAt}
              onChange={(ev) => {
                const next = ev.currentTarget.value;
                setValues((v) => ({ ...v, discoveredAt: next }));
              }}
              error={e['report.discoveredAt']}
            />
          </SimpleGrid>
          <Textarea
            size="lg"
            label="What happened, as far as known"
            value={values.circumstances}
            onChange={(ev) => {
              const next = ev.currentTarget.value;
              setValues((v) => ({ ...v, circumstances: next }));
            }}
            error={e['report.circumstances']}
            autosize
            minRows={3}
          />
          {values.kind !== 'theft' ? (
            <Checkbox
              size="lg"
              label="The loss is significant (weighed against the 21 CFR 1301.76(b) factors)"
              checked={values.significant}
              onChange={(ev) => {
                const next = ev.currentTarget.checked;
                setValues((v) => ({ ...v, significant: next }));
              }}
            />
          ) : null}
          <TextInput
            size="lg"
            type="datetime-local"
            label="DEA field office told at (if already)"
            value={values.fieldOfficeNotifiedAt}
            onChange={(ev) => {
              const next = ev.currentTarget.value;
              setValues((v) => ({ ...v, fieldOfficeNotifiedAt: next }));
            }}
            error={e['report.deaFieldOfficeNotifiedAt']}
          />
          <Checkbox
            size="lg"
            label="The police were told"
            checked={values.policeNotified}
            onChange={(ev) => {
              const next = ev.currentTarget.checked;
              setValues((v) => ({ ...v, policeNotified: next }));
            }}
          />
          {values.policeNotified ? (
            <TextInput
              size="lg"
              label="Police report number"
              value={values.policeReportNumber}
              onChange={(ev) => {
                const next = ev.currentTarget.value;
                setValues((v) => ({ ...v, policeReportNumber: next }));
              }}
            />
          ) : null}
          <ServerError error={record.error} />
          <Actions submitLabel="Report loss or theft" pending={record.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

export function AdjustmentDialog({
  lot,
  onClose,
  onRecorded,
  initial,
}: DialogProps & { lot: LedgerLot; initial?: Partial<AdjustmentValues> }) {
  const record = useRecordAdjustment();
  const form = useLedgerForm();
  const [values, setValues] = useState<AdjustmentValues>(() => ({ ...emptyAdjustment(), ...initial }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    sendEntry(form, toAdjustment(values, lot, form.id()), record.mutate, { onClose, onRecorded }, () =>
      setValues((v) => ({ ...v, password: '' })),
    );
  };
  const e = form.errors;
  return (
    <Modal opened onClose={onClose} title="Adjust the balance" size="lg">
      <form onSubmit={submit} noValidate aria-label="Adjustment">
        <Stack gap="sm">
          <LotHeading lot={lot} />
          <Text size="sm" c="dimmed">
            Only with a reason and your signature as an admin (your password). The entry is kept; a mistake is
            corrected by a reversing entry, never removed.
          </Text>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="adjust-direction-label">
              Direction
            </Text>
            <SegmentedControl
              size="lg"
              aria-labelledby="adjust-direction-label"
              value={values.direction}
              onChange={(direction) =>
                setValues((v) => ({ ...v, direction: direction as AdjustmentValues['direction'] }))
              }
              data={[
                { value: 'remove', label: 'Remove from the balance' },
                { value: 'add', label: 'Add to the balance' },
              ]}
            />
          </Stack>
          <TextInput
            size="lg"
            inputMode="decimal"
            label={`Amount (${lot.unit})`}
            value={values.quantity}
            onChange={(ev) => {
              const next = ev.currentTarget.value;
              setValues((v) => ({ ...v, quantity: next }));
            }}
            error={e.quantity}
          />
          <Textarea
            size="lg"
            label="Reason for the adjustment"
            value={values.reason}
            onChange={(ev) => {
              const next = ev.currentTarget.value;
              setValues((v) => ({ ...v, reason: next }));
            }}
            error={e.reason}
            autosize
            minRows={2}
          />
          <PasswordInput
            size="lg"
            autoComplete="current-password"
            label="Your password (signature)"
            value={values.password}
            onChange={(ev) => {
              const next = ev.currentTarget.value;
              setValues((v) => ({ ...v, password: next }));
            }}
            error={e.password}
          />
          <ServerError error={record.error} />
          <Actions submitLabel="Sign and record adjustment" pending={record.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

export function CorrectionDialog({ entry, onClose, onRecorded }: DialogProps & { entry: LedgerEntry }) {
  const record = useRecordCorrection();
  const form = useLedgerForm();
  const [values, setValues] = useState({ reason: '', password: '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    sendEntry(form, toCorrection(values, entry.id, form.id()), record.mutate, { onClose, onRecorded }, () =>
      setValues((v) => ({ ...v, password: '' })),
    );
  };
  return (
    <Modal opened onClose={onClose} title="Correct an entry" size="lg">
      <form onSubmit={submit} noValidate aria-label="Correction">
        <Stack gap="sm">
          <Text>
            A reversing entry of {formatChange(-entry.quantity, entry.lot.unit)} on lot {entry.lot.lotNumber}:
            the original stays in the ledger, linked to its correction.
          </Text>
          <Textarea
            size="lg"
            label="What was wrong with the entry"
            value={values.reason}
            onChange={(ev) => {
              const next = ev.currentTarget.value;
              setValues((v) => ({ ...v, reason: next }));
            }}
            error={form.errors.reason}
            autosize
            minRows={2}
          />
          <PasswordInput
            size="lg"
            autoComplete="current-password"
            label="Your password (signature)"
            value={values.password}
            onChange={(ev) => {
              const next = ev.currentTarget.value;
              setValues((v) => ({ ...v, password: next }));
            }}
            error={form.errors.password}
          />
          <ServerError error={record.error} />
          <Actions submitLabel="Sign and record correction" pending={record.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
