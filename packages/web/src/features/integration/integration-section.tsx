import { integrationTechniqueLabels } from '@kapstone/clinical';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  List,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatDate, formatInstant } from '../patients/patient-format.ts';
import {
  type IntegrationNote,
  type IntegrationNoteVersion,
  type PatientAdherenceItem,
  useIntegrationNotes,
  usePatientAdherence,
} from './integration.api.ts';
import { adherenceStateColors, adherenceStateLabels, describeAdherence } from './integration-form-model.ts';
import { IntegrationNoteForm } from './integration-note-form.tsx';

function Field({ label, text }: { label: string; text: string | null }) {
  if (!text) return null;
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {text}
      </Text>
    </Stack>
  );
}

export function VersionContent({ version }: { version: IntegrationNoteVersion }) {
  const c = version.content;
  const techniques = c.techniques.map((t) =>
    t === 'other' && c.techniquesOther ? `Other: ${c.techniquesOther}` : integrationTechniqueLabels[t],
  );
  return (
    <Stack gap="xs">
      {c.sessionIntentions.length > 0 && (
        <Field label="The session’s intention" text={c.sessionIntentions.join('; ')} />
      )}
      <Field label="How the intention was met" text={c.intentionReflection} />
      <Field label="Themes" text={c.themes} />
      <Field label="Insights" text={c.insights} />
      <Field label="Emotions" text={c.emotions} />
      <Field label="Body experience" text={c.bodyExperience} />
      {techniques.length > 0 && <Field label="Techniques used" text={techniques.join(', ')} />}
      {c.actionItems.length > 0 && (
        <Stack gap={0}>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Action items and homework
          </Text>
          <List size="sm">
            {c.actionItems.map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
        </Stack>
      )}
      <Field label="Next focus" text={c.nextFocus} />
    </Stack>
  );
}

function NoteCard({ note, onCorrect }: { note: IntegrationNote; onCorrect?: () => void }) {
  const session = useSignedInSession();
  const [showHistory, setShowHistory] = useState(false);
  const older = note.versions.slice(1);
  return (
    <Card withBorder radius="md" padding="md" component="li" data-testid="integration-note">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Text fw={600}>Integration on {formatDate(note.current.heldOn)}</Text>
            <Text size="sm" c="dimmed">
              After the dose of {formatDate(note.dosingSession.dosedOn)} ·{' '}
              {note.current.writtenBy?.displayName ?? '—'},{' '}
              {formatInstant(note.current.writtenAt, session.clinic.timeZone)}
              {note.current.version > 1 && ` · version ${note.current.version}`}
            </Text>
          </Stack>
          <Group gap="xs">
            {note.hasPsychotherapyNote && (
              <Badge variant="light" color="grape" leftSection={<IconLock size={12} aria-hidden />}>
                {note.ownPsychotherapyNoteSeriesId
                  ? 'Your psychotherapy notes'
                  : 'Psychotherapy notes (author only)'}
              </Badge>
            )}
            {onCorrect && (
              <Button size="xs" variant="light" onClick={onCorrect}>
                Correct
              </Button>
            )}
          </Group>
        </Group>
        <VersionContent version={note.current} />
        {note.current.amendmentReason && (
          <Text size="sm" c="dimmed">
            Corrected: {note.current.amendmentReason}
          </Text>
        )}
        {older.length > 0 && (
          <Stack gap="xs">
            <Button
              variant="subtle"
              size="xs"
              style={{ alignSelf: 'flex-start' }}
              onClick={() => setShowHistory((v) => !v)}
              aria-expanded={showHistory}
            >
              {showHistory ? 'Hide earlier versions' : `Earlier versions (${older.length})`}
            </Button>
            {showHistory &&
              older.map((version) => (
                <Card key={version.id} withBorder padding="sm" bg="var(--mantine-color-gray-0)">
                  <Text size="sm" fw={600} mb={4}>
                    Version {version.version}, {formatInstant(version.writtenAt, session.clinic.timeZone)} by{' '}
                    {version.writtenBy?.displayName ?? '—'}
                    {version.amendmentReason && ` (corrected: ${version.amendmentReason})`}
                  </Text>
                  <VersionContent version={version} />
                </Card>
              ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

export function AdherenceTable({
  items,
  onWrite,
}: {
  items: PatientAdherenceItem[];
  onWrite?: (sessionId: string) => void;
}) {
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No completed dosing session that expects integration yet.
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Dose</Table.Th>
            <Table.Th>Integration</Table.Th>
            <Table.Th>Details</Table.Th>
            {onWrite && <Table.Th aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.sessionId}>
              <Table.Td>{formatDate(item.dosedOn)}</Table.Td>
              <Table.Td>
                <Badge color={adherenceStateColors[item.state]} variant="light">
                  {adherenceStateLabels[item.state]}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{describeAdherence(item)}</Text>
              </Table.Td>
              {onWrite && (
                <Table.Td>
                  {!item.integration && (
                    <Button size="xs" variant="light" onClick={() => onWrite(item.sessionId)}>
                      Write note
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

type Editing = { kind: 'create'; sessionId?: string } | { kind: 'amend'; note: IntegrationNote } | null;

/** The chart's Integration section: each dose's integration adherence and the notes with their versions. */
export function IntegrationSection({ patientId }: { patientId: string }) {
  const can = usePermissions();
  const [searchParams] = useSearchParams();
  const mayWrite = can('integration.write');
  const fromSession = searchParams.get('session');
  const [editing, setEditing] = useState<Editing>(
    mayWrite && fromSession ? { kind: 'create', sessionId: fromSession } : null,
  );
  const notes = useIntegrationNotes(patientId);
  const adherence = usePatientAdherence(patientId);

  if (notes.isPending || adherence.isPending) return <Loader aria-label="Loading integration" />;
  if (notes.isError || adherence.isError)
    return (
      <Alert color="red" role="alert" title="Integration could not be loaded">
        {problemMessage(notes.error ?? adherence.error)}
      </Alert>
    );
  const sessions = adherence.data.items;

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3}>Integration after each dose</Title>
          {mayWrite && sessions.length > 0 && (
            <Button onClick={() => setEditing({ kind: 'create' })}>Write an integration note</Button>
          )}
        </Group>
        <AdherenceTable
          items={sessions}
          {...(mayWrite ? { onWrite: (sessionId: string) => setEditing({ kind: 'create', sessionId }) } : {})}
        />
      </Stack>
      <Stack gap="xs">
        <Title order={3}>Integration notes</Title>
        {notes.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No integration note yet.
          </Text>
        ) : (
          <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
            {notes.data.items.map((note) => (
              <NoteCard
                key={note.id}
                note={note}
                {...(mayWrite ? { onCorrect: () => setEditing({ kind: 'amend', note }) } : {})}
              />
            ))}
          </Stack>
        )}
      </Stack>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.kind === 'amend' ? 'Correct the integration note' : 'Integration note'}
        size="xl"
        fullScreen={false}
      >
        {editing && (
          <IntegrationNoteForm
            patientId={patientId}
            sessions={sessions}
            today={adherence.data.today}
            {...(editing.kind === 'amend' ? { note: editing.note } : {})}
            {...(editing.kind === 'create' && editing.sessionId
              ? { initialSessionId: editing.sessionId }
              : {})}
            onDone={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
        )}
      </Modal>
    </Stack>
  );
}
