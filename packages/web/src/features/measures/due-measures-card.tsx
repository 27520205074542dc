import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconClipboardList } from '@tabler/icons-react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { formatDate } from '../patients/patient-format.ts';
import { useDueMeasures } from './measures.api.ts';

/** Portal home: the questionnaires the care team asked for, each a large link to its first question. */
export function DueMeasuresCard() {
  const due = useDueMeasures();
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="due-measures-title">
      <Group gap="xs" mb="sm">
        <IconClipboardList size={20} aria-hidden />
        <Title order={2} size="h4" id="due-measures-title">
          Questionnaires to fill in
        </Title>
      </Group>
      {due.isPending && <Loader size="sm" aria-label="Loading your questionnaires" />}
      {due.isError && (
        <Alert color="red" role="alert">
          {problemMessage(due.error)}
        </Alert>
      )}
      {due.data && due.data.items.length === 0 && (
        <Text c="dimmed">Nothing to fill in right now. Your care team will let you know when there is.</Text>
      )}
      {due.data && due.data.items.length > 0 && (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            One question per screen; you can go back and change an answer before you send it.
          </Text>
          {due.data.items.map((item) => (
            <Button
              key={item.id}
              component={Link}
              to={`/portal/measures/${item.id}`}
              size="lg"
              variant="light"
              fullWidth
              h="auto"
              py="sm"
              styles={{ inner: { justifyContent: 'space-between' }, label: { whiteSpace: 'normal' } }}
              aria-label={`Start ${item.name}`}
            >
              <Stack gap={0} align="flex-start">
                <Text fw={600}>{item.name}</Text>
                <Text size="sm" c="dimmed">
                  {item.itemCount} questions · due {formatDate(item.dueDate)}
                </Text>
              </Stack>
            </Button>
          ))}
        </Stack>
      )}
    </Card>
  );
}
