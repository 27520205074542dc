import { Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMemo } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatTime } from '../scheduling/calendar-model.ts';
import type { PendingWrite } from './pending-writes.ts';
import { vitalsSummary } from './session-format.ts';
import type { SessionView } from './sessions.types.ts';
import {
  type ChartMetric,
  type ChartPoint,
  minuteTick,
  type VitalsChartModel,
  vitalsChartModel,
} from './vitals-chart-model.ts';
import { levelColors, levelLabels } from './vitals-entry-model.ts';

/**
 * BP, heart rate and SpO₂ over the session, one strip each on a shared minute axis (0 = start of the dose):
 * the clinic's warning and critical bands behind the lines, a marker at each dose, hollow dots for readings
 * still waiting to be sent. The same readings are listed in a table below, for reading exact values and for
 * screen readers.
 */

const bandColor = { warning: 'var(--mantine-color-yellow-3)', critical: 'var(--mantine-color-red-3)' };
const lineColor = { warning: 'var(--mantine-color-yellow-8)', critical: 'var(--mantine-color-red-8)' };

function pointColor(point: ChartPoint): string {
  if (point.pending) return 'var(--mantine-color-gray-6)';
  return point.level ? `var(--mantine-color-${levelColors[point.level]}-7)` : 'var(--mantine-color-gray-7)';
}

interface DotProps {
  cx?: number;
  cy?: number;
  payload?: ChartPoint;
  value?: unknown;
}

function ReadingDot({ cx, cy, payload, value }: DotProps) {
  if (cx === undefined || cy === undefined || !payload || value === null || value === undefined) return <g />;
  const color = pointColor(payload);
  return (
    <circle
      cx={cx}
      cy={cy}
      r={payload.pending ? 5 : 4}
      stroke={color}
      strokeWidth={2}
      fill={payload.pending ? 'var(--mantine-color-body)' : color}
    />
  );
}

