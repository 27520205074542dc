import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconMoodSmile } from '@tabler/icons-react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { formatDate } from '../patients/patient-format.ts';
import { useMyExperienceRatings } from './journal.api.ts';

/** Portal home: the sessions whose experience the patient can rate now (from the day after each). */
export function ExperienceRatingCard() {
  const ratings = useMyExperienceRatings();
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="experience-card-title">
      <Group gap="xs" mb="sm">
        <IconMoodSmile size={20} aria-hidden />
        <Title order={2} size="h4" id="experience-card-title">
          How was your session?
        </Title>
      </Group>
      {ratings.isPending && <Loader size="sm" aria-label="Loading your sessions to rate" />}
      {ratings.isError && (
        <Alert color="red" role="alert">
          {problemMessage(ratings.error)}
        </Alert>
      )}
      {ratings.data && (
        <Stack gap="sm">
          {ratings.data.due.length === 0 && ratings.data.upcoming.length === 0 && (
            <Text c="dimmed" size="sm">
              Nothing to rate right now. After each session you can rate it from the next day.
            </Text>
          )}
          {ratings.data.due.length > 0 && (
            <Text size="sm" c="dimmed">
              Six short questions, one per screen. Your care team reads your answers.
            </Text>
          )}
          {ratings.data.due.map((item) => (
            <Button
              key={item.sessionId}
              component={Link}
              to={`/portal/experience/${item.sessionId}`}
              size="lg"
              variant="light"
              fullWidth
              h="auto"
              py="sm"
              styles={{ label: { whiteSpace: 'normal' } }}
            >
              Rate your session of {formatDate(item.sessionDate)}
            </Button>
          ))}
          {ratings.data.upcoming.map((item) => (
            <Text key={item.sessionId} size="sm">
              You can rate your session of {formatDate(item.sessionDate)} from {formatDate(item.opensOn)}.
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  );
}
