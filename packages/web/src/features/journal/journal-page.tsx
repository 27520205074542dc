import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  Stack,
  Switch,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconLock, IconPencil, IconUsers } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { formatDate, formatInstant } from '../patients/patient-format.ts';
import {
  type JournalPrompt,
  type JournalPromptSession,
  journalApi,
  journalKeys,
  type MyJournalEntry,
  useJournalPrompts,
  useMyJournal,
} from './journal.api.ts';
import { sharingChange, sharingInWords, sharingSince, textChange } from './journal-model.ts';

/** Every tappable control of the portal is at least 44 px high (WCAG 2.5.5). */
const target = { mih: 44 } as const;

/** The switch with its state in words, the whole row a ≥ 44-px target. */
export function SharingSwitch({
  shared,
  onChange,
  disabled,
  id,
}: {
  shared: boolean;
  onChange: (shared: boolean) => void;
  disabled?: boolean;
  id: string;
}) {
  const words = sharingInWords(shared);
  return (
    <Stack gap={4}>
      <Switch
        id={id}
        size="lg"
        checked={shared}
        disabled={disabled}
        onChange={(event) => onChange(event.currentTarget.checked)}
        label="Share with my care team"
        aria-describedby={`${id}-state`}
        styles={{
          root: { minHeight: 44, display: 'flex', alignItems: 'center' },
          body: { alignItems: 'center' },
        }}
      />
      <Group gap={6} wrap="nowrap" id={`${id}-state`}>
        {shared ? <IconUsers size={18} aria-hidden /> : <IconLock size={18} aria-hidden />}
        <Text size="sm" fw={600} data-sharing={shared ? 'shared' : 'private'}>
          {words.label}
        </Text>
      </Group>
      <Text size="sm" c="dimmed">
        {words.detail}
      </Text>
    </Stack>
  );
}

/** The portal's journal: a new entry (free, or answering a prompt about a session), then my entries. */
export function PortalJournalPage() {
  useDocumentTitle('My journal');
  const journal = useMyJournal();
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1} size="h2">
          My journal
        </Title>
        <Text c="dimmed">
          Write freely, or answer a prompt about one of your sessions. Every entry is private unless you
          choose to share it with your care team, and you can change that at any time.
        </Text>
      </Stack>
      <NewEntry />
      <Title order={2} size="h3">
        My entries
      </Title>
      {journal.isPending && <Loader aria-label="Loading your journal" />}
      {journal.isError && (
        <Alert color="red" role="alert">
          {problemMessage(journal.error)}
        </Alert>
      )}
      {journal.data && journal.data.items.length === 0 && (
        <Text c="dimmed">No entries yet. What you write here stays yours.</Text>
      )}
      {journal.data && journal.data.items.length > 0 && (
        <Stack gap="md" component="ul" p={0} style={{ listStyle: 'none' }}>
          {journal.data.items.map((entry) => (
            <JournalEntryCard key={entry.id} entry={entry} />
          ))}
        </Stack>
      )}
      <Anchor component={Link} to="/portal">
        Back to your home page
      </Anchor>
    </Stack>
  );
}

function replaceEntry(entries: { items: MyJournalEntry[] } | undefined, saved: MyJournalEntry) {
  if (!entries) return entries;
  const others = entries.items.filter((e) => e.id !== saved.id);
  return {
    items: entries.items.some((e) => e.id === saved.id)
      ? entries.items.map((e) => (e.id === saved.id ? saved : e))
      : [saved, ...others],
  };
}