function Strip({
  model,
  metric,
  title,
  unit,
  height,
}: {
  model: VitalsChartModel;
  metric: ChartMetric;
  title: string;
  unit: string;
  height: number;
}) {
  const [low, high] = model.valueDomains[metric];
  const series =
    metric === 'bp'
      ? [
          { key: 'systolic', name: 'Systolic', color: 'var(--mantine-color-blue-7)' },
          { key: 'diastolic', name: 'Diastolic', color: 'var(--mantine-color-cyan-7)' },
        ]
      : metric === 'heartRate'
        ? [{ key: 'heartRate', name: 'Heart rate', color: 'var(--mantine-color-grape-7)' }]
        : [{ key: 'spo2', name: 'SpO₂', color: 'var(--mantine-color-teal-7)' }];
  return (
    <div>
      <Text size="sm" fw={600}>
        {title} ({unit})
      </Text>
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={model.points} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          {model.bands
            .filter((band) => band.chart === metric)
            .map((band) => (
              <ReferenceArea
                key={band.label}
                y1={band.from ?? low}
                y2={band.to ?? high}
                fill={bandColor[band.level]}
                fillOpacity={0.35}
                ifOverflow="hidden"
                zIndex={50}
              />
            ))}
          {model.lines
            .filter((line) => line.chart === metric)
            .map((line) => (
              <ReferenceLine
                key={line.label}
                y={line.value}
                stroke={lineColor[line.level]}
                strokeDasharray="6 4"
                ifOverflow="hidden"
              />
            ))}
          {model.doses.map((dose) => (
            <ReferenceLine
              key={`${dose.label}-${dose.minute}`}
              x={dose.minute}
              stroke="var(--mantine-color-violet-7)"
              strokeWidth={2}
              label={
                metric === 'bp'
                  ? { value: dose.label, position: 'insideTopLeft', fontSize: 12, fill: 'currentColor' }
                  : undefined
              }
            />
          ))}
          {model.doses
            .filter((dose) => dose.endMinute !== null)
            .map((dose) => (
              <ReferenceLine
                key={`${dose.label}-end`}
                x={dose.endMinute ?? 0}
                stroke="var(--mantine-color-violet-5)"
                strokeDasharray="4 4"
                label={
                  metric === 'bp'
                    ? {
                        value: 'Infusion end',
                        position: 'insideTopRight',
                        fontSize: 12,
                        fill: 'currentColor',
                      }
                    : undefined
                }
              />
            ))}
          <XAxis
            dataKey="minute"
            type="number"
            domain={model.minuteDomain}
            tickFormatter={minuteTick}
            allowDecimals={false}
            fontSize={12}
          />
          <YAxis domain={[low, high]} allowDecimals={false} fontSize={12} width={44} />
          <Tooltip
            labelFormatter={(minute) => `${minuteTick(Number(minute))} min`}
            formatter={(value, name) => [`${value} ${unit}`, name]}
          />
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
              dot={(props: DotProps) => (
                <ReadingDot
                  key={`${s.key}-${props.payload?.id ?? props.cx}`}
                  cx={props.cx}
                  cy={props.cy}
                  payload={props.payload}
                  value={props.value}
                />
              )}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export function VitalsChart({
  session,
  pending,
  now,
  timeZone,
}: {
  session: SessionView;
  pending: readonly PendingWrite[];
  now: number;
  timeZone: string;
}) {
  const model = useMemo(
    () =>
      vitalsChartModel({
        vitals: session.vitals,
        pending,
        administrations: session.administrations,
        doseStartedAt: session.doseStartedAt ?? null,
        checkedInAt: session.checkedInAt ?? null,
        thresholds: session.thresholds ?? null,
        baselineVitals: session.baselineVitals ?? null,
        // The axis runs to "now" in whole minutes: re-render the chart once a minute, not every tick.
        now: Math.floor(now / 60_000) * 60_000,
      }),
    [session, pending, now],
  );
  const bandsText = model.bands.map((b) => `${b.label} (${b.level})`).join('; ');

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="vitals-chart-heading">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h3" id="vitals-chart-heading">
            Vitals over the session
          </Title>
          <Text size="xs" c="dimmed">
            Minutes from the dose · shaded: clinic thresholds
          </Text>
        </Group>
        {model.points.length === 0 ? (
          <Text c="dimmed">No readings yet.</Text>
        ) : (
          <div role="img" aria-label={`Chart of ${model.points.length} readings. Bands: ${bandsText}.`}>
            <Strip model={model} metric="bp" title="Blood pressure" unit="mmHg" height={200} />
            <Strip model={model} metric="heartRate" title="Heart rate" unit="/min" height={120} />
            <Strip model={model} metric="spo2" title="SpO₂" unit="%" height={120} />
          </div>
        )}
        <ReadingsTable points={model.points} timeZone={timeZone} />
      </Stack>
    </Paper>
  );
}

function ReadingsTable({ points, timeZone }: { points: ChartPoint[]; timeZone: string }) {
  if (points.length === 0) return null;
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table striped verticalSpacing="xs" aria-label="Readings">
        <VisuallyHidden component="caption">Readings of this session, newest first</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Min</Table.Th>
            <Table.Th>Reading</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...points].reverse().map((point) => (
            <Table.Tr key={point.id}>
              <Table.Td>{formatTime(new Date(point.at).toISOString(), timeZone)}</Table.Td>
              <Table.Td>{minuteTick(Math.round(point.minute))}</Table.Td>
              <Table.Td>{vitalsSummary(point)}</Table.Td>
              <Table.Td>
                {point.pending ? (
                  <Text size="sm" fw={600} c="yellow.9">
                    Waiting to be sent
                  </Text>
                ) : point.level ? (
                  <Text size="sm" fw={600} c={`${levelColors[point.level]}.8`}>
                    {levelLabels[point.level]}
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
