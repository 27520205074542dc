import {
  Alert,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { problemMessage } from '../../api/client.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import {
  useCreateLocation,
  useCreateProduct,
  useLedgerSettings,
  useLocations,
  useProducts,
  useSaveSettings,
} from './ledger.api.ts';
import type { LedgerForm, LedgerProductKind, LedgerSettings, LocationBody } from './ledger.types.ts';
import {
  formLabel,
  type ProductValues,
  productKindLabel,
  type SettingsValues,
  toLocation,
  toProduct,
  toSettings,
  unitOfForm,
} from './ledger-model.ts';
import { ServerError, useLedgerForm } from './ledger-ui.tsx';

function LocationDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateLocation();
  const form = useLedgerForm();
  const [values, setValues] = useState<LocationBody>({ name: '', address: '', deaRegistration: '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, errors } = toLocation(values);
    form.setErrors(errors);
    if (body) create.mutate(body, { onSuccess: onClose, onError: form.fromServer });
  };
  return (
    <Modal opened onClose={onClose} title="Add a registered location" size="lg">
      <form onSubmit={submit} noValidate aria-label="Registered location">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            A place where controlled substances are stored or administered under its own DEA registration (21
            CFR 1301.12(a)); its records are kept apart from other locations’.
          </Text>
          <TextInput
            size="lg"
            label="Location name"
            value={values.name}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setValues((v) => ({ ...v, name: next }));
            }}
            error={form.errors.name}
          />
          <TextInput
            size="lg"
            label="Address registered with the DEA"
            value={values.address}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setValues((v) => ({ ...v, address: next }));
            }}
            error={form.errors.address}
          />
          <TextInput
            size="lg"
            label="DEA registration number"
            value={values.deaRegistration}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setValues((v) => ({ ...v, deaRegistration: next }));
            }}
            error={form.errors.deaRegistration}
          />
          <ServerError error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" size="lg" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" size="lg" loading={create.isPending}>
              Add location
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ProductDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateProduct();
  const form = useLedgerForm();
  const [values, setValues] = useState<ProductValues>({
    product: 'ketamine-racemic',
    name: '',
    ndc: '',
    form: 'vial',
    concentrationMgPerUnit: '',
    containerSize: '',
  });
  const unit = unitOfForm(values.form);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, errors } = toProduct(values);
    form.setErrors(errors);
    if (body) create.mutate(body, { onSuccess: onClose, onError: form.fromServer });
  };
  return (
    <Modal opened onClose={onClose} title="Add a product" size="lg">
      <form onSubmit={submit} noValidate aria-label="Product">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            As bought (21 CFR 1304.22(c)(1)-(2)): the substance, the finished form and concentration, and the
            units or volume in each commercial container. A different presentation is a different product.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              size="lg"
              label="Substance"
              data={Object.entries(productKindLabel).map(([value, label]) => ({ value, label }))}
              value={values.product}
              onChange={(v) => v && setValues((s) => ({ ...s, product: v as LedgerProductKind }))}
              allowDeselect={false}
            />
            <Select
              size="lg"
              label="Finished form"
              data={Object.entries(formLabel).map(([value, label]) => ({ value, label }))}
              value={values.form}
              onChange={(v) => v && setValues((s) => ({ ...s, form: v as LedgerForm }))}
              allowDeselect={false}
            />
          </SimpleGrid>
          <TextInput
            size="lg"
            label="Name as on the label"
            value={values.name}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setValues((v) => ({ ...v, name: next }));
            }}
            error={form.errors.name}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              size="lg"
              label="NDC"
              value={values.ndc}
              onChange={(e) => {
                const next = e.currentTarget.value;
                setValues((v) => ({ ...v, ndc: next }));
              }}
              error={form.errors.ndc}
            />
            <TextInput
              size="lg"
              inputMode="decimal"
              label={`mg per ${unit}`}
              value={values.concentrationMgPerUnit}
              onChange={(e) => {
                const next = e.currentTarget.value;
                setValues((v) => ({ ...v, concentrationMgPerUnit: next }));
              }}
              error={form.errors.concentrationMgPerUnit}
            />
            <TextInput
              size="lg"
              inputMode="decimal"
              label={`${unit} per container`}
              value={values.containerSize}
              onChange={(e) => {
                const next = e.currentTarget.value;
                setValues((v) => ({ ...v, containerSize: next }));
              }}
              error={form.errors.containerSize}
            />
          </SimpleGrid>
          <ServerError error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" size="lg" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" size="lg" loading={create.isPending}>
              Add product
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function SettingsForm({ settings, canEdit }: { settings: LedgerSettings; canEdit: boolean }) {
  const save = useSaveSettings();
  const form = useLedgerForm();
  const [saved, setSaved] = useState(false);
  const [values, setValues] = useState<SettingsValues>({
    jurisdiction: settings.jurisdiction,
    inventoryIntervalMonths: settings.inventoryIntervalMonths?.toString() ?? '',
    retentionYears: String(settings.retentionYears),
    estimateToleranceQuantity: settings.estimateToleranceQuantity?.toString() ?? '',
  });
  /** The props each number field shares: its value, its error, and read-only unless the user may edit. */
  const numberField = (key: Exclude<keyof SettingsValues, 'jurisdiction'>) => ({
    size: 'lg' as const,
    value: values[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const next = e.currentTarget.value;
      setValues((v) => ({ ...v, [key]: next }));
    },
    error: form.errors[key],
    disabled: !canEdit,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const { body, errors } = toSettings(values);
    form.setErrors(errors);
    if (body) save.mutate(body, { onSuccess: () => setSaved(true), onError: form.fromServer });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Ledger settings">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            size="lg"
            label="Inventory rules"
            description="Federal (biennial; opened Schedule III containers may be estimated), or a stricter state."
            data={[
              { value: 'federal', label: 'Federal (21 CFR 1304.11)' },
              { value: 'iowa', label: 'Iowa (annual, exact counts)' },
            ]}
            value={values.jurisdiction}
            onChange={(v) =>
              v && setValues((s) => ({ ...s, jurisdiction: v as SettingsValues['jurisdiction'] }))
            }
            allowDeselect={false}
            disabled={!canEdit}
          />
          <TextInput
            {...numberField('inventoryIntervalMonths')}
            inputMode="numeric"
            label="Inventory interval (months, optional)"
            description={`In force: ${settings.effectiveIntervalMonths} months. A clinic may only shorten it.`}
          />
          <TextInput
            {...numberField('retentionYears')}
            inputMode="numeric"
            label="Keep ledger records (years)"
            description="At least 2 (21 CFR 1304.04(a)); several states require longer."
          />
          <TextInput
            {...numberField('estimateToleranceQuantity')}
            inputMode="decimal"
            label="Estimate tolerance (in the lot’s unit, optional)"
            description="How far an estimated count may be from the book. None by default: the reference gives no number."
          />
        </SimpleGrid>
        <ServerError error={save.error} />
        {saved ? (
          <Alert color="green" role="status">
            Ledger settings saved.
          </Alert>
        ) : null}
        {canEdit ? (
          <Group justify="flex-end">
            <Button type="submit" size="lg" loading={save.isPending}>
              Save ledger settings
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}

/** Registered locations, products and the ledger's settings (jurisdiction, interval, retention). */
export function SetupPanel() {
  const can = usePermissions();
  const session = useSignedInSession();
  const locations = useLocations();
  const products = useProducts();
  const settings = useLedgerSettings();
  const [dialog, setDialog] = useState<'location' | 'product' | null>(null);
  return (
    <Stack gap="lg">
      <Card withBorder>
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h3">
              Registered locations
            </Title>
            {can('ledger.locations.manage') ? (
              <Button size="lg" variant="light" onClick={() => setDialog('location')}>
                Add location
              </Button>
            ) : null}
          </Group>
          {locations.isPending ? <Loader aria-label="Loading locations" /> : null}
          {locations.error ? <Alert color="red">{problemMessage(locations.error)}</Alert> : null}
          {locations.data ? (
            <Table aria-label="Registered locations" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Address</Table.Th>
                  <Table.Th>DEA registration</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {locations.data.items.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>{l.name}</Table.Td>
                    <Table.Td>{l.address}</Table.Td>
                    <Table.Td>{l.deaRegistration}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h3">
              Products
            </Title>
            {can('ledger.record') ? (
              <Button size="lg" variant="light" onClick={() => setDialog('product')}>
                Add product
              </Button>
            ) : null}
          </Group>
          {products.data ? (
            <Table aria-label="Products" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Product</Table.Th>
                  <Table.Th>NDC</Table.Th>
                  <Table.Th>Form</Table.Th>
                  <Table.Th>Strength</Table.Th>
                  <Table.Th>Per container</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {products.data.items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      {p.name}
                      <Text size="xs" c="dimmed">
                        {productKindLabel[p.product]}
                      </Text>
                    </Table.Td>
                    <Table.Td>{p.ndc}</Table.Td>
                    <Table.Td>{formLabel[p.form]}</Table.Td>
                    <Table.Td>
                      {p.concentrationMgPerUnit} mg/{p.unit}
                    </Table.Td>
                    <Table.Td>
                      {p.containerSize} {p.unit}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="sm">
          <Title order={2} size="h3">
            Ledger settings
          </Title>
          {settings.data ? (
            <>
              <SettingsForm settings={settings.data} canEdit={can('ledger.locations.manage')} />
              {settings.data.updatedAt ? (
                <Text size="xs" c="dimmed">
                  Last changed {formatInstant(settings.data.updatedAt, session.clinic.timeZone)}.
                </Text>
              ) : null}
            </>
          ) : null}
        </Stack>
      </Card>
      {dialog === 'location' ? <LocationDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'product' ? <ProductDialog onClose={() => setDialog(null)} /> : null}
    </Stack>
  );
}
