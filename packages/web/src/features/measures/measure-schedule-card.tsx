import { Alert, Badge, Card, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { IconCalendarStats } from '@tabler/icons-react';
import { problemMessage } from '../../api/client.ts';
import { formatDate } from '../patients/patient-format.ts';
import { groupSchedule, type ScheduleStatus, useMeasureSchedule } from './measure-schedule.api.ts';

const sections: { status: ScheduleStatus; title: string; color: string; empty: string }[] = [
  { status: 'missed', title: 'Missed', color: 'red', empty: 'None missed.' },
  { status: 'due', title: 'Due now', color: 'orange', empty: 'Nothing waiting for the patient.' },
  { status: 'planned', title: 'Upcoming', color: 'blue', empty: 'Nothing else planned.' },
  { status: 'completed', title: 'Completed', color: 'teal', empty: 'Nothing answered yet.' },
];

/**
 * The chart's "Measure schedule" card: the questionnaires the treatment plan asks for (baseline, before each
 * dose, weekly in induction, end of course, follow-ups), missed first, then due, upcoming and completed.
 */
export function MeasureScheduleCard({ patientId }: { patientId: string }) {
  const schedule = useMeasureSchedule(patientId);
  return (
    <Card
      withBorder
      radius="md"
      padding="lg"
      mb="md"
      component="section"
      aria-labelledby="measure-schedule-title"
    >
      <Group gap="xs" mb="sm">
        <IconCalendarStats size={20} aria-hidden />
        <Title order={2} size="h4" id="measure-schedule-title">
          Measure schedule
        </Title>
      </Group>
      {schedule.isPending && <Loader size="sm" aria-label="Loading the measure schedule" />}
      {schedule.isError && (
        <Alert color="red" role="alert">
          {problemMessage(schedule.error)}
        </Alert>
      )}
      {schedule.data && !schedule.data.planId && (
        <Text c="dimmed">No signed treatment plan: the schedule starts when a prescriber signs one.</Text>
      )}
      {schedule.data?.planId && (
        <Stack gap="md">
          {schedule.data.planEnded && (
            <Text size="sm" c="dimmed">
              The plan ended on {formatDate(schedule.data.planEnded)}
              {schedule.data.lastDose
                ? `; follow-ups count from the last dose, ${formatDate(schedule.data.lastDose)}.`
                : '.'}
            </Text>
          )}
          {(() => {
            const groups = groupSchedule(schedule.data.entries);
            return sections.map((section) => (
              <Stack gap={4} key={section.status} component="section" aria-label={section.title}>
                <Group gap="xs">
                  <Title order={3} size="h5">
                    {section.title}
                  </Title>
                  <Badge
                    color={section.color}
                    variant="light"
                    aria-label={`${groups[section.status].length} ${section.title.toLowerCase()}`}
                  >
                    {groups[section.status].length}
                  </Badge>
                </Group>
                {groups[section.status].length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {section.empty}
                  </Text>
                ) : (
                  <List spacing={4} size="sm">
                    {groups[section.status].map((point) => (
                      <List.Item key={`${point.status}-${point.scheduleKey}`}>
                        <Text span fw={500}>
                          {point.explanation}
                        </Text>
                        <Text span c="dimmed">
                          {' · '}
                          {point.instruments.join(', ')} ·{' '}
                          {point.estimated && point.status !== 'completed' ? 'about' : 'due'}{' '}
                          {formatDate(point.dueDate)}
                        </Text>
                      </List.Item>
                    ))}
                  </List>
                )}
              </Stack>
            ));
          })()}
        </Stack>
      )}
    </Card>
  );
}
