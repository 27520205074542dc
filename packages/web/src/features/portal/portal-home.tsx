import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { ConsentFormsCard } from '../consent/consent-forms-card.tsx';
import { IntakeCard } from '../intake/intake-card.tsx';
import { ExperienceRatingCard } from '../journal/experience-rating-card.tsx';
import { JournalCard } from '../journal/journal-card.tsx';
import { DueMeasuresCard } from '../measures/due-measures-card.tsx';
import { PortalProgressCard } from '../trends/portal-progress-card.tsx';
import { usePortalHome } from './portal.api.ts';
import { PortalDischargeInstructionsCard } from './portal-discharge-instructions.tsx';
import { NextSessionCard, PreparationChecklistCard, TodosCard } from './portal-home-cards.tsx';

/**
 * The portal's home: the next session, the checklist of the next ketamine session, the to-dos, then the
 * cards of each area (questionnaires, journal, consent forms, progress, intake). The patient's details are on
 * their own page (/portal/details).
 */
export function PortalHome() {
  useDocumentTitle('Home');
  const home = usePortalHome();

  if (home.isPending) return <Loader aria-label="Loading your home page" />;
  if (home.isError) {
    return (
      <Alert color="red" role="alert" title="Your home page could not be loaded">
        {problemMessage(home.error)}
      </Alert>
    );
  }
  const view = home.data;
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Welcome, {view.greetingName}
      </Title>
      <PortalDischargeInstructionsCard />
      <NextSessionCard session={view.nextSession} timeZone={view.timeZone} />
      {view.preparation && (
        <PreparationChecklistCard preparation={view.preparation} timeZone={view.timeZone} />
      )}
      <TodosCard todos={view.todos} />
      <DueMeasuresCard />
      <ExperienceRatingCard />
      <JournalCard />
      <ConsentFormsCard />
      <PortalProgressCard />
      <IntakeCard />
      <Text size="sm" c="dimmed">
        Times are in your clinic’s time zone ({view.timeZone}).
      </Text>
      <Group>
        <Button component={Link} to="/portal/details" variant="default" size="md">
          My details
        </Button>
      </Group>
    </Stack>
  );
}
