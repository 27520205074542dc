import { Alert, Badge, Button, Card, Group, Loader, Progress, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useOwnIntake } from './intake.api.ts';
import { sectionTitles } from './intake-questions.ts';

const statusLabels = { 'not-started': 'Not started', draft: 'In progress', submitted: 'Submitted' } as const;
const statusColors = { 'not-started': 'gray', draft: 'yellow', submitted: 'green' } as const;

/** The portal home's card: the intake's status and the way into it. */
export function IntakeCard() {
  const intake = useOwnIntake();
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="intake-card-title">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={2} size="h4" id="intake-card-title">
          Your intake
        </Title>
        {intake.data && (
          <Badge color={statusColors[intake.data.status]} variant="light" size="lg">
            {statusLabels[intake.data.status]}
          </Badge>
        )}
      </Group>
      {intake.isPending && <Loader size="sm" aria-label="Loading your intake" />}
      {intake.isError && (
        <Alert color="red" role="alert">
          {problemMessage(intake.error)}
        </Alert>
      )}
      {intake.data &&
        (() => {
          const view = intake.data;
          const done = view.sections.filter((s) => s.complete).length;
          if (view.status === 'submitted') {
            return (
              <Stack gap="sm">
                <Text size="sm">Thank you: your care team has your answers.</Text>
                <Group>
                  <Button component={Link} to="/portal/intake" variant="default" size="md">
                    View your intake
                  </Button>
                </Group>
              </Stack>
            );
          }
          return (
            <Stack gap="sm">
              <Text size="sm">
                {view.status === 'not-started'
                  ? 'Questions about your health, medicines and goals, so your care team can plan treatment safely. You can stop at any time and continue later.'
                  : `${done} of ${view.sections.length} sections complete. You will continue at “${sectionTitles[view.resumeSection]}”.`}
              </Text>
              {view.status === 'draft' && (
                <Progress
                  value={(done / view.sections.length) * 100}
                  aria-label={`${done} of ${view.sections.length} sections complete`}
                />
              )}
              <Group>
                <Button component={Link} to="/portal/intake" size="md">
                  {view.status === 'not-started' ? 'Start your intake' : 'Continue your intake'}
                </Button>
              </Group>
            </Stack>
          );
        })()}
    </Card>
  );
}
