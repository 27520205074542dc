import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileTypePdf } from '@tabler/icons-react';
import { type FormEvent, useRef, useState } from 'react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatDate, formatInstant } from '../patients/patient-format.ts';
import { clientId } from '../plans/client-id.ts';
import { remsFormPdfUrl, useMarkSubmitted, useRemsForms } from './rems.api.ts';
import {
  deadlineStanding,
  type MarkSubmittedValues,
  orderForms,
  type RemsFormSummary,
  standingColor,
  toMarkSubmitted,
} from './rems-model.ts';

function todayInput(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function MarkSubmittedDialog({ form, onClose }: { form: RemsFormSummary; onClose: () => void }) {
  const mark = useMarkSubmitted();
  const [values, setValues] = useState<MarkSubmittedValues>({
    submittedOn: todayInput(),
    channel: 'online',
    confirmation: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const attempt = useRef(clientId());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: found } = toMarkSubmitted(values, attempt.current, new Date());
    setErrors(found);
    if (!body) return;
    mark.mutate({ formId: form.id, ...body }, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} title={`Mark submitted: ${form.patient.name}`} size="lg">
      <form onSubmit={submit} noValidate aria-label="Mark REMS form submitted">
        <Stack gap="md">
          <Text size="sm">
            Record that the Patient Monitoring Form of the {formatDate(form.treatmentDate)} session was
            submitted at spravatorems.com or by fax. The record is kept; it cannot be undone.
          </Text>
          <TextInput
            size="lg"
            type="date"
            label="Submitted on"
            value={values.submittedOn}
            error={errors.submittedOn}
            onChange={(e) => setValues((v) => ({ ...v, submittedOn: e.currentTarget.value }))}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="rems-channel-label">
              How it was submitted
            </Text>
            <SegmentedControl
              size="lg"
              aria-labelledby="rems-channel-label"
              data={[
                { value: 'online', label: 'Online (spravatorems.com)' },
                { value: 'fax', label: 'Fax' },
              ]}
              value={values.channel || 'online'}
              onChange={(value) => setValues((v) => ({ ...v, channel: value as 'online' | 'fax' }))}
            />
            {errors.channel && (
              <Text size="sm" c="red">
                {errors.channel}
              </Text>
            )}
          </Stack>
          <TextInput
            size="lg"
            label="Confirmation number (optional)"
            value={values.confirmation}
            onChange={(e) => setValues((v) => ({ ...v, confirmation: e.currentTarget.value }))}
          />
          {mark.isError && (
            <Alert color="red" role="alert" title="Not recorded">
              {problemMessage(mark.error)}
            </Alert>
          )}
          <Group>
            <Button size="lg" type="submit" loading={mark.isPending}>
              Mark submitted
            </Button>
            <Button size="lg" variant="default" onClick={onClose}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function FormsTable({
  forms,
  onMark,
}: {
  forms: RemsFormSummary[];
  onMark: ((form: RemsFormSummary) => void) | null;
}) {
  const session = useSignedInSession();
  const now = new Date();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="md" striped aria-label="REMS monitoring forms">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Session</Table.Th>
            <Table.Th>Deadline</Table.Th>
            <Table.Th>Form</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {forms.map((form) => {
            const standing = deadlineStanding(form.dueAt, now);
            return (
              <Table.Tr key={form.id} data-testid="rems-form-row">
                <Table.Td>
                  <Anchor component={Link} to={`/patients/${form.patient.id}`}>
                    {form.patient.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{formatDate(form.treatmentDate)}</Table.Td>
                <Table.Td>
                  {form.status === 'submitted' ? (
                    <Badge color="green" variant="light">
                      Submitted
                      {form.submittedAt ? ` ${formatInstant(form.submittedAt, session.clinic.timeZone)}` : ''}
                    </Badge>
                  ) : (
                    <Stack gap={2}>
                      <Badge
                        color={standingColor[standing.kind]}
                        variant={standing.kind === 'overdue' ? 'filled' : 'light'}
                      >
                        {standing.label}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        by {formatInstant(form.dueAt, session.clinic.timeZone)}
                      </Text>
                    </Stack>
                  )}
                </Table.Td>
                <Table.Td>
                  {form.complete ? (
                    <Badge color="teal" variant="light">
                      Complete
                    </Badge>
                  ) : (
                    <Stack gap={2}>
                      <Badge color="orange" variant="light">
                        {form.missing.length} missing
                      </Badge>
                      <List size="xs">
                        {form.missing.slice(0, 4).map((m) => (
                          <List.Item key={m}>{m}</List.Item>
                        ))}
                        {form.missing.length > 4 && (
                          <List.Item>…and {form.missing.length - 4} more</List.Item>
                        )}
                      </List>
                    </Stack>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      component="a"
                      href={remsFormPdfUrl(form.id)}
                      target="_blank"
                      rel="noopener"
                      size="md"
                      variant="light"
                      leftSection={<IconFileTypePdf size={18} aria-hidden />}
                      aria-label={`PDF of the form for ${form.patient.name}, ${formatDate(form.treatmentDate)}`}
                    >
                      PDF
                    </Button>
                    {onMark && form.status === 'due' && (
                      <Button
                        size="md"
                        onClick={() => onMark(form)}
                        aria-label={`Mark submitted: ${form.patient.name}, ${formatDate(form.treatmentDate)}`}
                      >
                        Mark submitted
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * The SPRAVATO REMS dashboard: every Patient Monitoring Form still to submit, the nearest deadline first
 * (7 days after the session, clinical-reference 2.6), with its PDF and the record that it was submitted.
 */
export function RemsPage() {
  useDocumentTitle('SPRAVATO REMS forms');
  const can = usePermissions();
  const [status, setStatus] = useState<'due' | 'submitted'>('due');
  const forms = useRemsForms(status);
  const [marking, setMarking] = useState<RemsFormSummary | null>(null);
  const items = orderForms(forms.data?.items ?? []);
  const overdue =
    status === 'due' ? items.filter((f) => deadlineStanding(f.dueAt, new Date()).kind === 'overdue') : [];

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        SPRAVATO REMS monitoring forms
      </Title>
      <Text c="dimmed" maw={760}>
        A Patient Monitoring Form is completed after every SPRAVATO session and submitted within 7 days at
        spravatorems.com or by fax. Open the PDF to transcribe or fax it, then mark it submitted here.
      </Text>
      <SegmentedControl
        size="lg"
        aria-label="Which forms"
        data={[
          { value: 'due', label: 'To submit' },
          { value: 'submitted', label: 'Submitted' },
        ]}
        value={status}
        onChange={(value) => setStatus(value as 'due' | 'submitted')}
        maw={420}
      />
      {overdue.length > 0 && (
        <Alert
          color="red"
          role="alert"
          title={`${overdue.length} ${overdue.length === 1 ? 'form is' : 'forms are'} overdue`}
        >
          The 7-day submission window has passed. Submit them now and note why they are late.
        </Alert>
      )}
      {forms.isPending && <Loader aria-label="Loading REMS forms" />}
      {forms.isError && (
        <Alert color="red" role="alert" title="The forms could not be loaded">
          {problemMessage(forms.error)}
        </Alert>
      )}
      {forms.data && items.length === 0 && (
        <Text>
          {status === 'due'
            ? 'No form to submit. Every SPRAVATO session is reported.'
            : 'No form submitted yet.'}
        </Text>
      )}
      {items.length > 0 && <FormsTable forms={items} onMark={can('rems.submit') ? setMarking : null} />}
      {marking && <MarkSubmittedDialog form={marking} onClose={() => setMarking(null)} />}
    </Stack>
  );
}
