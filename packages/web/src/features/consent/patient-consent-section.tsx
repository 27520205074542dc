import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ApiProblem, problemMessage } from '../../api/client.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import {
  type ConsentForm,
  type ConsentSignature,
  consentDocumentUrl,
  useCountersign,
  usePatientConsents,
  useRecordWithdrawal,
} from './consent.api.ts';
import { requirementOf, routeLabels, stateLabels } from './consent-format.ts';

function RecordWithdrawalDialog({
  patientId,
  signature,
  onClose,
}: {
  patientId: string;
  signature: ConsentSignature;
  onClose: () => void;
}) {
  const record = useRecordWithdrawal(patientId);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  async function confirm() {
    setProblem(null);
    if (reason.trim().length < 3) {
      setErrors({ reason: 'Say how the patient withdrew (for example “by phone to the front desk”).' });
      return;
    }
    try {
      await record.mutateAsync({ signatureId: signature.id, reason: reason.trim() });
      notifications.show({ color: 'green', message: `Withdrawal of “${signature.title}” recorded.` });
      onClose();
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) setErrors(caught.fieldMessages());
      setProblem(problemMessage(caught));
    }
  }

  return (
    <Modal opened onClose={onClose} title="Record a withdrawal of consent" centered size="lg">
      <Stack gap="md">
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Text size="sm">
          Record that the patient withdrew “{signature.title}” (version {signature.version}). The signature
          stays on file, marked withdrawn; the patient must sign again before the next dosing session.
        </Text>
        <Textarea
          label="How and why the patient withdrew"
          required
          autosize
          minRows={2}
          maxLength={2000}
          value={reason}
          error={errors.reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" loading={record.isPending} onClick={confirm}>
            Record withdrawal
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function FormRow({
  patientId,
  form,
  onWithdraw,
}: {
  patientId: string;
  form: ConsentForm;
  onWithdraw: (signature: ConsentSignature) => void;
}) {
  const session = useSignedInSession();
  const can = usePermissions();
  const countersign = useCountersign(patientId);
  const signature = form.latestSignature;
  const state = stateLabels[form.state];

  async function doCountersign(signatureId: string) {
    try {
      await countersign.mutateAsync(signatureId);
      notifications.show({ color: 'green', message: `“${form.template.title}” countersigned.` });
    } catch (caught) {
      notifications.show({ color: 'red', title: 'Not countersigned', message: problemMessage(caught) });
    }
  }

  return (
    <Table.Tr>
      <Table.Td>
        <Text fw={600} size="sm">
          {form.template.title}
        </Text>
        <Text size="xs" c="dimmed">
          {requirementOf(form.template)} · version {form.currentVersion.version} in use
        </Text>
      </Table.Td>
      <Table.Td miw={210}>
        <Badge color={state.color} variant="light">
          {state.label}
        </Badge>
      </Table.Td>
      <Table.Td>
        {signature ? (
          <Text size="sm">
            v{signature.version}, {formatInstant(signature.signedAt, session.clinic.timeZone)}
            <br />
            <Text span size="xs" c="dimmed">
              typed “{signature.typedName}”
            </Text>
          </Text>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>
        {signature?.countersignature
          ? `${signature.countersignature.by.displayName}, ${formatInstant(signature.countersignature.at, session.clinic.timeZone)}`
          : '—'}
        {signature?.withdrawal && (
          <Text size="xs" c="red">
            Withdrawn {formatInstant(signature.withdrawal.at, session.clinic.timeZone)}
            {signature.withdrawal.reason ? `: ${signature.withdrawal.reason}` : ''}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="wrap">
          {signature && form.state === 'awaiting-countersignature' && can('consent.countersign') && (
            <Button
              size="xs"
              loading={countersign.isPending}
              onClick={() => doCountersign(signature.id)}
              aria-label={`Countersign “${form.template.title}”`}
            >
              Countersign
            </Button>
          )}
          {signature && (
            <Anchor
              size="sm"
              href={consentDocumentUrl.patient(patientId, signature.id)}
              target="_blank"
              rel="noopener"
              aria-label={`Signed copy of “${form.template.title}” (PDF)`}
            >
              PDF
            </Anchor>
          )}
          {signature && !signature.withdrawal && can('consent.countersign') && (
            <Button size="xs" variant="subtle" color="red" onClick={() => onWithdraw(signature)}>
              Record withdrawal
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** The chart's "Consent" section: each form's status, countersigning, copies and the full history. */
export function PatientConsentSection({ patientId }: { patientId: string }) {
  const session = useSignedInSession();
  const consents = usePatientConsents(patientId);
  const [withdrawing, setWithdrawing] = useState<ConsentSignature | null>(null);

  if (consents.isPending) return <Loader aria-label="Loading consent" />;
  if (consents.isError)
    return (
      <Alert color="red" role="alert" title="Consent could not be loaded">
        {problemMessage(consents.error)}
      </Alert>
    );
  const { route, status, forms, signatures } = consents.data;
  const required = forms.filter((f) => f.template.required);
  const optional = forms.filter((f) => !f.template.required);

  return (
    <Stack gap="md" component="section" aria-labelledby="consent-title">
      <Title order={2} size="h4" id="consent-title">
        Consent
      </Title>
      {status.valid ? (
        <Alert color="green" title="Consent in place">
          {route
            ? `Every form needed for ${routeLabels[route]} treatment (the active plan’s route) is signed on the version in use and countersigned.`
            : 'The general consent is signed on the version in use and countersigned. There is no active plan yet: the route’s own form is checked when dosing sessions are booked.'}
        </Alert>
      ) : (
        <Alert color="yellow" title="Consent is not complete" role="status">
          <List size="sm">
            {status.problems.map((problem) => (
              <List.Item key={problem}>{problem}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {[
        { label: 'Required forms', items: required },
        { label: 'Optional forms', items: optional },
      ].map(
        (group) =>
          group.items.length > 0 && (
            <Table.ScrollContainer key={group.label} minWidth={720}>
              <Table verticalSpacing="sm" aria-label={group.label}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{group.label}</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Signed by the patient</Table.Th>
                    <Table.Th>Countersigned</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {group.items.map((form) => (
                    <FormRow
                      key={form.template.id}
                      patientId={patientId}
                      form={form}
                      onWithdraw={setWithdrawing}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ),
      )}
      {signatures.length > 0 && (
        <Stack gap="xs">
          <Title order={3} size="h5">
            Every signature
          </Title>
          <Table verticalSpacing="xs" aria-label="Every consent signature">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Form</Table.Th>
                <Table.Th>Signed</Table.Th>
                <Table.Th>Text fingerprint (SHA-256)</Table.Th>
                <Table.Th>Copy</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {signatures.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    {s.title}, v{s.version}
                    {s.withdrawal ? ' (withdrawn)' : ''}
                  </Table.Td>
                  <Table.Td>{formatInstant(s.signedAt, session.clinic.timeZone)}</Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="xs" title={s.textSha256}>
                      {s.textSha256.slice(0, 16)}…
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor
                      size="sm"
                      href={consentDocumentUrl.patient(patientId, s.id)}
                      target="_blank"
                      rel="noopener"
                      aria-label={`Copy of “${s.title}” version ${s.version} signed ${formatInstant(s.signedAt, session.clinic.timeZone)} (PDF)`}
                    >
                      PDF
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      {withdrawing && (
        <RecordWithdrawalDialog
          patientId={patientId}
          signature={withdrawing}
          onClose={() => setWithdrawing(null)}
        />
      )}
    </Stack>
  );
}
