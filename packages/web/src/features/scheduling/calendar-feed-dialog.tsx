import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { problemMessage } from '../../api/client.ts';
import { formatInstant } from '../patients/patient-format.ts';
import { useCalendarFeed, useCreateCalendarFeed, useRevokeCalendarFeed } from './scheduling.api.ts';

/**
 * The signed-in staff member's own iCalendar feed: create, rotate (the old address stops working) or
 * revoke. The address is shown once, when made; the server keeps only its hash.
 */
export function CalendarFeedDialog({
  opened,
  onClose,
  timeZone,
}: {
  opened: boolean;
  onClose: () => void;
  timeZone: string;
}) {
  const status = useCalendarFeed();
  const create = useCreateCalendarFeed();
  const revoke = useRevokeCalendarFeed();
  const url = create.data?.url ?? null;
  const active = status.data?.active ?? false;
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Calendar feed" size="lg">
      <Stack>
        <Text size="sm">
          Subscribe to your Kapstone appointments from a calendar app. The feed lists the kind of appointment,
          the room, your part and the patient’s initials, never a name. Anyone with the address can read it:
          keep it to yourself, and rotate it if it may have leaked.
        </Text>
        {(status.isError || create.isError || revoke.isError) && (
          <Alert color="red" role="alert">
            {problemMessage(status.error ?? create.error ?? revoke.error)}
          </Alert>
        )}
        <Text size="sm" aria-live="polite">
          {active
            ? `Your feed is active since ${formatInstant(status.data!.createdAt!, timeZone)}; fetched ${status.data!.fetchCount} times${status.data!.lastFetchedAt ? `, last ${formatInstant(status.data!.lastFetchedAt, timeZone)}` : ''}.`
            : 'You have no calendar feed.'}
        </Text>
        {url && (
          <Stack gap="xs">
            <TextInput
              label="Your feed address (shown only now)"
              value={url}
              readOnly
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton value={url}>
              {({ copied, copy }) => (
                <Button variant="light" size="xs" onClick={copy} w="fit-content">
                  {copied ? 'Copied' : 'Copy address'}
                </Button>
              )}
            </CopyButton>
          </Stack>
        )}
        <Group justify="flex-end">
          {active && (
            <Button
              color="red"
              variant="light"
              loading={revoke.isPending}
              onClick={() => revoke.mutate(undefined, { onSuccess: () => create.reset() })}
            >
              Revoke feed
            </Button>
          )}
          <Button loading={create.isPending} onClick={() => create.mutate()}>
            {active ? 'Rotate feed address' : 'Create feed'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
