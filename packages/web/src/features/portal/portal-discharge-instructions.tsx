import { Alert, Anchor, Button, Card, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { isProblem, problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { formatDate } from '../patients/patient-format.ts';
import { DischargeInstructionsContent, PrintStyles } from '../sessions/flow/discharge-instructions-view.tsx';
import {
  ownInstructionsPdfUrl,
  useOwnDischargeInstructions,
  useOwnSessionInstructions,
} from './discharge-instructions.api.ts';

/** On the portal's home: the instructions of the most recent session, the way home and whom to call. */
export function PortalDischargeInstructionsCard() {
  const list = useOwnDischargeInstructions();
  // Nothing to say before a first session (or while the server has no such list yet).
  if (list.isPending || list.isError || !list.data || list.data.items.length === 0) return null;
  const latest = list.data.items[0]!;
  const help = latest.sections.find((s) => s.id === 'get-help');
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="after-session-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="after-session-title">
          After your session on {formatDate(latest.date)}
        </Title>
        {help && (
          <List spacing={4}>
            {help.lines.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        )}
        <Group>
          <Button
            component={Link}
            to={`/portal/sessions/${encodeURIComponent(latest.sessionId)}/instructions`}
            variant="light"
            size="md"
          >
            Read your discharge instructions
          </Button>
        </Group>
        {list.data.items.length > 1 && (
          <Text size="sm" c="dimmed">
            Earlier sessions:{' '}
            {list.data.items.slice(1, 6).map((item, index) => (
              <span key={item.sessionId}>
                {index > 0 ? ', ' : ''}
                <Anchor
                  component={Link}
                  to={`/portal/sessions/${encodeURIComponent(item.sessionId)}/instructions`}
                >
                  {formatDate(item.date)}
                </Anchor>
              </span>
            ))}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** The patient's discharge instructions of one of their own sessions, to read again or print. */
export function PortalDischargeInstructionsPage() {
  useDocumentTitle('Discharge instructions');
  const { sessionId = '' } = useParams();
  const own = useOwnSessionInstructions(sessionId);
  if (own.isPending) return <Loader aria-label="Loading your instructions" />;
  if (own.isError) {
    return (
      <Alert
        color={isProblem(own.error, 404) ? 'gray' : 'red'}
        role="alert"
        title="Instructions not available"
      >
        {isProblem(own.error, 404)
          ? 'There are no discharge instructions for this session.'
          : problemMessage(own.error)}
      </Alert>
    );
  }
  return (
    <Stack gap="md">
      <PrintStyles />
      <Group className="kapstone-no-print" justify="space-between">
        <Anchor component={Link} to="/portal">
          Back to your home page
        </Anchor>
        <Group gap="xs">
          <Button
            size="md"
            variant="light"
            leftSection={<IconPrinter size={18} aria-hidden />}
            onClick={() => window.print()}
          >
            Print
          </Button>
          <Button
            component="a"
            href={ownInstructionsPdfUrl(sessionId)}
            target="_blank"
            rel="noopener"
            size="md"
            variant="default"
          >
            PDF
          </Button>
        </Group>
      </Group>
      <Text c="dimmed">Session of {formatDate(own.data.date)}</Text>
      <DischargeInstructionsContent instructions={own.data} />
    </Stack>
  );
}
