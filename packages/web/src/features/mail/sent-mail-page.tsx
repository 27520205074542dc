import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { invitationPathIn } from '../invitations/invitation-format.ts';
import { formatInstant } from '../patients/patient-format.ts';
import { type MailStatus, type OutboxMail, useOutbox } from './mail.api.ts';

const statusColors: Record<MailStatus, string> = {
  queued: 'blue',
  sent: 'green',
  failed: 'red',
  cancelled: 'gray',
};
const statusLabels: Record<MailStatus, string> = {
  queued: 'Queued',
  sent: 'Sent',
  failed: 'Failed',
  cancelled: 'Withdrawn',
};

function Delivery({ mail, timeZone }: { mail: OutboxMail; timeZone: string }) {
  if (mail.status === 'sent' && mail.sentAt) return <>{formatInstant(mail.sentAt, timeZone)}</>;
  if (mail.status === 'failed' && mail.failedAt) return <>Gave up {formatInstant(mail.failedAt, timeZone)}</>;
  if (mail.nextAttemptAt) return <>Next try {formatInstant(mail.nextAttemptAt, timeZone)}</>;
  return null;
}

/** Demo mode: the mail's text, with the invitation link opened inside this app. */
function MailText({ mail }: { mail: OutboxMail }) {
  const path = invitationPathIn(mail.text);
  return (
    <Stack gap={4}>
      <Code block style={{ whiteSpace: 'pre-wrap' }}>
        {mail.text}
      </Code>
      {path && (
        <Anchor
          component={Link}
          to={path}
          size="sm"
          aria-label={`Open the invitation link sent to ${mail.to}`}
        >
          Open the invitation link
        </Anchor>
      )}
    </Stack>
  );
}

/**
 * The clinic's outgoing mail (admins, mail.read): what was queued, sent or given up, with attempts and the
 * last error. In demo mode the text too, so a person walking the demo can follow an invitation; elsewhere
 * the bodies are never shown (they hold sign-up links) and are removed once delivered.
 */
export function SentMailPage() {
  useDocumentTitle('Sent mail');
  const session = useSignedInSession();
  const [status, setStatus] = useState<MailStatus | null>(null);
  const outbox = useOutbox(status);
  const [opened, setOpened] = useState<string | null>(null);
  const pages = outbox.data?.pages ?? [];
  const mails = pages.flatMap((page) => page.items);
  const demo = pages[0]?.demo ?? false;
  const timeZone = session.clinic.timeZone;

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Sent mail
      </Title>
      <Text size="sm" c="dimmed">
        {demo
          ? 'Demo mode: the mails are kept with their text, so you can follow an invitation link as the patient would.'
          : 'Mail text is not shown: it holds single-use sign-up links, and is removed once the mail is delivered.'}
      </Text>
      <Group gap="sm">
        <SegmentedControl
          aria-label="Show mail by status"
          value={status ?? 'all'}
          onChange={(value) => setStatus(value === 'all' ? null : (value as MailStatus))}
          data={[
            { value: 'all', label: 'All' },
            { value: 'queued', label: 'Queued' },
            { value: 'sent', label: 'Sent' },
            { value: 'failed', label: 'Failed' },
            { value: 'cancelled', label: 'Withdrawn' },
          ]}
          w="fit-content"
        />
        <Button
          variant="default"
          w="fit-content"
          size="xs"
          loading={outbox.isRefetching}
          onClick={() => outbox.refetch()}
        >
          Refresh
        </Button>
      </Group>
      {outbox.isPending && <Loader aria-label="Loading mail" />}
      {outbox.isError && (
        <Alert color="red" role="alert">
          {problemMessage(outbox.error)}
        </Alert>
      )}
      {outbox.data && mails.length === 0 && <Text>No mail yet.</Text>}
      {mails.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped fz="sm" verticalSpacing={6} aria-label="Outgoing mail">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Queued</Table.Th>
                <Table.Th scope="col">To</Table.Th>
                <Table.Th scope="col">Subject</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Delivery</Table.Th>
                {demo && <Table.Th scope="col">Text</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {mails.map((mail) => (
                <Table.Tr key={mail.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {formatInstant(mail.createdAt, timeZone)}
                  </Table.Td>
                  <Table.Td>{mail.to}</Table.Td>
                  <Table.Td>{mail.subject}</Table.Td>
                  <Table.Td style={{ minWidth: 104 }}>
                    <Stack gap={2}>
                      <Badge color={statusColors[mail.status]} variant="light">
                        {statusLabels[mail.status]}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {mail.attempts} attempt{mail.attempts === 1 ? '' : 's'}
                      </Text>
                      {mail.lastError && (
                        <Text size="xs" c="red.8">
                          {mail.lastError}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Delivery mail={mail} timeZone={timeZone} />
                  </Table.Td>
                  {demo && (
                    <Table.Td>
                      {opened === mail.id ? (
                        <MailText mail={mail} />
                      ) : (
                        <Group gap="xs">
                          <Button
                            size="compact-sm"
                            variant="default"
                            onClick={() => setOpened(mail.id)}
                            disabled={!mail.text}
                            aria-label={`Show the text of the mail to ${mail.to}`}
                          >
                            Show text
                          </Button>
                          {invitationPathIn(mail.text) && (
                            <Anchor
                              component={Link}
                              to={invitationPathIn(mail.text)!}
                              size="sm"
                              aria-label={`Open the invitation link sent to ${mail.to}`}
                            >
                              Open the invitation link
                            </Anchor>
                          )}
                        </Group>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {outbox.hasNextPage && (
        <Button
          variant="default"
          w="fit-content"
          loading={outbox.isFetchingNextPage}
          onClick={() => outbox.fetchNextPage()}
        >
          Show older mail
        </Button>
      )}
    </Stack>
  );
}
