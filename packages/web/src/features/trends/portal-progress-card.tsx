import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconChartLine } from '@tabler/icons-react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useMyProgress } from './trends.api.ts';

/** Portal home: one line per questionnaire about the latest score, and a large link to the charts. */
export function PortalProgressCard() {
  const progress = useMyProgress();
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="progress-card-title">
      <Group gap="xs" mb="sm">
        <IconChartLine size={20} aria-hidden />
        <Title order={2} size="h4" id="progress-card-title">
          My progress
        </Title>
      </Group>
      {progress.isPending && <Loader size="sm" aria-label="Loading your progress" />}
      {progress.isError && (
        <Alert color="red" role="alert">
          {problemMessage(progress.error)}
        </Alert>
      )}
      {progress.data && progress.data.instruments.length === 0 && (
        <Text c="dimmed">Your scores will show here once you have filled in a questionnaire.</Text>
      )}
      {progress.data && progress.data.instruments.length > 0 && (
        <Stack gap="sm">
          {progress.data.instruments.map((instrument) => (
            <Text key={instrument.instrument} size="sm">
              {instrument.summary.split('. ').slice(0, 2).join('. ').replace(/\.?$/, '.')}
            </Text>
          ))}
          <Button component={Link} to="/portal/progress" size="lg" variant="light" fullWidth mih={44}>
            See my progress charts
          </Button>
        </Stack>
      )}
    </Card>
  );
}
