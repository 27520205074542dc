import { Alert, Badge, Button, Card, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatDate, formatInstant } from '../patients/patient-format.ts';
import { localInputValue } from '../screening/vitals-form-model.ts';
import { useOpenLosses, useRecordLossFiling } from './ledger.api.ts';
import type { OpenLoss } from './ledger.types.ts';
import { formatQuantity, type LossFilingKind, lossFilingLabel, toLossFiling } from './ledger-model.ts';
import { ServerError, useLedgerForm } from './ledger-ui.tsx';

function FilingDialog({
  loss,
  kind,
  onClose,
}: {
  loss: OpenLoss;
  kind: LossFilingKind;
  onClose: () => void;
}) {
  const record = useRecordLossFiling();
  const form = useLedgerForm();
  const [values, setValues] = useState({ filedAt: localInputValue(new Date()), reference: '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, errors } = toLossFiling(values, kind, form.id());
    form.setErrors(errors);
    if (body)
      record.mutate({ lossId: loss.entry.id, ...body }, { onSuccess: onClose, onError: form.fromServer });
  };
  return (
    <Modal opened onClose={onClose} title={lossFilingLabel[kind]} size="lg">
      <form onSubmit={submit} noValidate aria-label={lossFilingLabel[kind]}>
        <Stack gap="sm">
          <Text size="sm">
            {loss.entry.lossReport?.kind === 'theft' ? 'Theft' : 'Loss'} of{' '}
            {formatQuantity(-loss.entry.quantity, loss.entry.lot.unit)} from lot {loss.entry.lot.lotNumber}.
          </Text>
          <TextInput
            size="lg"
            type="datetime-local"
            label="Filed at"
            value={values.filedAt}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setValues((v) => ({ ...v, filedAt: next }));
            }}
            error={form.errors.filedAt}
          />
          <TextInput
            size="lg"
            label="DEA confirmation or reference (optional)"
            value={values.reference}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setValues((v) => ({ ...v, reference: next }));
            }}
            error={form.errors.reference}
          />
          <ServerError error={record.error} />
          <Group justify="flex-end">
            <Button variant="default" size="lg" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" size="lg" loading={record.isPending}>
              Record filing
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * Thefts and losses still open (no Form 106 on record), with what the DEA needs and by when: a written notice
 * to the Field Division Office within 1 business day, DEA Form 106 within 45 days (21 CFR 1301.76(b)).
 */
export function OpenLosses({ locationId }: { locationId: string }) {
  const can = usePermissions();
  const session = useSignedInSession();
  const losses = useOpenLosses();
  const [filing, setFiling] = useState<{ loss: OpenLoss; kind: LossFilingKind } | null>(null);
  const items = (losses.data?.items ?? []).filter((l) => l.entry.locationId === locationId);
  if (items.length === 0) return null;
  return (
    <Card withBorder padding="md" aria-label="Open thefts and losses">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Thefts and losses to report to the DEA
        </Title>
        {items.map((loss) => {
          const notice = loss.filings.find((f) => f.kind === 'field-office-notice');
          return (
            <Alert key={loss.entry.id} color={loss.overdue ? 'red' : 'orange'} variant="light">
              <Stack gap={6}>
                <Text fw={600}>
                  {loss.entry.lossReport?.kind === 'theft' ? 'Theft' : 'Loss'} of{' '}
                  {formatQuantity(-loss.entry.quantity, loss.entry.lot.unit)}, {loss.entry.lot.productName}{' '}
                  lot {loss.entry.lot.lotNumber}
                  {loss.entry.lossReport
                    ? `, discovered ${formatInstant(loss.entry.lossReport.discoveredAt, session.clinic.timeZone)}`
                    : ''}
                </Text>
                <Group gap="xs">
                  {notice ? (
                    <Badge color="teal">
                      Field office told {formatInstant(notice.filedAt, session.clinic.timeZone)}
                    </Badge>
                  ) : loss.fieldOfficeNoticeDueOn ? (
                    <Badge color="red">
                      Field office notice due {formatDate(loss.fieldOfficeNoticeDueOn)}
                    </Badge>
                  ) : null}
                  <Badge color={loss.overdue ? 'red' : 'orange'}>
                    {loss.overdue ? 'Form 106 overdue since' : 'Form 106 due by'}{' '}
                    {formatDate(loss.form106DueBy)}
                  </Badge>
                </Group>
                {can('ledger.record') ? (
                  <Group gap="xs">
                    {!notice ? (
                      <Button
                        size="md"
                        variant="default"
                        onClick={() => setFiling({ loss, kind: 'field-office-notice' })}
                      >
                        Record the field-office notice
                      </Button>
                    ) : null}
                    <Button size="md" onClick={() => setFiling({ loss, kind: 'form-106' })}>
                      Record Form 106 submitted
                    </Button>
                  </Group>
                ) : null}
              </Stack>
            </Alert>
          );
        })}
      </Stack>
      {filing ? <FilingDialog loss={filing.loss} kind={filing.kind} onClose={() => setFiling(null)} /> : null}
    </Card>
  );
}
