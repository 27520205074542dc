import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  List,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock, IconPlus, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { ApiProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { formatDate } from '../patients/patient-format.ts';
import {
  type IntegrationNote,
  integrationApi,
  type PatientAdherenceItem,
  useOwnPsychotherapyNotes,
  useRefreshIntegration,
} from './integration.api.ts';
import {
  adherenceStateLabels,
  contentOf,
  emptyIntegrationForm,
  formFromNote,
  type IntegrationFormValues,
  techniqueOptions,
  validateIntegrationForm,
} from './integration-form-model.ts';

type Errors = Partial<Record<keyof IntegrationFormValues | 'form', string>>;

const textFields: { key: keyof IntegrationFormValues; label: string; description?: string }[] = [
  { key: 'themes', label: 'Themes', description: 'What the session was about' },
  { key: 'insights', label: 'Insights' },
  { key: 'emotions', label: 'Emotions' },
  { key: 'bodyExperience', label: 'Body experience' },
];

/** The psychotherapy box of a correction: the author's own earlier words, read back only for them. */
function OwnPsychotherapyWords({ patientId, seriesId }: { patientId: string; seriesId: string }) {
  const own = useOwnPsychotherapyNotes(patientId, true);
  const note = own.data?.items.find((n) => n.seriesId === seriesId);
  if (!note) return null;
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="own-psychotherapy-words">
      <strong>Your notes so far:</strong> {note.current.body}
    </Text>
  );
}

