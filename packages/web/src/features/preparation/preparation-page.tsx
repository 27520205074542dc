import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { isProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import type { Patient } from '../../api/types.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { ChartHeader } from '../patients/chart-header.tsx';
import { formatDate, formatInstant } from '../patients/patient-format.ts';
import { usePatientChart } from '../patients/patients.api.ts';
import {
  type PreparationContent,
  type PreparationNote,
  preparationApi,
  psychoeducationTopics,
  usePreparationNotes,
  useRefreshPreparation,
} from './preparation.api.ts';
import {
  emptyPreparationForm,
  formFromContent,
  newItem,
  type PreparationFormValues,
  psychoeducationLabels,
  psychoeducationShortLabels,
  toContent,
} from './preparation-form-model.ts';

function ItemList({
  label,
  singular,
  items,
  onChange,
}: {
  label: string;
  singular: string;
  items: { id: string; text: string }[];
  onChange: (items: { id: string; text: string }[]) => void;
}) {
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">
        {label}
      </Text>
      {items.map((item, index) => (
        <Group key={item.id} wrap="nowrap" align="flex-start">
          <TextInput
            style={{ flex: 1 }}
            aria-label={`${label}: ${singular} ${index + 1}`}
            value={item.text}
            onChange={(event) => {
              const text = event.currentTarget.value;
              onChange(items.map((i) => (i.id === item.id ? { ...i, text } : i)));
            }}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            size="lg"
            aria-label={`Remove ${singular} ${index + 1}`}
            onClick={() => onChange(items.filter((i) => i.id !== item.id))}
          >
            <IconTrash size={18} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => onChange([...items, newItem()])}
        >
          Add {singular}
        </Button>
      </Group>
    </Stack>
  );
}

const yesNoData = [
  { value: '', label: 'Not discussed' },
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];

function YesNo({
  label,
  value,
  onChange,
}: {
  label: string;
  value: 'yes' | 'no' | '';
  onChange: (value: 'yes' | 'no' | '') => void;
}) {
  const id = `yes-no-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        {label}
      </Text>
      <SegmentedControl
        aria-labelledby={id}
        data={yesNoData}
        value={value}
        onChange={(v) => onChange(v as 'yes' | 'no' | '')}
      />
    </Stack>
  );
}

/** The note form: a new note, a draft, or (for a signed note) the next amendment. */
function NoteEditor({
  patient,
  note,
  onDone,
  onCancel,
}: {
  patient: Patient;
  note: PreparationNote | null;
  onDone: (message: string) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState<PreparationFormValues>(() =>
    note ? formFromContent(note.content) : emptyPreparationForm(),
  );
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(note === null);
  const amending = note?.status === 'signed';
  // One id per save or signature attempt of this revision, so a retry is recognised by the server.
  const attempt = useRef({ revision: note?.revision ?? 0, id: clientId() });
  if (attempt.current.revision !== (note?.revision ?? 0))
    attempt.current = { revision: note?.revision ?? 0, id: clientId() };
  const set = <K extends keyof PreparationFormValues>(key: K, value: PreparationFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setDirty(true);
  };

  const act = async (work: (content: PreparationContent) => Promise<unknown>, message: string) => {
    setErrors({});
    setFailure(null);
    const built = toContent(values);
    if (built.problems) {
      setErrors(built.problems);
      setFailure('Some fields need attention.');
      return;
    }
    setBusy(true);
    try {
      await work(built.content);
      setDirty(false);
      onDone(message);
    } catch (error) {
      if (isProblem(error)) {
        const messages: Record<string, string> = {};
        for (const [path, text] of Object.entries(error.fieldMessages()))
          messages[path.replace(/^content\./, '')] = text;
        setErrors(messages);
      }
      setFailure(problemMessage(error));
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    act(
      (content) =>
        note
          ? preparationApi.save(patient.id, note.id, {
              revision: note.revision,
              content,
              ...(amending ? { amendmentReason: reason.trim(), saveId: attempt.current.id } : {}),
            })
          : preparationApi.create(patient.id, content),
      amending ? 'Amendment saved and signed.' : 'Draft saved.',
    );

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="note-form-heading">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Stack gap="md">
          <Title order={3} size="h3" id="note-form-heading">
            {note ? (amending ? 'Amend the signed note' : 'Draft preparation note') : 'New preparation note'}
          </Title>
          <DateInput
            label="Session date"
            placeholder="YYYY-MM-DD"
            valueFormat="YYYY-MM-DD"
            clearable
            maw={240}
            value={values.sessionDate || null}
            error={errors.sessionDate}
            onChange={(value) => set('sessionDate', value ?? '')}
          />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <ItemList
              label="Goals"
              singular="goal"
              items={values.goals}
              onChange={(goals) => set('goals', goals)}
            />
            <ItemList
              label="Intentions"
              singular="intention"
              items={values.intentions}
              onChange={(intentions) => set('intentions', intentions)}
            />
          </SimpleGrid>
          <Textarea
            label="Concerns"
            minRows={2}
            autosize
            value={values.concerns}
            error={errors.concerns}
            onChange={(event) => set('concerns', event.currentTarget.value)}
          />
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend>
              <Text fw={600} size="sm">
                Psychoeducation covered
              </Text>
            </legend>
            <Stack gap="xs" mt="xs">
              {psychoeducationTopics.map((topic) => (
                <Group key={topic} align="flex-start" wrap="wrap">
                  <Checkbox
                    style={{ flex: '1 1 320px' }}
                    label={psychoeducationLabels[topic]}
                    checked={values.psychoeducation[topic].covered}
                    onChange={(event) => {
                      const covered = event.currentTarget.checked;
                      set('psychoeducation', {
                        ...values.psychoeducation,
                        [topic]: { ...values.psychoeducation[topic], covered },
                      });
                    }}
                  />
                  <TextInput
                    style={{ flex: '1 1 240px' }}
                    aria-label={`Note on: ${psychoeducationLabels[topic]}`}
                    placeholder="Note (optional)"
                    value={values.psychoeducation[topic].note}
                    onChange={(event) => {
                      const text = event.currentTarget.value;
                      set('psychoeducation', {
                        ...values.psychoeducation,
                        [topic]: { ...values.psychoeducation[topic], note: text },
                      });
                    }}
                  />
                </Group>
              ))}
            </Stack>
          </fieldset>
          <Title order={4} size="h5">
            Set and setting
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Music"
              value={values.music}
              onChange={(event) => set('music', event.currentTarget.value)}
            />
            <TextInput
              label="Lighting"
              value={values.lighting}
              onChange={(event) => set('lighting', event.currentTarget.value)}
            />
            <YesNo label="Eye mask" value={values.eyeMask} onChange={(v) => set('eyeMask', v)} />
            <YesNo label="Blanket" value={values.blanket} onChange={(v) => set('blanket', v)} />
          </SimpleGrid>
          <TextInput
            label="Other preferences"
            value={values.other}
            onChange={(event) => set('other', event.currentTarget.value)}
          />
          <Title order={4} size="h5">
            Support person
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label="Support person’s name"
              value={values.supportName}
              error={errors['supportPerson.name']}
              onChange={(event) => set('supportName', event.currentTarget.value)}
            />
            <TextInput
              label="Support person’s relationship"
              value={values.supportRelationship}
              error={errors['supportPerson.relationship']}
              onChange={(event) => set('supportRelationship', event.currentTarget.value)}
            />
            <TextInput
              label="Support person’s phone"
              type="tel"
              value={values.supportPhone}
              error={errors['supportPerson.phone']}
              onChange={(event) => set('supportPhone', event.currentTarget.value)}
            />
          </SimpleGrid>
          <Title order={4} size="h5">
            Ride home
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label="Ride home: name"
              value={values.rideName}
              error={errors['rideHome.name']}
              onChange={(event) => set('rideName', event.currentTarget.value)}
            />
            <TextInput
              label="Ride home: phone"
              type="tel"
              value={values.ridePhone}
              error={errors['rideHome.phone']}
              onChange={(event) => set('ridePhone', event.currentTarget.value)}
            />
            <TextInput
              label="Ride home: relationship"
              value={values.rideRelationship}
              error={errors['rideHome.relationship']}
              onChange={(event) => set('rideRelationship', event.currentTarget.value)}
            />
          </SimpleGrid>
          {amending && (
            <Textarea
              label="Reason for the amendment"
              description="Saving a signed note adds a new signed version; the earlier ones are kept."
              required
              minRows={2}
              value={reason}
              error={errors.amendmentReason}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
          )}
          {failure && (
            <Alert color="red" role="alert" title="Not saved">
              {failure}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy} disabled={amending ? reason.trim().length < 3 : !dirty}>
              {amending ? 'Save amendment' : 'Save draft'}
            </Button>
            {note?.status === 'draft' && (
              <Button
                variant="filled"
                color="teal"
                loading={busy}
                disabled={dirty}
                onClick={() =>
                  act(
                    () =>
                      preparationApi.sign(patient.id, note.id, {
                        signatureId: attempt.current.id,
                        revision: note.revision,
                      }),
                    'Preparation note signed.',
                  )
                }
              >
                Sign preparation note
              </Button>
            )}
            {onCancel && (
              <Button variant="subtle" onClick={onCancel}>
                Cancel
              </Button>
            )}
            {note?.status === 'draft' && dirty && (
              <Text size="sm" c="dimmed">
                Save the draft before signing.
              </Text>
            )}
          </Group>
          {note?.status === 'draft' && (
            <Text size="xs" c="dimmed">
              Signing attests the note as yours; it is a progress note in the record (not a psychotherapy
              note).
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function ContentView({ content }: { content: PreparationContent }) {
  const s = content.setAndSetting;
  const yes = (v: boolean | null) => (v === null ? '—' : v ? 'yes' : 'no');
  return (
    <Stack gap={4}>
      {content.sessionDate && <Text size="sm">Session: {formatDate(content.sessionDate)}</Text>}
      <Text size="sm">Goals: {content.goals.map((g) => g.text).join('; ') || '—'}</Text>
      <Text size="sm">Intentions: {content.intentions.map((g) => g.text).join('; ') || '—'}</Text>
      <Text size="sm">Concerns: {content.concerns ?? '—'}</Text>
      <Text size="sm">
        Psychoeducation covered: {content.psychoeducation.filter((p) => p.covered).length} of{' '}
        {psychoeducationTopics.length}
        {content.psychoeducation.some((p) => !p.covered) &&
          ` (not yet: ${content.psychoeducation
            .filter((p) => !p.covered)
            .map((p) => psychoeducationShortLabels[p.topic])
            .join(', ')})`}
      </Text>
      <Text size="sm">
        {`Set and setting: music ${s.music ?? '—'}; eye mask ${yes(s.eyeMask)}; lighting ${s.lighting ?? '—'}; blanket ${yes(s.blanket)}${s.other ? `; ${s.other}` : ''}`}
      </Text>
      <Text size="sm">
        Support person:{' '}
        {content.supportPerson
          ? `${content.supportPerson.name} (${content.supportPerson.relationship})${content.supportPerson.phone ? `, ${content.supportPerson.phone}` : ''}`
          : '—'}
      </Text>
      <Text size="sm">
        Ride home:{' '}
        {content.rideHome
          ? `${content.rideHome.name} (${content.rideHome.relationship}), ${content.rideHome.phone}`
          : '—'}
      </Text>
    </Stack>
  );
}

function NoteCard({
  patient,
  note,
  onChanged,
}: {
  patient: Patient;
  note: PreparationNote;
  onChanged: (m: string) => void;
}) {
  const session = useSignedInSession();
  const can = usePermissions();
  const [editing, setEditing] = useState(false);
  const latest = note.versions.at(-1);
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="article"
      aria-label={`Preparation note of ${formatInstant(note.createdAt, session.clinic.timeZone)}`}
    >
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Badge color={note.status === 'signed' ? 'teal' : 'gray'} variant="light">
              {note.status === 'signed' ? `Signed, version ${latest?.version ?? 1}` : 'Draft'}
            </Badge>
            <Text size="sm" c="dimmed">
              Started {formatInstant(note.createdAt, session.clinic.timeZone)} by{' '}
              {note.createdBy?.displayName ?? '—'}
            </Text>
          </Group>
          {note.status === 'signed' && can('preparation.write') && !editing && (
            <Button size="xs" variant="light" onClick={() => setEditing(true)}>
              Amend note
            </Button>
          )}
        </Group>
        {note.status === 'draft' && can('preparation.write') ? (
          <NoteEditor key={note.revision} patient={patient} note={note} onDone={onChanged} />
        ) : editing ? (
          <NoteEditor
            key={note.revision}
            patient={patient}
            note={note}
            onCancel={() => setEditing(false)}
            onDone={(message) => {
              setEditing(false);
              onChanged(message);
            }}
          />
        ) : (
          <ContentView content={note.content} />
        )}
        {note.versions.length > 0 && (
          <Stack gap="xs" component="section" aria-label="Signed versions">
            <Title order={4} size="h5">
              Signed versions
            </Title>
            {[...note.versions].reverse().map((v) => (
              <details key={v.id}>
                <summary>
                  Version {v.version}, signed {formatInstant(v.signedAt, session.clinic.timeZone)} by{' '}
                  {v.signedBy?.displayName ?? '—'}
                  {v.amendmentReason ? ` — amended: ${v.amendmentReason}` : ''}
                </summary>
                <ContentView content={v.content} />
              </details>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function PreparationWorkspace({ patient }: { patient: Patient }) {
  const can = usePermissions();
  const notes = usePreparationNotes(patient.id);
  const refresh = useRefreshPreparation(patient.id);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const changed = async (message: string) => {
    setNotice(message);
    await refresh();
  };
  if (notes.isPending) return <Loader aria-label="Loading the preparation notes" />;
  if (notes.isError)
    return (
      <Alert color="red" role="alert" title="The preparation notes could not be loaded">
        {problemMessage(notes.error)}
      </Alert>
    );
  return (
    <Stack gap="md">
      {notice && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {can('preparation.write') &&
        (creating ? (
          <NoteEditor
            patient={patient}
            note={null}
            onCancel={() => setCreating(false)}
            onDone={async (message) => {
              setCreating(false);
              await changed(message);
            }}
          />
        ) : (
          <Group>
            <Button onClick={() => setCreating(true)}>New preparation note</Button>
          </Group>
        ))}
      {notes.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No preparation notes yet.
        </Text>
      ) : (
        notes.data.items.map((note) => (
          <NoteCard key={note.id} patient={patient} note={note} onChanged={(m) => void changed(m)} />
        ))
      )}
    </Stack>
  );
}

/** /patients/:patientId/preparation: the preparation session notes of one patient. */
export function PreparationPage() {
  useDocumentTitle('Preparation');
  const { patientId = '' } = useParams();
  const chart = usePatientChart(patientId);
  if (chart.isPending) return <Loader aria-label="Opening the chart" />;
  if (chart.isError)
    return (
      <Alert color="gray" role="alert" title="Chart not available">
        {isProblem(chart.error, 404)
          ? 'No chart was found for this patient in your clinic.'
          : problemMessage(chart.error)}
      </Alert>
    );
  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/patients/${encodeURIComponent(patientId)}`} size="sm">
        Back to the chart
      </Anchor>
      <ChartHeader patient={chart.data} />
      <Title order={2} size="h2">
        Preparation
      </Title>
      {chart.data.clinicalDataIncluded === false ? (
        <Alert color="gray" role="alert">
          Preparation notes are part of the clinical record, which your role does not include.
        </Alert>
      ) : (
        <PreparationWorkspace patient={chart.data} />
      )}
    </Stack>
  );
}
