import { Alert, Button, Group, Loader, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { type FormEvent, useRef, useState } from 'react';
import { problemMessage } from '../../../api/client.ts';
import { clientId } from '../../../api/client-id.ts';
import { usePermissions } from '../../auth/auth.api.ts';
import type { SessionView } from '../sessions.types.ts';
import { usePsychotherapyNotes, useWritePsychotherapyNote } from './flow.api.ts';
import { FlowPanel, fieldErrors, StepProblem, touch, useClinicTime } from './flow-ui.tsx';
import { orderNotes, type PsychotherapyNoteView, toNoteSubmission } from './psychotherapy-note-model.ts';

function NoteEditor({
  session,
  revises,
  onDone,
}: {
  session: SessionView;
  revises: PsychotherapyNoteView | null;
  onDone?: () => void;
}) {
  const write = useWritePsychotherapyNote(session.appointment.id);
  const [text, setText] = useState(revises?.current.body ?? '');
  const [local, setLocal] = useState<Record<string, string>>({});
  const attempt = useRef(clientId());
  const errors = fieldErrors(local, write.error);
  const label = revises ? 'Revised note' : 'New psychotherapy note';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { submission, errors: found } = toNoteSubmission({
      text,
      id: attempt.current,
      patientId: session.patient.id,
      appointmentId: session.appointment.id,
      revises: revises ? { id: revises.current.id, body: revises.current.body } : null,
    });
    setLocal(found);
    if (!submission) return;
    write.mutate(submission, {
      onSuccess: () => {
        attempt.current = clientId();
        setText('');
        onDone?.();
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={label}>
      <Stack gap="sm">
        <Textarea
          size={touch}
          label={label}
          autosize
          minRows={4}
          value={text}
          error={errors.body}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <StepProblem error={write.error} title="Note not saved" shownFields={['body']} />
        <Group>
          <Button size={touch} type="submit" loading={write.isPending}>
            {revises ? 'Save new version' : 'Save note'}
          </Button>
          {revises && onDone && (
            <Button size={touch} variant="default" onClick={onDone}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function NoteCard({ session, note }: { session: SessionView; note: PsychotherapyNoteView }) {
  const time = useClinicTime();
  const [revising, setRevising] = useState(false);
  return (
    <Stack gap="xs" component="article" aria-label={`Note written ${time(note.current.writtenAt)}`}>
      {revising ? (
        <NoteEditor session={session} revises={note} onDone={() => setRevising(false)} />
      ) : (
        <>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{note.current.body}</Text>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              Version {note.current.version}, {time(note.current.writtenAt)}
              {note.versions.length > 1 ? ` (${note.versions.length} versions kept)` : ''}
            </Text>
            <Button size="md" variant="subtle" onClick={() => setRevising(true)}>
              Revise
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}

/**
 * The therapist's own notes of this session: psychotherapy notes (45 CFR 164.501), stored apart from the
 * record and shown only to their author; nobody else's appear here, and they never enter the session view.
 */
export function PsychotherapyNotesPanel({ session }: { session: SessionView }) {
  const can = usePermissions();
  const allowed = can('psychotherapy-notes.write');
  const notes = usePsychotherapyNotes(session.patient.id, session.appointment.id, allowed);
  if (!allowed) return null;

  return (
    <FlowPanel id="psychotherapy-notes-panel" title="My psychotherapy notes">
      <Group gap="xs" wrap="nowrap">
        <IconLock size={20} aria-hidden />
        <Text size="sm">
          Only you can read these notes. They are kept apart from the session record and are not shared,
          exported or shown to the care team.
        </Text>
      </Group>
      <NoteEditor session={session} revises={null} />
      {notes.isPending && <Loader aria-label="Loading your notes" />}
      {notes.isError && (
        <Alert color="red" role="alert" title="Your notes could not be loaded">
          {problemMessage(notes.error)}
        </Alert>
      )}
      {notes.data && notes.data.items.length > 0 && (
        <Stack gap="md">
          <Title order={3} size="h4">
            Saved notes
          </Title>
          {orderNotes(notes.data.items).map((note) => (
            <NoteCard key={note.seriesId} session={session} note={note} />
          ))}
        </Stack>
      )}
    </FlowPanel>
  );
}