export function IntegrationNoteForm({
  patientId,
  sessions,
  today,
  note,
  initialSessionId,
  onDone,
  onCancel,
}: {
  patientId: string;
  /** The patient's completed dosing sessions (with their intentions), newest first. */
  sessions: PatientAdherenceItem[];
  today: string;
  /** Present: the form corrects this note (a new version). */
  note?: IntegrationNote;
  initialSessionId?: string;
  onDone: (note: IntegrationNote) => void;
  onCancel: () => void;
}) {
  const mode = note ? 'amend' : 'create';
  const refresh = useRefreshIntegration(patientId);
  const [values, setValues] = useState<IntegrationFormValues>(() =>
    note ? formFromNote(note) : emptyIntegrationForm(today, initialSessionId ?? sessions[0]?.sessionId ?? ''),
  );
  // One id per note being written: a retry after a lost answer finds the version already saved.
  const [saveId, setSaveId] = useState(clientId);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const set = <K extends keyof IntegrationFormValues>(key: K, value: IntegrationFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const session = sessions.find((s) => s.sessionId === values.dosingSessionId);
  const intentions = note ? note.current.content.sessionIntentions : (session?.intentions ?? []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validateIntegrationForm(values, mode, today);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setPending(true);
    const psychotherapyNotes = values.psychotherapyNotes.trim() || undefined;
    try {
      const saved = note
        ? await integrationApi.amend(patientId, note.id, {
            id: saveId,
            amendsId: note.current.id,
            reason: values.reason.trim(),
            heldOn: values.heldOn,
            content: contentOf(values),
            ...(psychotherapyNotes ? { psychotherapyNotes } : {}),
          })
        : await integrationApi.create(patientId, {
            id: saveId,
            dosingSessionId: values.dosingSessionId,
            heldOn: values.heldOn,
            content: contentOf(values),
            ...(psychotherapyNotes ? { psychotherapyNotes } : {}),
          });
      notifications.show({ color: 'green', message: note ? 'Correction saved' : 'Integration note saved' });
      setSaveId(clientId());
      await refresh();
      onDone(saved);
    } catch (caught) {
      const next: Errors = { form: problemMessage(caught) };
      if (caught instanceof ApiProblem && caught.status === 400) {
        for (const [path, message] of Object.entries(caught.fieldMessages())) {
          const key = path.replace(/^content\./, '').split('.')[0] as keyof IntegrationFormValues;
          next[key] ??= message;
        }
      }
      if (caught instanceof ApiProblem && caught.status === 409) {
        // On a create, the id is taken by this very note saved before the last edit (its answer was lost on
        // the way back): saving again under a fresh id would file the same session's note twice. The id is
        // kept, the list refreshed, and the therapist corrects the saved note instead.
        if (!note)
          next.form =
            'This note was already saved, before your last change (the connection may have dropped). It is now in the list: open it and choose Correct to change what it says.';
        await refresh();
      }
      setErrors(next);
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={note ? 'Correct the integration note' : 'Integration note'}
    >
      <Stack gap="md">
        {errors.form && (
          <Alert color="red" role="alert">
            {errors.form}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Dosing session it follows"
            required
            disabled={Boolean(note)}
            data={sessions.map((s) => ({
              value: s.sessionId,
              label: `${formatDate(s.dosedOn)} (${adherenceStateLabels[s.state].toLowerCase()})`,
            }))}
            value={values.dosingSessionId || null}
            onChange={(value) => set('dosingSessionId', value ?? '')}
            error={errors.dosingSessionId}
            nothingFoundMessage="No completed dosing session"
          />
          <TextInput
            type="date"
            label="Day of the integration session"
            required
            max={today}
            value={values.heldOn}
            onChange={(event) => set('heldOn', event.currentTarget.value)}
            error={errors.heldOn}
          />
        </SimpleGrid>

        <Paper withBorder p="sm" radius="md">
          <Text size="sm" fw={600}>
            The session’s intention
          </Text>
          {intentions.length > 0 ? (
            <List size="sm">
              {intentions.map((intention) => (
                <List.Item key={intention}>{intention}</List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm" c="dimmed">
              The plan names no intention for this session.
            </Text>
          )}
        </Paper>
        <Textarea
          label="How the intention was met"
          autosize
          minRows={2}
          value={values.intentionReflection}
          onChange={(event) => set('intentionReflection', event.currentTarget.value)}
          error={errors.intentionReflection}
        />

        {textFields.map((field) => (
          <Textarea
            key={field.key}
            label={field.label}
            description={field.description}
            autosize
            minRows={2}
            value={values[field.key] as string}
            onChange={(event) => set(field.key, event.currentTarget.value)}
            error={errors[field.key]}
          />
        ))}

        <Checkbox.Group
          label="Techniques used"
          value={values.techniques}
          onChange={(value) => set('techniques', value as IntegrationFormValues['techniques'])}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
            {techniqueOptions.map((option) => (
              <Checkbox key={option.value} value={option.value} label={option.label} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        {values.techniques.includes('other') && (
          <TextInput
            label="Other technique"
            required
            value={values.techniquesOther}
            onChange={(event) => set('techniquesOther', event.currentTarget.value)}
            error={errors.techniquesOther}
          />
        )}

        <Stack gap="xs">
          <Text size="sm" fw={500}>
            Action items and homework
          </Text>
          {values.actionItems.map((item, index) => (
            <Group key={`item-${index.toString()}`} gap="xs" wrap="nowrap">
              <TextInput
                aria-label={`Action item ${index + 1}`}
                style={{ flex: 1 }}
                value={item}
                onChange={(event) => {
                  const text = event.currentTarget.value;
                  set(
                    'actionItems',
                    values.actionItems.map((v, i) => (i === index ? text : v)),
                  );
                }}
              />
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                aria-label={`Remove action item ${index + 1}`}
                onClick={() =>
                  set(
                    'actionItems',
                    values.actionItems.filter((_, i) => i !== index),
                  )
                }
              >
                <IconTrash size={18} aria-hidden />
              </ActionIcon>
            </Group>
          ))}
          <Button
            variant="subtle"
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => set('actionItems', [...values.actionItems, ''])}
            style={{ alignSelf: 'flex-start' }}
          >
            Add an action item
          </Button>
        </Stack>

        <Textarea
          label="Next focus"
          autosize
          minRows={2}
          value={values.nextFocus}
          onChange={(event) => set('nextFocus', event.currentTarget.value)}
          error={errors.nextFocus}
        />

        <Paper
          withBorder
          p="md"
          radius="md"
          bg="var(--mantine-color-gray-0)"
          style={{ borderStyle: 'dashed' }}
          component="section"
          aria-labelledby="psychotherapy-notes-heading"
        >
          <Stack gap="xs">
            <Group gap="xs">
              <IconLock size={18} aria-hidden />
              <Title order={4} id="psychotherapy-notes-heading">
                Psychotherapy notes — only you can read these
              </Title>
            </Group>
            <Text size="sm" c="dimmed">
              Kept apart from the chart (HIPAA psychotherapy notes): nobody else, whatever their role, reads
              them, and they appear in no export. The record shows only that such notes exist. Put progress,
              symptoms and the plan in the fields above.
            </Text>
            {note?.ownPsychotherapyNoteSeriesId && (
              <OwnPsychotherapyWords patientId={patientId} seriesId={note.ownPsychotherapyNoteSeriesId} />
            )}
            <Textarea
              label={
                note?.ownPsychotherapyNoteSeriesId ? 'Revise your psychotherapy notes' : 'Psychotherapy notes'
              }
              description={note ? 'Leave empty to keep them as they are.' : undefined}
              autosize
              minRows={3}
              value={values.psychotherapyNotes}
              onChange={(event) => set('psychotherapyNotes', event.currentTarget.value)}
              error={errors.psychotherapyNotes}
            />
          </Stack>
        </Paper>

        {note && (
          <Textarea
            label="Reason for the correction"
            required
            autosize
            minRows={2}
            value={values.reason}
            onChange={(event) => set('reason', event.currentTarget.value)}
            error={errors.reason}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {note ? 'Save the correction' : 'Save the note'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
