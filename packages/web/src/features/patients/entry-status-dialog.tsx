import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { problemMessage } from '../../api/client.ts';

export interface PendingStatusChange {
  /** What the entry is, in words: "F33.1 Major depressive disorder, recurrent, moderate". */
  entry: string;
  title: string;
  explanation: string;
  confirmLabel: string;
  danger?: boolean;
  apply: (note: string | undefined) => Promise<unknown>;
}

interface EntryStatusDialogProps {
  change: PendingStatusChange | null;
  onClose: () => void;
}

/**
 * Confirms a change of status. Entries are never deleted: "entered in error" keeps the row for the record
 * and the audit trail while taking it out of clinical use.
 */
export function EntryStatusDialog({ change, onClose }: EntryStatusDialogProps) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function close() {
    setNote('');
    setError(null);
    onClose();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!change) return;
    setPending(true);
    setError(null);
    try {
      await change.apply(note.trim() || undefined);
      close();
    } catch (caught) {
      setError(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <Modal opened={change !== null} onClose={close} title={change?.title ?? ''} centered>
      {change && (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text fw={600}>{change.entry}</Text>
            <Text size="sm">{change.explanation}</Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Textarea
              label="Note (optional)"
              autosize
              minRows={2}
              maxLength={2000}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button
                type="submit"
                color={change.danger ? 'red' : undefined}
                loading={pending}
                data-autofocus
              >
                {change.confirmLabel}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
