import {
  Alert,
  Button,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useMemo, useRef, useState } from 'react';
import { clientId } from '../../../api/client-id.ts';
import { usePermissions, useSignedInSession } from '../../auth/auth.api.ts';
import type { SessionView } from '../sessions.types.ts';
import {
  type AdministrationFormValues,
  type DispensableLot,
  imSites,
  infusionEnd,
  lotChoices,
  lotLabel,
  nextDeviceAllowedAt,
  type PlanOrder,
  previewDose,
  quantityLabel,
  remainderToWaste,
  toAdministrationSubmission,
  toWasteSubmission,
  type WasteFormValues,
} from './administration-model.ts';
import {
  asFlow,
  type FlowSession,
  type PlanOrderView,
  useAdminister,
  useDispensableLots,
  useRecordWaste,
  useStartMonitoring,
} from './flow.api.ts';
import {
  FlowPanel,
  fieldErrors,
  nowLocal,
  SignaturePassword,
  StepProblem,
  touch,
  useClinicTime,
} from './flow-ui.tsx';

const routeLabels: Record<string, string> = {
  iv: 'IV infusion',
  im: 'IM injection',
  sublingual: 'Sublingual',
  oral: 'Oral',
  intranasal: 'Nasal spray',
};

const productLabel = (product: string) => (product === 'esketamine' ? 'esketamine (SPRAVATO)' : 'ketamine');

const toPlanOrder = (order: PlanOrderView): PlanOrder => ({
  route: order.route,
  product: order.product,
  dose: order.dose,
  maximumDose: order.maximumDose,
  weightKg: order.weightKg,
});

/** Today in the tablet's zone, for the expiry filter (the ledger filters by the clinic's date again). */
function todayLocal(): string {
  return nowLocal().slice(0, 10);
}

