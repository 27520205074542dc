import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiProblem, problemMessage } from '../../api/client.ts';

interface AddEntryDialogProps {
  title: string;
  submitLabel: string;
  opened: boolean;
  onClose: () => void;
  /** Returns field messages to show when the browser can already tell the input is incomplete. */
  validate: () => Record<string, string>;
  save: () => Promise<unknown>;
  onFieldErrors: (errors: Record<string, string>) => void;
  children: ReactNode;
}

/** The frame shared by "add a diagnosis / medication / allergy": a modal form with server errors mapped. */
export function AddEntryDialog({
  title,
  submitLabel,
  opened,
  onClose,
  validate,
  save,
  onFieldErrors,
  children,
}: AddEntryDialogProps) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function close() {
    setError(null);
    onFieldErrors({});
    onClose();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const problems = validate();
    onFieldErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setPending(true);
    try {
      await save();
      close();
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) onFieldErrors(caught.fieldMessages());
      setError(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={title} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
