import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  Loader,
  Modal,
  SegmentedControl,
  SimpleGrid,
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
import { clientId } from '../../api/client-id.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatDate, formatInstant } from '../patients/patient-format.ts';
import {
  type RemsListStatus,
  remsFormPdfUrl,
  useMarkSubmitted,
  useRemsForm,
  useRemsForms,
  useSaveRemsAnswers,
} from './rems.api.ts';
import {
  answersFromForm,
  deadlineStanding,
  localDate,
  type MarkSubmittedValues,
  orderForms,
  type RemsAnswersValues,
  type RemsFormSummary,
  standingColor,
  textQuestions,
  toMarkSubmitted,
  toRemsAnswers,
  type YesNo,
  yesNoQuestions,
} from './rems-model.ts';

function MarkSubmittedDialog({ form, onClose }: { form: RemsFormSummary; onClose: () => void }) {
  const mark = useMarkSubmitted();
  const [values, setValues] = useState<MarkSubmittedValues>({
    submittedOn: localDate(new Date()),
    method: 'online',
    confirmation: '',
  });
  const [acknowledgeIncomplete, setAcknowledgeIncomplete] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const attempt = useRef(clientId());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: found } = toMarkSubmitted(values, attempt.current, {
      now: new Date(),
      treatmentDate: form.treatmentDate,
    });
    if (!form.complete && !acknowledgeIncomplete)
      found.acknowledgeIncomplete = 'Complete the form first, or confirm it was completed on the REMS site.';
    setErrors(found);
    if (!body || found.acknowledgeIncomplete) return;
    mark.mutate(
      { sessionId: form.sessionId, ...body, ...(form.complete ? {} : { acknowledgeIncomplete: true }) },
      { onSuccess: onClose },
    );
  };

  return (
    <Modal opened onClose={onClose} title={`Mark submitted: ${form.patient.displayName}`} size="lg">
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
              value={values.method || 'online'}
              onChange={(value) => setValues((v) => ({ ...v, method: value as 'online' | 'fax' }))}
            />
            {errors.method && (
              <Text size="sm" c="red">
                {errors.method}
              </Text>
            )}
          </Stack>
          {!form.complete && (
            <Checkbox
              size="md"
              label={`The form shows ${form.missing.length} missing ${form.missing.length === 1 ? 'field' : 'fields'}; I completed them on the REMS site.`}
              checked={acknowledgeIncomplete}
              error={errors.acknowledgeIncomplete}
              onChange={(e) => setAcknowledgeIncomplete(e.currentTarget.checked)}
            />
          )}
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

const yesNoData = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: '', label: 'Not known' },
];

