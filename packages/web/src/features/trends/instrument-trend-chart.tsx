import { Box, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import {
  type TrendChartInput,
  type TrendChartModel,
  type TrendLineKind,
  trendChartModel,
} from './trend-chart-model.ts';

/**
 * One instrument's totals over time (issue 6): the severity bands shaded behind the line, the baseline dashed,
 * the response, remission and worsening lines where the course has them, and each dosing session as a vertical
 * marker on the time axis. A screen reader hears the summary; the same scores are in a table under the chart.
 *
 * Drawn as plain SVG in percentages of the plot area (see trendChartModel) rather than with recharts: it needs
 * no measuring of its container, so it reads the same on a 390-px phone, renders on the server and in tests,
 * and text keeps its size at any width.
 */

const lineStyle: Record<TrendLineKind, { stroke: string; dash: string }> = {
  baseline: { stroke: 'var(--mantine-color-gray-7)', dash: '6 4' },
  response: { stroke: 'var(--mantine-color-blue-7)', dash: '4 4' },
  remission: { stroke: 'var(--mantine-color-teal-8)', dash: '2 3' },
  worsening: { stroke: 'var(--mantine-color-red-8)', dash: '8 3' },
};

const pct = (n: number) => `${n}%`;

export interface InstrumentTrendChartProps extends TrendChartInput {
  title: string;
  /** Under the title: what the chart shows, in the reader's words. */
  caption?: ReactNode;
  /** Extra column of the table alternative, per point (e.g. the clinician's phase of the course). */
  pointNotes?: readonly string[];
  markerName?: string;
  /** Height of the plot area in px. */
  height?: number;
}

function Plot({ model, height, shortName }: { model: TrendChartModel; height: number; shortName: string }) {
  const axis = 'var(--mantine-color-dimmed)';
  return (
    <Box style={{ display: 'grid', gridTemplateColumns: '32px 1fr', gridTemplateRows: `${height}px 20px` }}>
      <Box pos="relative" aria-hidden="true">
        {model.yTicks.map((tick) => (
          <Text
            key={tick.value}
            size="xs"
            c="dimmed"
            pos="absolute"
            right={6}
            top={pct(tick.y)}
            style={{ transform: 'translateY(-50%)', lineHeight: 1 }}
          >
            {tick.value}
          </Text>
        ))}
      </Box>
      <svg width="100%" height={height} aria-hidden="true" style={{ overflow: 'visible', display: 'block' }}>
        {model.bands.map((band) => (
          <rect
            key={band.id}
            className="trend-band"
            data-band={band.id}
            x="0"
            width="100%"
            y={pct(band.top)}
            height={pct(Math.max(0, band.bottom - band.top))}
            fill={`var(--mantine-color-${band.color}-2)`}
            fillOpacity={0.6}
          >
            <title>{`${band.label} ${band.min}–${band.max}`}</title>
          </rect>
        ))}
        <line x1="0" x2="100%" y1="100%" y2="100%" stroke={axis} />
        {model.markers.map((marker) => (
          <line
            key={`${marker.t}-${marker.label}`}
            className="trend-dose-marker"
            x1={pct(marker.x)}
            x2={pct(marker.x)}
            y1="0"
            y2="100%"
            stroke="var(--mantine-color-violet-6)"
            strokeWidth={1.5}
          >
            <title>{`${marker.date}${marker.label ? `: ${marker.label}` : ''}`}</title>
          </line>
        ))}
        {model.lines.map((line) => (
          <line
            key={line.kind}
            className={`trend-line trend-line-${line.kind}`}
            x1="0"
            x2="100%"
            y1={pct(line.y)}
            y2={pct(line.y)}
            stroke={lineStyle[line.kind].stroke}
            strokeDasharray={lineStyle[line.kind].dash}
            strokeWidth={1.5}
          >
            <title>{line.label}</title>
          </line>
        ))}
        {model.rows.slice(1).map((row, i) => (
          <line
            key={`segment-${row.t}-${row.total}`}
            className="trend-segment"
            x1={pct(model.rows[i]!.x)}
            y1={pct(model.rows[i]!.y)}
            x2={pct(row.x)}
            y2={pct(row.y)}
            stroke="var(--mantine-color-indigo-8)"
            strokeWidth={2.5}
          />
        ))}
        {model.rows.map((row) => (
          <circle
            key={`point-${row.t}-${row.total}`}
            className="trend-point"
            cx={pct(row.x)}
            cy={pct(row.y)}
            r={4.5}
            fill="var(--mantine-color-body)"
            stroke="var(--mantine-color-indigo-8)"
            strokeWidth={2.5}
          >
            <title>{`${shortName} ${row.total} on ${row.date}${row.bandLabel ? ` (${row.bandLabel})` : ''}`}</title>
          </circle>
        ))}
      </svg>
      <div />
      <Box pos="relative" aria-hidden="true">
        {model.xTicks.map((tick, i, all) => (
          <Text
            key={tick.label}
            size="xs"
            c="dimmed"
            pos="absolute"
            top={4}
            left={pct(tick.x)}
            // The first and last labels stay inside the plot: a phone has no margin to spare.
            style={{
              transform: `translateX(${i === 0 ? '0' : i === all.length - 1 ? '-100%' : '-50%'})`,
              whiteSpace: 'nowrap',
              lineHeight: 1,
            }}
          >
            {tick.label}
          </Text>
        ))}
      </Box>
    </Box>
  );
}

export function InstrumentTrendChart(props: InstrumentTrendChartProps) {
  const { title, caption, pointNotes, markerName = 'Dosing session', height = 220, ...input } = props;
  const model = trendChartModel(input);
  const headingId = `trend-${input.shortName.replace(/\W+/g, '-').toLowerCase()}`;
  const high = input.range.max;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline" gap="xs">
          <Title order={3} size="h4" id={headingId}>
            {title}
          </Title>
          {caption && (
            <Text size="xs" c="dimmed">
              {caption}
            </Text>
          )}
        </Group>
        {model.rows.length === 0 ? (
          <Text c="dimmed">No scores yet.</Text>
        ) : (
          <div role="img" aria-label={model.summary}>
            <Plot model={model} height={height} shortName={input.shortName} />
          </div>
        )}
        <Legend
          bands={model.bands}
          lines={model.lines}
          markers={model.markers.length}
          markerName={markerName}
        />
        {model.rows.length > 0 && (
          <details>
            {/* 12 px above and below the line: a 44-px target on a phone. */}
            <summary style={{ padding: '12px 0', cursor: 'pointer' }}>
              <Text span size="sm">
                Show the scores as a table
              </Text>
            </summary>
            <Table.ScrollContainer minWidth={320}>
              <Table striped verticalSpacing={4} aria-label={`${input.shortName} scores`}>
                <VisuallyHidden component="caption">{model.summary}</VisuallyHidden>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Date</Table.Th>
                    <Table.Th>Score</Table.Th>
                    <Table.Th>Range</Table.Th>
                    {pointNotes && <Table.Th>When</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {model.rows.map((row, i) => (
                    <Table.Tr key={`${row.t}-${row.total}`}>
                      <Table.Td>{row.date}</Table.Td>
                      <Table.Td>
                        {row.total} / {high}
                      </Table.Td>
                      <Table.Td>{row.bandLabel ?? '—'}</Table.Td>
                      {pointNotes && <Table.Td>{pointNotes[i] ?? ''}</Table.Td>}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {model.markers.length > 0 && (
              <Text size="sm" mt="xs">
                {markerName}s:{' '}
                {model.markers.map((m) => `${m.date}${m.label ? ` (${m.label})` : ''}`).join('; ')}
              </Text>
            )}
          </details>
        )}
      </Stack>
    </Paper>
  );
}

function Legend({
  bands,
  lines,
  markers,
  markerName,
}: {
  bands: TrendChartModel['bands'];
  lines: { kind: TrendLineKind; label: string }[];
  markers: number;
  markerName: string;
}) {
  if (bands.length === 0 && lines.length === 0 && markers === 0) return null;
  return (
    <Group gap="md" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Legend">
      {bands.map((band) => (
        <Group key={band.id} component="li" gap={6} wrap="nowrap">
          <svg width="12" height="12" aria-hidden="true">
            <rect width="12" height="12" rx="2" fill={`var(--mantine-color-${band.color}-2)`} />
          </svg>
          <Text size="xs">
            {band.label} {band.min}–{band.max}
          </Text>
        </Group>
      ))}
      {lines.map((line) => (
        <Group key={line.kind} component="li" gap={6} wrap="nowrap">
          <svg width="24" height="8" aria-hidden="true">
            <line
              x1="0"
              y1="4"
              x2="24"
              y2="4"
              stroke={lineStyle[line.kind].stroke}
              strokeDasharray={lineStyle[line.kind].dash}
              strokeWidth="2"
            />
          </svg>
          <Text size="xs">{line.label}</Text>
        </Group>
      ))}
      {markers > 0 && (
        <Group component="li" gap={6} wrap="nowrap">
          <svg width="8" height="14" aria-hidden="true">
            <line x1="4" y1="0" x2="4" y2="14" stroke="var(--mantine-color-violet-6)" strokeWidth="2" />
          </svg>
          <Text size="xs">
            {markerName} ({markers})
          </Text>
        </Group>
      )}
    </Group>
  );
}
