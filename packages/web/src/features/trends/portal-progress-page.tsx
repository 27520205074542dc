import { Alert, Anchor, Loader, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { InstrumentTrendChart } from './instrument-trend-chart.tsx';
import { type MyProgress, useMyProgress } from './trends.api.ts';

/** The patient's own charts: their scores with the ranges behind them and their session dates marked. */
export function MyProgressView({ progress, timeZone }: { progress: MyProgress; timeZone: string }) {
  if (progress.instruments.length === 0) {
    return (
      <Text>
        Your scores will appear here after you fill in your first questionnaire. Your care team uses them to
        see how you are doing over time.
      </Text>
    );
  }
  const markers = progress.sessions.map((s) => ({ at: s.at, label: '' }));
  return (
    <Stack gap="md">
      <Text>
        Each chart shows your scores over time. The shaded areas are the usual ranges for that questionnaire,
        and the violet lines are the days of your ketamine sessions. Your care team looks at these with you; a
        single score is only part of the picture.
      </Text>
      {progress.instruments.map((instrument) => (
        <Stack key={instrument.instrument} gap="xs">
          <InstrumentTrendChart
            title={`${instrument.shortName}: ${instrument.about}`}
            shortName={instrument.shortName}
            range={instrument.range}
            bands={instrument.bands}
            points={instrument.points}
            markers={markers}
            markerName="Ketamine session"
            timeZone={timeZone}
            height={220}
          />
          <Text size="sm">{instrument.summary}</Text>
        </Stack>
      ))}
      <Text size="sm" c="dimmed">
        If you feel worse or are worried about your safety, do not wait for your next questionnaire: call your
        clinic, or call or text 988 (Suicide &amp; Crisis Lifeline). In an emergency call 911.
      </Text>
    </Stack>
  );
}

/** /portal/progress: the patient's own progress charts, readable on a phone. */
export function PortalProgressPage() {
  useDocumentTitle('My progress');
  const session = useSignedInSession();
  const progress = useMyProgress();
  return (
    <Stack gap="md" maw={720}>
      <Title order={1} size="h2">
        My progress
      </Title>
      {progress.isPending && <Loader size="sm" aria-label="Loading your progress" />}
      {progress.isError && (
        <Alert color="red" role="alert">
          {problemMessage(progress.error)}
        </Alert>
      )}
      {progress.data && <MyProgressView progress={progress.data} timeZone={session.clinic.timeZone} />}
      <Anchor component={Link} to="/portal" mih={44} display="inline-flex" style={{ alignItems: 'center' }}>
        Back to home
      </Anchor>
    </Stack>
  );
}
