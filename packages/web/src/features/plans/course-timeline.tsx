import type { DoseCalculation, PlannedEvent } from '@kapstone/clinical';
import { Alert, Badge, Group, List, Stack, Text, Timeline } from '@mantine/core';
import { formatDate } from '../patients/patient-format.ts';
import { plannedEventLabels } from './plan-form-model.ts';

const kindColors: Record<string, string> = {
  preparation: 'grape',
  dosing: 'teal',
  integration: 'blue',
  measure: 'gray',
  'follow-up': 'orange',
};

function dateRange(event: PlannedEvent): string {
  return event.earliest === event.latest
    ? formatDate(event.earliest)
    : `${formatDate(event.earliest)} – ${formatDate(event.latest)}`;
}

/** The planned course exactly as planCourse made it (from the server's preview or the stored plan). */
export function CourseTimeline({ events, label }: { events: readonly PlannedEvent[]; label: string }) {
  return (
    <Timeline bulletSize={14} lineWidth={2} aria-label={label}>
      {events.map((event, index) => (
        <Timeline.Item
          // The course is a fixed list: its position is its identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: events have no id of their own
          key={index}
          color={kindColors[event.kind] ?? 'gray'}
          title={
            <Group gap="xs">
              <Text fw={600} size="sm">
                {event.note ?? plannedEventLabels[event.kind]}
              </Text>
              <Badge size="xs" variant="light" color={kindColors[event.kind] ?? 'gray'}>
                {plannedEventLabels[event.kind] ?? event.kind}
              </Badge>
            </Group>
          }
        >
          <Text size="sm" c="dimmed">
            {dateRange(event)}
            {event.week !== undefined ? ` · week ${event.week}` : ''}
          </Text>
          {event.instruments && event.instruments.length > 0 && (
            <Text size="xs">Instruments: {event.instruments.map((i) => i.toUpperCase()).join(', ')}</Text>
          )}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

const levelColors: Record<DoseCalculation['level'], string> = {
  ok: 'teal',
  warning: 'yellow',
  blocked: 'red',
};
const levelTitles: Record<DoseCalculation['level'], string> = {
  ok: 'Dose check passed',
  warning: 'Dose check: warning',
  blocked: 'Dose check: refused',
};

/** calculateDose's answer for one dose, with its messages, as @kapstone/clinical worded them. */
export function DoseCheck({ label, calculation }: { label: string; calculation: DoseCalculation }) {
  const facts = [
    `${calculation.doseMg} mg`,
    calculation.mgPerKg !== undefined ? `${calculation.mgPerKg} mg/kg` : null,
    calculation.devices !== undefined ? `${calculation.devices} devices` : null,
    calculation.volumeMl !== undefined ? `${calculation.volumeMl} mL` : null,
  ].filter(Boolean);
  return (
    <Alert
      color={levelColors[calculation.level]}
      title={`${label}: ${levelTitles[calculation.level]}`}
      role={calculation.level === 'ok' ? 'status' : 'alert'}
    >
      <Stack gap={4}>
        {calculation.level !== 'blocked' && <Text size="sm">{facts.join(' · ')}</Text>}
        {calculation.messages.length > 0 && (
          <List size="sm">
            {calculation.messages.map((message) => (
              <List.Item key={message}>{message}</List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Alert>
  );
}
