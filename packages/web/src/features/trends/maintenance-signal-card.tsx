import { Alert, Badge, Group, List, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconTrendingUp } from '@tabler/icons-react';
import { measureWords } from './course-status.ts';
import { shortDate } from './trend-chart-model.ts';
import type { MeasurementSummary } from './trends.api.ts';

const evidenceWords = { primary: 'primary', secondary: 'secondary', unconfirmed: 'UNCONFIRMED' } as const;

/**
 * For prescribers: a responder's follow-up scores rising back toward baseline (@kapstone/clinical
 * maintenanceSignal), with the numbers behind it and the sources. Nothing when no instrument signals.
 */
export function MaintenanceSignalCard({
  summary,
  timeZone,
}: {
  summary: MeasurementSummary;
  timeZone: string;
}) {
  const signalling = summary.instruments.filter((i) => i.maintenance);
  if (signalling.length === 0) return null;
  return (
    <Stack gap="sm" component="section" aria-label="Maintenance review">
      {signalling.map((instrument) => {
        const signal = instrument.maintenance!;
        return (
          <Alert
            key={instrument.instrument}
            color={signal.strength === 'firm' ? 'orange' : 'yellow'}
            icon={<IconTrendingUp aria-hidden />}
            title={
              <Group gap="xs">
                <span>{instrument.shortName}: scores rising back toward baseline</span>
                <Badge size="sm" variant="outline" color={signal.strength === 'firm' ? 'orange' : 'yellow'}>
                  {signal.strength === 'firm' ? 'Response lost' : 'Early sign'}
                </Badge>
              </Group>
            }
          >
            <Stack gap="xs">
              <Text size="sm">
                Baseline {signal.baseline}, best {signal.best.total} ({shortDate(signal.best.at, timeZone)}),
                latest {signal.latest.total} ({shortDate(signal.latest.at, timeZone)}):{' '}
                {signal.riseFromBest >= 0 ? '+' : ''}
                {signal.riseFromBest} from the best, {Math.round(signal.fractionTowardBaseline * 100)}% of the
                way back to baseline{signal.mcid !== null ? ` (MCID ${signal.mcid})` : ''}.
              </Text>
              <Table
                withTableBorder
                verticalSpacing={2}
                aria-label={`${instrument.shortName} points behind the signal`}
              >
                <VisuallyHidden component="caption">
                  The scores the signal rests on, from the best one
                </VisuallyHidden>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Date</Table.Th>
                    <Table.Th>Score</Table.Th>
                    <Table.Th>Measure</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {signal.points.map((point) => (
                    <Table.Tr key={point.responseId}>
                      <Table.Td>{shortDate(point.at, timeZone)}</Table.Td>
                      <Table.Td>{point.total}</Table.Td>
                      <Table.Td>{measureWords(point.scheduleKey, point.reason)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <List size="sm" spacing={2}>
                {signal.reasons.map((reason) => (
                  <List.Item key={reason}>{reason}</List.Item>
                ))}
              </List>
              <Text size="sm">{signal.explanation}</Text>
              <Text size="xs" c="dimmed">
                Sources:{' '}
                {signal.citations
                  .map((c) => `${c.section}: ${c.source} [${evidenceWords[c.evidence]}]`)
                  .join(' · ')}
              </Text>
            </Stack>
          </Alert>
        );
      })}
    </Stack>
  );
}