function OrderSummary({ order }: { order: PlanOrderView }) {
  const weight = order.dose.unit === 'mg/kg' && order.weightKg !== null ? ` × ${order.weightKg} kg` : '';
  return (
    <Stack gap={4} aria-label="Order from the plan">
      <Text size="lg" fw={600}>
        Order: {routeLabels[order.route] ?? order.route} {productLabel(order.product)} {order.dose.value}{' '}
        {order.dose.unit}
        {weight} = {order.startingDoseMg} mg
      </Text>
      <Text>
        Plan maximum {order.maximumDose.value} {order.maximumDose.unit} ({order.maximumDoseMg} mg). Given so
        far {order.givenMg} mg; {order.remainingMg} mg left within the plan.
      </Text>
      {order.calculation.messages.length > 0 && (
        <List size="sm" c="dimmed">
          {order.calculation.messages.map((m) => (
            <List.Item key={m}>{m}</List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

function GivenDoses({ session }: { session: FlowSession }) {
  const time = useClinicTime();
  if (session.administrations.length === 0) return <Text c="dimmed">No dose given yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped verticalSpacing="sm" aria-label="Doses given">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Time</Table.Th>
            <Table.Th>Dose</Table.Th>
            <Table.Th>Lot</Table.Th>
            <Table.Th>Site</Table.Th>
            <Table.Th>Given by</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {session.administrations.map((a, index) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.sequence ?? index + 1}</Table.Td>
              <Table.Td>
                {time(a.startedAt)}
                {a.endedAt ? `–${time(a.endedAt)}` : ''}
              </Table.Td>
              <Table.Td>
                {a.doseMg} mg
                {a.volumeMl ? ` (${a.volumeMl} mL)` : ''}
                {a.devices ? ` (${a.devices} ${a.devices === 1 ? 'device' : 'devices'})` : ''}
              </Table.Td>
              <Table.Td>{a.lotNumber ?? '—'}</Table.Td>
              <Table.Td>{a.site ?? '—'}</Table.Td>
              <Table.Td>
                {a.administeredBy?.displayName ?? '—'}
                {a.secondSigner ? `, with ${a.secondSigner.displayName}` : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function emptyDoseForm(order: PlanOrderView): AdministrationFormValues {
  const startedAt = nowLocal();
  return {
    lotId: '',
    doseValue: '',
    site: '',
    startedAt,
    endedAt: order.route === 'iv' ? infusionEnd(startedAt, order.infusionMinutes ?? undefined) : '',
    secondSignerUsername: '',
    secondSignerPassword: '',
    note: '',
  };
}

function DoseForm({
  session,
  order,
  lots,
  onDone,
}: {
  session: FlowSession;
  order: PlanOrderView;
  lots: DispensableLot[];
  onDone?: () => void;
}) {
  const administer = useAdminister(session.id);
  const time = useClinicTime();
  const [values, setValues] = useState<AdministrationFormValues>(() => emptyDoseForm(order));
  const [withSecondSigner, setWithSecondSigner] = useState(order.secondSignerRequired);
  const [local, setLocal] = useState<Record<string, string>>({});
  // One id per dose being entered: a retry after a dropped answer is the same dose, never a second one.
  const attempt = useRef(clientId());
  const set = <K extends keyof AdministrationFormValues>(key: K, value: AdministrationFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const additional = session.administrations.length > 0;
  const lot = lots.find((l) => l.id === values.lotId) ?? null;
  const planOrder = toPlanOrder(order);
  const typed = values.doseValue.trim() === '' ? null : Number(values.doseValue.replace(',', '.'));
  const given = session.administrations.map((a) => ({
    doseMg: a.doseMg,
    startedAt: a.startedAt,
    devices: a.devices ?? null,
  }));
  const preview = previewDose({
    order: planOrder,
    doseValue: typed !== null && Number.isFinite(typed) ? typed : null,
    lot,
    given,
  });
  const nextDevice = nextDeviceAllowedAt(order.product, given);
  const errors = fieldErrors(local, administer.error);
  const levelColor = { ok: 'green', warning: 'yellow', blocked: 'red' }[preview.calculation.level];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { submission, errors: found } = toAdministrationSubmission({
      values: withSecondSigner ? values : { ...values, secondSignerUsername: '', secondSignerPassword: '' },
      order: planOrder,
      preview,
      id: attempt.current,
      secondSignerRequired: order.secondSignerRequired,
    });
    setLocal(found);
    if (!submission) return;
    administer.mutate(submission, {
      onSuccess: () => {
        attempt.current = clientId();
        setValues(emptyDoseForm(order));
        onDone?.();
      },
      onSettled: () => set('secondSignerPassword', ''),
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={additional ? 'Additional dose' : 'Dose'}>
      <Stack gap="md">
        <Title order={3} size="h4">
          {additional ? 'Additional dose' : 'Give the dose'}
        </Title>
        {nextDevice && nextDevice.getTime() > Date.now() && (
          <Alert color="yellow" title="Wait between devices">
            The next device may be given from {time(nextDevice.toISOString())} (5 minutes after each device).
          </Alert>
        )}
        <Select
          size={touch}
          label="Lot"
          placeholder={
            lots.length === 0 ? 'No lot in stock for this product' : 'Choose the lot you draw from'
          }
          data={lots.map((l) => ({ value: l.id, label: lotLabel(l) }))}
          value={values.lotId || null}
          error={errors.lotId}
          onChange={(value) => set('lotId', value ?? '')}
          allowDeselect={false}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            size={touch}
            label={`Dose (${order.dose.unit})`}
            description={
              additional
                ? `Up to ${order.remainingMg} mg more within the plan${order.product === 'esketamine' ? ' (28 mg per device)' : ''}.`
                : order.product === 'esketamine'
                  ? `28 mg per device. The plan: ${order.dose.value} mg.`
                  : `Leave empty for the plan’s ${order.dose.value} ${order.dose.unit}.`
            }
            placeholder={String(additional ? '' : order.dose.value)}
            inputMode="decimal"
            value={values.doseValue}
            error={errors.doseValue ?? errors.doseMg}
            onChange={(e) => set('doseValue', e.currentTarget.value)}
          />
          <Stack gap={2} aria-live="polite" data-testid="dose-computed">
            <Text size="sm" fw={500}>
              Computed
            </Text>
            <Text size="xl" fw={700} c={levelColor}>
              {preview.calculation.level === 'blocked'
                ? 'Cannot be given'
                : `${preview.calculation.doseMg} mg${
                    preview.drawQuantity !== null
                      ? ` · draw ${quantityLabel(preview.drawQuantity, preview.drawUnit ?? '')}`
                      : ''
                  }`}
            </Text>
            {preview.calculation.messages.map((m) => (
              <Text key={m} size="sm">
                {m}
              </Text>
            ))}
          </Stack>
        </SimpleGrid>
        {order.route === 'im' && (
          <Select
            size={touch}
            label="Injection site"
            data={imSites}
            value={values.site || null}
            error={errors.site}
            onChange={(value) => set('site', value ?? '')}
            allowDeselect={false}
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            size={touch}
            type="datetime-local"
            label={order.route === 'iv' ? 'Infusion started at' : 'Given at'}
            value={values.startedAt}
            error={errors.startedAt}
            onChange={(e) => {
              const startedAt = e.currentTarget.value;
              setValues((v) => ({
                ...v,
                startedAt,
                ...(order.route === 'iv'
                  ? { endedAt: infusionEnd(startedAt, order.infusionMinutes ?? undefined) }
                  : {}),
              }));
            }}
          />
          {(order.route === 'iv' || order.product === 'esketamine') && (
            <TextInput
              size={touch}
              type="datetime-local"
              label={order.route === 'iv' ? 'Infusion ends at' : 'Last device at'}
              description={order.route === 'iv' ? `Over ${order.infusionMinutes ?? 40} minutes` : undefined}
              value={values.endedAt}
              error={errors.endedAt}
              onChange={(e) => set('endedAt', e.currentTarget.value)}
            />
          )}
        </SimpleGrid>
        {!order.secondSignerRequired && (
          <Switch
            size="lg"
            label="Add a second signer"
            checked={withSecondSigner}
            onChange={(e) => setWithSecondSigner(e.currentTarget.checked)}
          />
        )}
        {withSecondSigner && (
          <Stack gap="xs" aria-label="Second signer">
            <Text fw={600}>
              Second signer{order.secondSignerRequired ? ' (the clinic requires one)' : ''}: another staff
              member checks the dose and signs.
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                size={touch}
                label="Second signer’s email"
                type="email"
                autoComplete="off"
                value={values.secondSignerUsername}
                error={errors.secondSignerUsername ?? errors['secondSigner.username']}
                onChange={(e) => set('secondSignerUsername', e.currentTarget.value)}
              />
              <SignaturePassword
                label="Second signer’s password"
                description="The second signer types it."
                autoComplete="off"
                value={values.secondSignerPassword}
                error={errors.secondSignerPassword ?? errors['secondSigner.password']}
                onChange={(value) => set('secondSignerPassword', value)}
              />
            </SimpleGrid>
          </Stack>
        )}
        <Textarea
          size={touch}
          label="Note (optional)"
          autosize
          minRows={1}
          value={values.note}
          error={errors.note}
          onChange={(e) => set('note', e.currentTarget.value)}
        />
        <StepProblem
          error={administer.error}
          title="Dose not recorded"
          shownFields={[
            'lotId',
            'doseMg',
            'site',
            'startedAt',
            'endedAt',
            'secondSigner.username',
            'secondSigner.password',
            'note',
          ]}
        />
        <Group>
          <Button size="xl" type="submit" loading={administer.isPending}>
            {additional ? 'Record additional dose' : 'Record dose'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The remainder of an opened container, destroyed before a witness who signs with their password. */
function WasteForm({ session, lots }: { session: FlowSession; lots: DispensableLot[] }) {
  const me = useSignedInSession();
  const waste = useRecordWaste();
  const usedLotIds = [...new Set(session.administrations.map((a) => a.lotId).filter(Boolean))] as string[];
  const firstLot = usedLotIds[0] ?? '';
  const suggested = (lotId: string) => {
    const lot = lots.find((l) => l.id === lotId);
    const drawn = session.administrations.filter((a) => a.lotId === lotId).map((a) => a.quantity ?? 0);
    const left = remainderToWaste(lot?.containerSize, drawn);
    return left === null || left === 0 ? '' : String(left);
  };
  const empty = (lotId: string): WasteFormValues => ({
    lotId,
    quantity: suggested(lotId),
    reason: 'Remainder of the container after the dose',
    witnessUsername: '',
    witnessPassword: '',
  });
  const [values, setValues] = useState<WasteFormValues>(() => empty(firstLot));
  const [local, setLocal] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const attempt = useRef(clientId());
  const set = <K extends keyof WasteFormValues>(key: K, value: WasteFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const errors = fieldErrors(local, waste.error);
  // Lots of this session first, then the rest in stock.
  const options = [...lots].sort(
    (a, b) => Number(usedLotIds.includes(b.id)) - Number(usedLotIds.includes(a.id)),
  );
  const lot = lots.find((l) => l.id === values.lotId) ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const lastFromLot = [...session.administrations].reverse().find((a) => a.lotId === values.lotId);
    const { submission, errors: found } = toWasteSubmission({
      values,
      lot,
      id: attempt.current,
      signedInUsername: me.user.email,
      sessionId: session.id,
      ...(lastFromLot ? { administrationId: lastFromLot.id } : {}),
    });
    setLocal(found);
    if (!submission) return;
    waste.mutate(submission, {
      onSuccess: () => {
        attempt.current = clientId();
        setDone(
          `${submission.quantity} ${lot?.unit ?? ''} of lot ${lot?.lotNumber ?? ''} recorded as wasted.`,
        );
        setValues(empty(values.lotId));
      },
      onSettled: () => set('witnessPassword', ''),
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Waste the remainder">
      <Stack gap="md">
        <Title order={3} size="h4">
          Waste the remainder
        </Title>
        <Text size="sm">
          Drug left in the vial or syringe after the dose is destroyed before a witness, who signs with their
          own password.
        </Text>
        <Select
          size={touch}
          label="Lot wasted from"
          data={options.map((l) => ({ value: l.id, label: lotLabel(l) }))}
          value={values.lotId || null}
          error={errors.lotId}
          onChange={(value) =>
            setValues((v) => ({ ...v, lotId: value ?? '', quantity: suggested(value ?? '') }))
          }
          allowDeselect={false}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            size={touch}
            label={`Quantity wasted${lot ? ` (${lot.unit})` : ''}`}
            inputMode="decimal"
            value={values.quantity}
            error={errors.quantity}
            onChange={(e) => set('quantity', e.currentTarget.value)}
          />
          <TextInput
            size={touch}
            label="Reason"
            value={values.reason}
            error={errors.reason}
            onChange={(e) => set('reason', e.currentTarget.value)}
          />
          <TextInput
            size={touch}
            label="Witness’s email"
            type="email"
            autoComplete="off"
            value={values.witnessUsername}
            error={errors.witnessUsername ?? errors['witness.username']}
            onChange={(e) => set('witnessUsername', e.currentTarget.value)}
          />
          <SignaturePassword
            label="Witness’s password"
            description="The witness types it. Wrong passwords count toward their account lock."
            autoComplete="off"
            value={values.witnessPassword}
            error={errors.witnessPassword ?? errors['witness.password']}
            onChange={(value) => set('witnessPassword', value)}
          />
        </SimpleGrid>
        <StepProblem
          error={waste.error}
          title="Waste not recorded"
          shownFields={['lotId', 'quantity', 'reason', 'witness.username', 'witness.password']}
        />
        {done && (
          <Alert color="green" role="status">
            {done}
          </Alert>
        )}
        <Group>
          <Button size="xl" variant="outline" type="submit" loading={waste.isPending}>
            Record waste
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The dose: the order from the plan, the lot drawn from the ledger, the dose and volume computed with
 * `calculateDose`, the second signer where the clinic requires one, additional doses within the plan's
 * maximum, the end of dosing (to monitoring), and the waste of what is left.
 */
export function AdministrationPanel({ session }: { session: SessionView }) {
  const flow = asFlow(session);
  const can = usePermissions();
  const order = flow.planOrder ?? null;
  const dosingState = ['cleared-to-dose', 'dosing', 'monitoring'].includes(session.state);
  const canDose = dosingState && can('session.administer');
  const lotsQuery = useDispensableLots(session.product, session.route, canDose && can('ledger.read'));
  const lots = useMemo(
    () => lotChoices(lotsQuery.data ?? [], session.product, todayLocal()),
    [lotsQuery.data, session.product],
  );
  const startMonitoring = useStartMonitoring(session.id);
  const allowed = session.allowedActions ?? [];
  const given = flow.administrations.length;
  const [additional, setAdditional] = useState(false);

  return (
    <FlowPanel
      id="administration-panel"
      title="Administration"
      status={
        given > 0
          ? { label: `${given} ${given === 1 ? 'dose' : 'doses'} given`, color: 'violet' }
          : { label: 'Not dosed', color: 'gray' }
      }
    >
      {order ? (
        <OrderSummary order={order} />
      ) : (
        <Alert color="red" title="No order">
          No active treatment plan gives an order for this session. A prescriber signs the plan first.
        </Alert>
      )}
      <GivenDoses session={flow} />
      {canDose && order && lotsQuery.isError && (
        <Alert color="red" role="alert" title="The ledger could not be read">
          The lots in stock are not available right now. Try again before drawing the dose.
        </Alert>
      )}
      {canDose && order && given === 0 && <DoseForm key={given} session={flow} order={order} lots={lots} />}
      {canDose && order && given > 0 && !additional && order.remainingMg > 0 && (
        <Group>
          <Button size={touch} variant="light" onClick={() => setAdditional(true)}>
            Give an additional dose
          </Button>
          <Text size="sm" c="dimmed">
            Up to {order.remainingMg} mg more within the plan.
          </Text>
        </Group>
      )}
      {canDose && order && given > 0 && additional && (
        <Stack gap="xs">
          <DoseForm
            key={given}
            session={flow}
            order={order}
            lots={lots}
            onDone={() => setAdditional(false)}
          />
          <Group>
            <Button size={touch} variant="default" onClick={() => setAdditional(false)}>
              No additional dose
            </Button>
          </Group>
        </Stack>
      )}
      {session.state === 'dosing' && can('session.monitor') && allowed.includes('start-monitoring') && (
        <Stack gap="xs">
          <StepProblem error={startMonitoring.error} title="Monitoring not started" />
          <Group>
            <Button
              size="xl"
              color="indigo"
              loading={startMonitoring.isPending}
              onClick={() => startMonitoring.mutate({})}
            >
              Dosing complete: start monitoring
            </Button>
          </Group>
        </Stack>
      )}
      {given > 0 && can('ledger.record') && !['discharged', 'aborted'].includes(session.state) && (
        <WasteForm session={flow} lots={lotsQuery.data ?? []} />
      )}
    </FlowPanel>
  );
}
