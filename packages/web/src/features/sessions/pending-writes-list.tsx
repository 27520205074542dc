import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconCloudUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { formatTime } from '../scheduling/calendar-model.ts';
import type { PendingWrite } from './pending-writes.ts';
import { pendingWriteSummary, pendingWriteTime } from './session-format.ts';
import { pendingWrites } from './session-queue.ts';

/**
 * What this tablet holds that the server has not confirmed: readings waiting for the connection (sent by
 * themselves when it returns) and any the server refused (the nurse enters them again or discards them).
 */
export function PendingWritesList({
  writes,
  timeZone,
}: {
  writes: readonly PendingWrite[];
  timeZone: string;
}) {
  const [sending, setSending] = useState(false);
  const waiting = writes.filter((w) => w.status === 'pending');
  const refused = writes.filter((w) => w.status === 'rejected');
  if (writes.length === 0) return null;

  const sendNow = async () => {
    setSending(true);
    try {
      await pendingWrites().flush();
    } finally {
      setSending(false);
    }
  };

  return (
    <Stack gap="xs" aria-label="Not yet sent">
      {waiting.length > 0 && (
        <Alert
          color="yellow"
          icon={<IconCloudUpload aria-hidden />}
          role="status"
          title={
            waiting.length === 1
              ? '1 entry waiting to be sent'
              : `${waiting.length} entries waiting to be sent`
          }
        >
          <Stack gap="xs">
            <Text size="sm">
              Kept on this tablet and sent by themselves when the connection returns. Do not close this tab
              until they are sent.
            </Text>
            <List size="sm">
              {waiting.map((write) => (
                <List.Item key={write.id}>
                  {formatTime(pendingWriteTime(write), timeZone)} · {pendingWriteSummary(write)}
                </List.Item>
              ))}
            </List>
            <Group>
              <Button size="md" variant="default" onClick={sendNow} loading={sending}>
                Try sending now
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {refused.map((write) => (
        <Alert
          key={write.id}
          color="red"
          icon={<IconAlertCircle aria-hidden />}
          role="alert"
          title={`Not recorded: ${pendingWriteSummary(write)} (${formatTime(pendingWriteTime(write), timeZone)})`}
        >
          <Group justify="space-between" wrap="wrap">
            <Text size="sm">{write.problem}</Text>
            <Button size="md" variant="default" onClick={() => pendingWrites().discard(write.id)}>
              Discard
            </Button>
          </Group>
        </Alert>
      ))}
    </Stack>
  );
}