function PromptPicker({
  sessions,
  chosen,
  onChoose,
}: {
  sessions: JournalPromptSession[];
  chosen: { sessionId: string; prompt: JournalPrompt } | null;
  onChoose: (choice: { sessionId: string; prompt: JournalPrompt } | null) => void;
}) {
  // The most recent session first; the others one tap away, so a phone shows one session's prompts at a time.
  const [sessionId, setSessionId] = useState(chosen?.sessionId ?? sessions[0]?.sessionId ?? null);
  const session = sessions.find((s) => s.sessionId === sessionId) ?? sessions[0];
  if (!session)
    return <Text c="dimmed">Prompts appear here after your first session. You can always write freely.</Text>;
  return (
    <Stack gap="sm">
      {sessions.length > 1 && (
        <Group gap="xs" role="group" aria-label="Which session">
          {sessions.map((s) => (
            <Button
              key={s.sessionId}
              size="sm"
              {...target}
              variant={s.sessionId === session.sessionId ? 'filled' : 'default'}
              aria-pressed={s.sessionId === session.sessionId}
              onClick={() => {
                setSessionId(s.sessionId);
                if (chosen && chosen.sessionId !== s.sessionId) onChoose(null);
              }}
            >
              {formatDate(s.date)}
            </Button>
          ))}
        </Group>
      )}
      <Stack gap="xs" role="group" aria-label={`Prompts for your session of ${formatDate(session.date)}`}>
        <Text size="sm" fw={600}>
          Your session of {formatDate(session.date)}
          {session.intentions.length > 0 ? ` · intention: ${session.intentions.join('; ')}` : ''}
        </Text>
        {session.prompts.map((prompt) => {
          const selected =
            chosen?.sessionId === session.sessionId &&
            chosen.prompt.key === prompt.key &&
            chosen.prompt.text === prompt.text;
          return (
            <Button
              key={`${prompt.key}-${prompt.text}`}
              variant={selected ? 'filled' : 'default'}
              aria-pressed={selected}
              fullWidth
              h="auto"
              {...target}
              py="xs"
              styles={{
                inner: { justifyContent: 'flex-start' },
                label: { whiteSpace: 'normal', textAlign: 'left' },
              }}
              onClick={() => onChoose(selected ? null : { sessionId: session.sessionId, prompt })}
            >
              {prompt.text}
            </Button>
          );
        })}
      </Stack>
    </Stack>
  );
}

function NewEntry() {
  const queryClient = useQueryClient();
  const prompts = useJournalPrompts();
  const [mode, setMode] = useState<'free' | 'prompt'>('free');
  const [chosen, setChosen] = useState<{ sessionId: string; prompt: JournalPrompt } | null>(null);
  const [text, setText] = useState('');
  const [shared, setShared] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // One id per draft: a retry after a lost reply is recognised; a new draft gets a new id.
  const draftId = useRef(clientId());

  async function save() {
    setPending(true);
    setError(null);
    try {
      const entry = await journalApi.create({
        id: draftId.current,
        text,
        shared,
        ...(mode === 'prompt' && chosen
          ? { prompt: { sessionId: chosen.sessionId, key: chosen.prompt.key, text: chosen.prompt.text } }
          : {}),
      });
      queryClient.setQueryData(journalKeys.mine, (cached: { items: MyJournalEntry[] } | undefined) =>
        replaceEntry(cached, entry),
      );
      await queryClient.invalidateQueries({ queryKey: journalKeys.mine });
      draftId.current = clientId();
      setText('');
      setShared(false);
      setChosen(null);
      setSaved(entry.shared ? 'Saved and shared with your care team.' : 'Saved. Only you can see it.');
    } catch (caught) {
      setError(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  const ready = text.trim().length > 0 && (mode === 'free' || chosen !== null);
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="new-entry-title">
      <Stack gap="md">
        <Title order={2} size="h3" id="new-entry-title">
          New entry
        </Title>
        <Group gap="sm" role="group" aria-label="Kind of entry" grow>
          <Button
            variant={mode === 'free' ? 'filled' : 'default'}
            aria-pressed={mode === 'free'}
            {...target}
            onClick={() => setMode('free')}
          >
            Write freely
          </Button>
          <Button
            variant={mode === 'prompt' ? 'filled' : 'default'}
            aria-pressed={mode === 'prompt'}
            {...target}
            onClick={() => setMode('prompt')}
          >
            Answer a prompt
          </Button>
        </Group>
        {mode === 'prompt' && prompts.isPending && <Loader size="sm" aria-label="Loading prompts" />}
        {mode === 'prompt' && prompts.isError && (
          <Alert color="red" role="alert">
            {problemMessage(prompts.error)}
          </Alert>
        )}
        {mode === 'prompt' && prompts.data && (
          <PromptPicker sessions={prompts.data.sessions} chosen={chosen} onChoose={setChosen} />
        )}
        <Textarea
          label={mode === 'prompt' && chosen ? chosen.prompt.text : 'Your entry'}
          autosize
          minRows={4}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setSaved(null);
          }}
        />
        <SharingSwitch id="new-entry-sharing" shared={shared} onChange={setShared} />
        {error && (
          <Alert color="red" role="alert" title="Your entry was not saved">
            {error}
          </Alert>
        )}
        {saved && (
          <Text role="status" c="green.8">
            {saved}
          </Text>
        )}
        <Button size="lg" loading={pending} disabled={!ready} onClick={save}>
          Save entry
        </Button>
      </Stack>
    </Card>
  );
}

