import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconNotebook } from '@tabler/icons-react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useMyJournal } from './journal.api.ts';

/** Portal home: the journal, with how many entries are private and how many shared. */
export function JournalCard() {
  const journal = useMyJournal();
  const items = journal.data?.items ?? [];
  const shared = items.filter((e) => e.shared).length;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="journal-card-title">
      <Group gap="xs" mb="sm">
        <IconNotebook size={20} aria-hidden />
        <Title order={2} size="h4" id="journal-card-title">
          My journal
        </Title>
      </Group>
      {journal.isPending && <Loader size="sm" aria-label="Loading your journal" />}
      {journal.isError && (
        <Alert color="red" role="alert">
          {problemMessage(journal.error)}
        </Alert>
      )}
      {journal.data && (
        <Stack gap="sm">
          <Text size="sm">
            {items.length === 0
              ? 'Write down what you notice between sessions. Entries are private unless you share them.'
              : `${items.length} ${items.length === 1 ? 'entry' : 'entries'}: ${items.length - shared} private, ${shared} shared with your care team.`}
          </Text>
          <Button component={Link} to="/portal/journal" size="lg" variant="light" fullWidth>
            {items.length === 0 ? 'Start my journal' : 'Open my journal'}
          </Button>
        </Stack>
      )}
    </Card>
  );
}