function AnswersForm({
  sessionId,
  initial,
  missing,
  onClose,
}: {
  sessionId: string;
  initial: RemsAnswersValues;
  missing: { field: string; label: string }[];
  onClose: () => void;
}) {
  const save = useSaveRemsAnswers(sessionId);
  const [values, setValues] = useState<RemsAnswersValues>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const attempt = useRef(clientId());
  const missingFields = new Set(missing.map((m) => m.field));
  // The HCP and setting come from the clinic's records; they are asked here only when the form lacks them.
  const textShown = textQuestions.filter(
    (q) => missingFields.has(`${q.group}.${q.field}`) || initial[q.key] !== values[q.key],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: found } = toRemsAnswers(values, initial, attempt.current);
    setErrors(found);
    if (body) save.mutate(body, { onSuccess: onClose });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="REMS form answers">
      <Stack gap="md">
        {missing.length > 0 && (
          <Alert color="orange" title={`${missing.length} missing`}>
            <List size="sm">
              {missing.map((m) => (
                <List.Item key={m.field}>{m.label}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {yesNoQuestions.map((q) => (
          <Stack gap={4} key={q.key}>
            <Text size="sm" fw={500} id={`rems-${q.key}`}>
              {q.label}
            </Text>
            <SegmentedControl
              size="md"
              aria-labelledby={`rems-${q.key}`}
              data={yesNoData}
              value={values[q.key]}
              onChange={(value) => setValues((v) => ({ ...v, [q.key]: value as YesNo }))}
            />
          </Stack>
        ))}
        <TextInput
          size="lg"
          label="Without the 2-hour minimum, when would the patient have been ready to leave? (minutes from the first device)"
          inputMode="numeric"
          value={values.readyToLeaveMinutes}
          error={errors.readyToLeaveMinutes}
          onChange={(e) => setValues((v) => ({ ...v, readyToLeaveMinutes: e.currentTarget.value }))}
          maw={520}
        />
        {textShown.length > 0 && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {textShown.map((q) => (
              <TextInput
                key={q.key}
                size="lg"
                label={q.label}
                value={values[q.key]}
                onChange={(e) => {
                  const text = e.currentTarget.value;
                  setValues((v) => ({ ...v, [q.key]: text }));
                }}
              />
            ))}
          </SimpleGrid>
        )}
        {errors.form && (
          <Alert color="gray" role="status">
            {errors.form}
          </Alert>
        )}
        {save.isError && (
          <Alert color="red" role="alert" title="Answers not saved">
            {problemMessage(save.error)}
          </Alert>
        )}
        <Group>
          <Button size="lg" type="submit" loading={save.isPending}>
            Save answers
          </Button>
          <Button size="lg" variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The answers only a clinician can give (enrolment, first treatment, the REMS evaluation question…). */
function CompleteFormDialog({ summary, onClose }: { summary: RemsFormSummary; onClose: () => void }) {
  const full = useRemsForm(summary.sessionId);
  return (
    <Modal
      opened
      onClose={onClose}
      title={`REMS form: ${summary.patient.displayName}, ${formatDate(summary.treatmentDate)}`}
      size="xl"
    >
      {full.isPending && <Loader aria-label="Loading the form" />}
      {full.isError && (
        <Alert color="red" role="alert" title="The form could not be loaded">
          {problemMessage(full.error)}
        </Alert>
      )}
      {full.data && (
        <AnswersForm
          sessionId={summary.sessionId}
          initial={answersFromForm(full.data.form)}
          missing={full.data.completeness.missing}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function FormsTable({
  forms,
  onMark,
  onComplete,
}: {
  forms: RemsFormSummary[];
  onMark: ((form: RemsFormSummary) => void) | null;
  onComplete: ((form: RemsFormSummary) => void) | null;
}) {
  const session = useSignedInSession();
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
            const standing = deadlineStanding(form.deadline);
            const what = `${form.patient.displayName}, ${formatDate(form.treatmentDate)}`;
            return (
              <Table.Tr key={form.sessionId} data-testid="rems-form-row">
                <Table.Td>
                  <Anchor component={Link} to={`/patients/${form.patient.id}`}>
                    {form.patient.displayName}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    MRN {form.patient.mrn}
                  </Text>
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
                        {form.status === 'in-progress' ? 'Session not ended yet; ' : ''}submit by{' '}
                        {formatDate(form.deadline.dueDate)}
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
                  <Group gap="xs">
                    <Button
                      component="a"
                      href={remsFormPdfUrl(form)}
                      target="_blank"
                      rel="noopener"
                      size="md"
                      variant="light"
                      leftSection={<IconFileTypePdf size={18} aria-hidden />}
                      aria-label={`PDF of the form: ${what}`}
                    >
                      PDF
                    </Button>
                    {onComplete && form.status !== 'submitted' && (
                      <Button
                        size="md"
                        variant={form.complete ? 'default' : 'filled'}
                        color={form.complete ? undefined : 'orange'}
                        onClick={() => onComplete(form)}
                        aria-label={`Complete the form: ${what}`}
                      >
                        {form.complete ? 'Review' : 'Complete'}
                      </Button>
                    )}
                    {onMark && form.status === 'due' && (
                      <Button size="md" onClick={() => onMark(form)} aria-label={`Mark submitted: ${what}`}>
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
  const [status, setStatus] = useState<RemsListStatus>('due');
  const forms = useRemsForms(status);
  const [marking, setMarking] = useState<RemsFormSummary | null>(null);
  const [completing, setCompleting] = useState<RemsFormSummary | null>(null);
  const items = status === 'submitted' ? (forms.data?.items ?? []) : orderForms(forms.data?.items ?? []);
  const overdue = status === 'due' ? items.filter((f) => f.deadline.overdue) : [];

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
          { value: 'overdue', label: 'Overdue' },
          { value: 'in-progress', label: 'Sessions in progress' },
          { value: 'submitted', label: 'Submitted' },
        ]}
        value={status}
        onChange={(value) => setStatus(value as RemsListStatus)}
        maw={720}
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
      {items.length > 0 && (
        <FormsTable
          forms={items}
          onMark={can('rems.submit') ? setMarking : null}
          onComplete={can('rems.submit') ? setCompleting : null}
        />
      )}
      {marking && <MarkSubmittedDialog form={marking} onClose={() => setMarking(null)} />}
      {completing && <CompleteFormDialog summary={completing} onClose={() => setCompleting(null)} />}
    </Stack>
  );
}