export function JournalEntryCard({ entry }: { entry: MyJournalEntry }) {
  const session = useSignedInSession();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(entry.text);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The switch moves at once to what the patient chose; it moves back if the change is not saved.
  const [choosing, setChoosing] = useState<boolean | null>(null);

  async function send(body: { id: string; amendsId: string; text?: string; shared?: boolean }) {
    setPending(true);
    setError(null);
    try {
      const saved = await journalApi.revise(entry.id, body);
      queryClient.setQueryData(journalKeys.mine, (cached: { items: MyJournalEntry[] } | undefined) =>
        replaceEntry(cached, saved),
      );
      await queryClient.invalidateQueries({ queryKey: journalKeys.mine });
      return true;
    } catch (caught) {
      setError(problemMessage(caught));
      return false;
    } finally {
      setPending(false);
      setChoosing(null);
    }
  }

  const since = sharingSince(entry);
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="li"
      aria-label={`Journal entry of ${formatDate(entry.createdAt.slice(0, 10))}`}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Written {formatInstant(entry.createdAt, session.clinic.timeZone)}
          {entry.version > 1 ? ` · changed ${formatInstant(entry.updatedAt, session.clinic.timeZone)}` : ''}
          {entry.sessionDate ? ` · about your session of ${formatDate(entry.sessionDate)}` : ''}
        </Text>
        {entry.prompt && (
          <Text size="sm" fs="italic">
            {entry.prompt.text}
          </Text>
        )}
        {editing ? (
          <Stack gap="sm">
            <Textarea
              label="Change your entry"
              autosize
              minRows={3}
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
            />
            <Group>
              <Button
                {...target}
                loading={pending}
                onClick={async () => {
                  const change = textChange(entry, text, clientId());
                  if (!change) {
                    setEditing(false);
                    return;
                  }
                  if (await send(change)) setEditing(false);
                }}
              >
                Save changes
              </Button>
              <Button
                variant="default"
                {...target}
                onClick={() => {
                  setText(entry.text);
                  setEditing(false);
                }}
              >
                Cancel
              </Button>
            </Group>
          </Stack>
        ) : (
          <Text style={{ whiteSpace: 'pre-wrap' }}>{entry.text}</Text>
        )}
        <SharingSwitch
          id={`sharing-${entry.id}`}
          shared={choosing ?? entry.shared}
          disabled={pending}
          onChange={(shared) => {
            setChoosing(shared);
            void send(sharingChange(entry, shared, clientId()));
          }}
        />
        {since && entry.history.length > 1 && (
          <Text size="xs" c="dimmed">
            {entry.shared ? 'Shared' : 'Private'} since {formatInstant(since, session.clinic.timeZone)}
          </Text>
        )}
        {error && (
          <Alert color="red" role="alert" title="Your change was not saved">
            {error}
          </Alert>
        )}
        {!editing && (
          <Group>
            <Button
              variant="subtle"
              leftSection={<IconPencil size={18} aria-hidden />}
              {...target}
              onClick={() => {
                setText(entry.text);
                setEditing(true);
              }}
            >
              Edit
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
