import { Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { courseStatusWords } from './course-status.ts';
import type { MeasurementSummary } from './trends.api.ts';

/**
 * The course's status per instrument, in words (responding, remitted, no response after N sessions,
 * worsening, relapse after response) with the reasons @kapstone/clinical's assessCourse gave.
 */
export function CourseStatusCard({ summary }: { summary: MeasurementSummary }) {
  const tracked = summary.instruments.filter((i) => i.lines.response || i.lines.remission || i.course);
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="course-status-title">
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Title order={3} size="h4" id="course-status-title">
            Course status
          </Title>
          <Text size="xs" c="dimmed">
            {summary.sessionsCompleted} dosing session{summary.sessionsCompleted === 1 ? '' : 's'} given
          </Text>
        </Group>
        {tracked.length === 0 && (
          <Text c="dimmed">No instrument with a baseline and change criteria yet.</Text>
        )}
        {tracked.map((instrument) => {
          const words = courseStatusWords(instrument, summary.sessionsCompleted);
          return (
            <Stack key={instrument.instrument} gap={4}>
              <Group gap="xs">
                <Text fw={600}>{instrument.shortName}</Text>
                <Badge color={words.color} variant="light">
                  {words.label}
                </Badge>
                {instrument.baseline && instrument.course?.latest && (
                  <Text size="sm" c="dimmed">
                    baseline {instrument.baseline.total}, latest {instrument.series.at(-1)?.total} (
                    {instrument.course.latest.percentChange > 0 ? '+' : ''}
                    {instrument.course.latest.percentChange}%)
                  </Text>
                )}
              </Group>
              {instrument.course && (
                <List size="sm" spacing={2}>
                  {instrument.course.reasons.map((reason) => (
                    <List.Item key={reason}>{reason}</List.Item>
                  ))}
                </List>
              )}
            </Stack>
          );
        })}
        {summary.noResponseAfterSessions === null && (
          <Text size="xs" c="dimmed">
            “No response after N sessions” needs the clinic’s own N (setting
            outcomes.noResponseAfterSessions): the reference gives no number, so until it is set a course
            without response reads “no response yet”.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
