import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  Loader,
  Modal,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPencil } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiProblem, isProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import { type IntakeView, useIntakeVersions, usePatientIntake, useSaveIntakeAsStaff } from './intake.api.ts';
import { IntakeSectionFields } from './intake-fields.tsx';
import { answerErrors, firstSectionWithError, wholeDraftToSave } from './intake-form-model.ts';
import {
  answerLabels,
  type Draft,
  describePath,
  type IntakeSection,
  intakeSections,
  sectionOfPath,
  sectionTitles,
} from './intake-questions.ts';
import { IntakeAnswersSummary } from './intake-summary.tsx';

const statusLabels = { 'not-started': 'Not started', draft: 'Draft', submitted: 'Submitted' } as const;
const statusColors = { 'not-started': 'gray', draft: 'yellow', submitted: 'green' } as const;
const kindLabels = { draft: 'Draft saved', submission: 'Submitted', correction: 'Corrected' } as const;

/** The staff form: complete the intake with the patient, or correct a submitted one with a reason. */
function StaffIntakeEditor({
  patientId,
  view,
  onClose,
}: {
  patientId: string;
  view: IntakeView;
  onClose: () => void;
}) {
  const save = useSaveIntakeAsStaff(patientId);
  const narrow = useMediaQuery('(max-width: 48em)');
  const submitted = view.status === 'submitted';
  const [draft, setDraft] = useState<Draft>(view.answers);
  const [section, setSection] = useState<IntakeSection>(
    view.missing.length > 0 ? (sectionOfPath(view.missing[0]!.path) ?? 'medical') : 'medical',
  );
  const [reason, setReason] = useState('');
  const [submitForPatient, setSubmitForPatient] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | null>(null);

  async function confirm() {
    setProblem(null);
    setReasonError(undefined);
    if (submitted && reason.trim().length === 0) {
      setReasonError('Say why the submitted answers are being corrected.');
      return;
    }
    try {
      await save.mutateAsync({
        version: view.version,
        answers: wholeDraftToSave(draft),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(!submitted && submitForPatient ? { submit: true } : {}),
        clientSaveId: clientId(),
      });
      notifications.show({
        color: 'green',
        message: submitted ? 'Correction saved.' : submitForPatient ? 'Intake submitted.' : 'Intake saved.',
      });
      onClose();
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) {
        const messages = caught.fieldMessages();
        const byAnswer = answerErrors(messages);
        setErrors(byAnswer);
        setReasonError(messages.reason);
        const first = firstSectionWithError(byAnswer);
        if (first) setSection(first);
      }
      setProblem(
        isProblem(caught, 409)
          ? 'Someone else changed this intake since you opened it. Close this form, reload, and make your change again.'
          : problemMessage(caught),
      );
    }
  }

  return (
    <Modal
      opened
      onClose={onClose}
      title={submitted ? 'Correct the submitted intake' : 'Complete the intake with the patient'}
      size="xl"
      fullScreen={narrow}
    >
      <Stack gap="md">
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Text size="sm" c="dimmed">
          {submitted
            ? 'The patient submitted this intake. A correction is kept as a new version with your name and the reason; the earlier answers stay in the history.'
            : 'Your changes are saved as a new version under your name. The patient sees them in the portal.'}
        </Text>
        <Tabs
          value={section}
          onChange={(value) => value && setSection(value as IntakeSection)}
          keepMounted={false}
        >
          <Tabs.List aria-label="Intake sections">
            {intakeSections.map((s) => (
              <Tabs.Tab
                key={s}
                value={s}
                color={Object.keys(errors).some((p) => sectionOfPath(p) === s) ? 'red' : undefined}
              >
                {sectionTitles[s]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {intakeSections.map((s) => (
            <Tabs.Panel key={s} value={s} pt="md">
              <IntakeSectionFields
                section={s}
                draft={draft}
                onChange={setDraft}
                errors={errors}
                size="sm"
                headingLevel={3}
              />
            </Tabs.Panel>
          ))}
        </Tabs>
        <Textarea
          label={submitted ? 'Reason for the correction' : 'Note (optional)'}
          required={submitted}
          autosize
          minRows={2}
          maxLength={1000}
          value={reason}
          error={reasonError}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        {!submitted && (
          <Checkbox
            label="Submit the intake on the patient’s behalf (all answers must be complete)"
            checked={submitForPatient}
            onChange={(event) => setSubmitForPatient(event.currentTarget.checked)}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={confirm} loading={save.isPending}>
            {submitted ? 'Save correction' : submitForPatient ? 'Save and submit' : 'Save intake'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function VersionHistory({ patientId }: { patientId: string }) {
  const session = useSignedInSession();
  const versions = useIntakeVersions(patientId);
  if (versions.isPending) return <Loader size="sm" aria-label="Loading the intake history" />;
  if (versions.isError) {
    return (
      <Alert color="red" role="alert">
        {problemMessage(versions.error)}
      </Alert>
    );
  }
  if (versions.data.items.length === 0) return <Text c="dimmed">No versions yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs">
        <Table.Caption>Every save of the intake, newest first</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">What</Table.Th>
            <Table.Th scope="col">Changed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.data.items.map((v) => {
            const questions = [...new Set(v.changedPaths.map(describePath))];
            return (
              <Table.Tr key={v.version}>
                <Table.Td>{v.version}</Table.Td>
                <Table.Td>{formatInstant(v.savedAt, session.clinic.timeZone)}</Table.Td>
                <Table.Td>
                  <Stack gap={2} align="flex-start">
                    <Text size="sm">{v.savedBy.displayName}</Text>
                    <Badge size="xs" variant="light" color={v.savedBy.kind === 'staff' ? 'grape' : 'blue'}>
                      {v.savedBy.kind === 'staff' ? 'Staff' : 'Patient'}
                    </Badge>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Text size="sm">{kindLabels[v.kind]}</Text>
                    {v.reason && (
                      <Text size="xs" c="dimmed">
                        Reason: {v.reason}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {questions.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      No answers changed
                    </Text>
                  ) : (
                    <Text size="sm">
                      {questions.slice(0, 4).join('; ')}
                      {questions.length > 4 ? `; and ${questions.length - 4} more` : ''}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The chart's intake tab: answers by section, contraindication answers highlighted, history, edit. */
export function PatientIntakeSection({ patientId }: { patientId: string }) {
  const session = useSignedInSession();
  const can = usePermissions();
  const intake = usePatientIntake(patientId);
  const [editing, setEditing] = useState(false);

  if (intake.isPending) return <Loader aria-label="Loading the intake" />;
  if (intake.isError) {
    return (
      <Alert color="red" role="alert" title="The intake could not be loaded">
        {problemMessage(intake.error)}
      </Alert>
    );
  }
  const view = intake.data;
  const zone = session.clinic.timeZone;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2} size="h4">
              Intake
            </Title>
            <Badge color={statusColors[view.status]} variant="light">
              {statusLabels[view.status]}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {view.status === 'not-started'
              ? 'The patient has not started the intake.'
              : [
                  `Version ${view.version}`,
                  view.submittedAt ? `submitted ${formatInstant(view.submittedAt, zone)}` : null,
                  view.updatedAt && view.lastSavedBy
                    ? `last saved ${formatInstant(view.updatedAt, zone)} by ${view.lastSavedBy.displayName}`
                    : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
          </Text>
        </Stack>
        {can('patient.clinical.update') && (
          <Button leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
            {view.status === 'submitted' ? 'Correct intake' : 'Edit intake'}
          </Button>
        )}
      </Group>
      {view.flagged.length > 0 && (
        <Alert
          color="red"
          icon={<IconAlertTriangle aria-hidden />}
          title="Answers to review before the eligibility decision"
        >
          <List size="sm">
            {view.flagged.map((f) => (
              <List.Item key={f.path}>
                {describePath(f.path)} — <strong>{answerLabels[f.answer]}</strong> ({f.reference})
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {view.status === 'draft' && view.missing.length > 0 && (
        <Text size="sm">
          {view.missing.length} answer{view.missing.length === 1 ? '' : 's'} still missing before it can be
          submitted.
        </Text>
      )}
      {view.status !== 'not-started' && (
        <IntakeAnswersSummary answers={view.answers} flagged={view.flagged} />
      )}
      <Stack gap="xs" component="section" aria-labelledby="intake-history-title">
        <Title order={3} size="h5" id="intake-history-title">
          Version history
        </Title>
        <VersionHistory patientId={patientId} />
      </Stack>
      {editing && <StaffIntakeEditor patientId={patientId} view={view} onClose={() => setEditing(false)} />}
    </Stack>
  );
}
