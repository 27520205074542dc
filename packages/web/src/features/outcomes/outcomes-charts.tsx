import type { RateCell, WeeklyPoint } from '@kapstone/clinical';
import { Group, Progress, Stack, Table, Text } from '@mantine/core';
import type { OutcomesView } from './outcomes.api.ts';
import { meanText, rateText, shareOf } from './outcomes-format.ts';

const width = 640;
const height = 220;
const pad = { left: 40, right: 16, top: 16, bottom: 36 };

interface Series {
  key: string;
  label: string;
  color: string;
  points: { week: number; value: number }[];
}

/**
 * A small line chart in plain SVG (it renders on the server and in tests, unlike a measured container):
 * weeks on the x axis, one polyline per series, each point labelled with its n underneath the axis.
 */
function LineChart({
  series,
  weeks,
  yMax,
  yLabel,
  title,
  counts,
}: {
  series: Series[];
  weeks: number[];
  yMax: number;
  yLabel: string;
  title: string;
  counts: Map<number, string>;
}) {
  const lastWeek = Math.max(1, ...weeks);
  const x = (week: number) => pad.left + (week / lastWeek) * (width - pad.left - pad.right);
  const y = (value: number) => pad.top + (1 - value / yMax) * (height - pad.top - pad.bottom);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={title}
      style={{ maxWidth: width, display: 'block' }}
    >
      <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="#adb5bd" />
      <line x1={pad.left} x2={pad.left} y1={y(0)} y2={y(yMax)} stroke="#adb5bd" />
      {[0, yMax / 2, yMax].map((tick) => (
        <text key={tick} x={pad.left - 6} y={y(tick) + 4} fontSize="11" textAnchor="end" fill="#495057">
          {Math.round(tick)}
        </text>
      ))}
      <text x={12} y={pad.top + 4} fontSize="11" fill="#495057">
        {yLabel}
      </text>
      {weeks.map((week) => (
        <g key={week} className="outcomes-week-tick">
          <text x={x(week)} y={height - 20} fontSize="11" textAnchor="middle" fill="#495057">
            {week === 0 ? 'Base' : `W${week}`}
          </text>
          <text x={x(week)} y={height - 6} fontSize="10" textAnchor="middle" fill="#868e96">
            n {counts.get(week) ?? '—'}
          </text>
        </g>
      ))}
      {series.map((s) => (
        <g key={s.key} data-series={s.key}>
          {s.points.length > 1 && (
            <polyline
              className="outcomes-line"
              fill="none"
              stroke={s.color}
              strokeWidth={2}
              points={s.points.map((p) => `${x(p.week)},${y(p.value)}`).join(' ')}
            />
          )}
          {s.points.map((p) => (
            <circle
              key={p.week}
              className="outcomes-point"
              cx={x(p.week)}
              cy={y(p.value)}
              r={3.5}
              fill={s.color}
            >
              <title>{`${s.label}, ${p.week === 0 ? 'baseline' : `week ${p.week}`}: ${p.value}`}</title>
            </circle>
          ))}
        </g>
      ))}
    </svg>
  );
}

function Legend({ items }: { items: { label: string; color: string }[] }) {
  return (
    <Group gap="md">
      {items.map((item) => (
        <Group key={item.label} gap={6}>
          <svg width="14" height="4" aria-hidden>
            <rect width="14" height="4" fill={item.color} />
          </svg>
          <Text size="sm">{item.label}</Text>
        </Group>
      ))}
    </Group>
  );
}

const rateSeries = (weekly: WeeklyPoint[], pick: (p: WeeklyPoint) => RateCell) =>
  weekly.flatMap((p) => {
    const share = p.week === 0 ? null : shareOf(pick(p));
    return share === null ? [] : [{ week: p.week, value: share }];
  });

/** Mean score by week since the first dose, and the shares meeting response and remission, with n per week. */
export function WeeklyCharts({
  weekly,
  instrument,
  scaleMax,
}: {
  weekly: WeeklyPoint[];
  instrument: OutcomesView['instrument'];
  scaleMax: number;
}) {
  if (weekly.length === 0) return <Text c="dimmed">No scores in the course weeks for this cohort.</Text>;
  const weeks = weekly.map((p) => p.week);
  const counts = new Map(
    weekly.map((p) => [p.week, p.score.suppressed ? `<${p.score.fewerThan}` : String(p.score.n)]),
  );
  const means = weekly.flatMap((p) =>
    p.score.suppressed || p.score.mean === null ? [] : [{ week: p.week, value: p.score.mean }],
  );
  return (
    <Stack gap="sm">
      <LineChart
        title={`Mean ${instrument.shortName} by week since the first dose`}
        yLabel={instrument.shortName}
        yMax={scaleMax}
        weeks={weeks}
        counts={counts}
        series={[{ key: 'mean', label: `Mean ${instrument.shortName}`, color: '#1c7ed6', points: means }]}
      />
      <LineChart
        title="Share meeting response and remission by week since the first dose"
        yLabel="%"
        yMax={100}
        weeks={weeks}
        counts={counts}
        series={[
          {
            key: 'response',
            label: 'Response',
            color: '#2b8a3e',
            points: rateSeries(weekly, (p) => p.response),
          },
          {
            key: 'remission',
            label: 'Remission',
            color: '#e67700',
            points: rateSeries(weekly, (p) => p.remission),
          },
        ]}
      />
      <Legend
        items={[
          { label: `Mean ${instrument.shortName}`, color: '#1c7ed6' },
          { label: 'Response %', color: '#2b8a3e' },
          { label: 'Remission %', color: '#e67700' },
        ]}
      />
      <Table.ScrollContainer minWidth={480}>
        <Table striped aria-label="Weekly figures" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Week</Table.Th>
              <Table.Th>n</Table.Th>
              <Table.Th>Mean (SD)</Table.Th>
              <Table.Th>Response</Table.Th>
              <Table.Th>Remission</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {weekly.map((p) => (
              <Table.Tr key={p.week}>
                <Table.Td>{p.week === 0 ? 'Baseline' : p.week}</Table.Td>
                <Table.Td>{meanText(p.score).n}</Table.Td>
                <Table.Td>{meanText(p.score).value}</Table.Td>
                <Table.Td>{p.week === 0 ? '—' : rateText(p.response).value}</Table.Td>
                <Table.Td>{p.week === 0 ? '—' : rateText(p.remission).value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** One bar per follow-up: the share of end-of-course responders still meeting response, with its n. */
export function DurabilityBars({
  followUps,
}: {
  followUps: NonNullable<OutcomesView['summary']>['followUps'];
}) {
  return (
    <Stack gap="sm" aria-label="Durability of response">
      {followUps.map((f) => {
        const share = shareOf(f.durability);
        const text = rateText(f.durability);
        return (
          <div key={f.months} className="outcomes-durability">
            <Group justify="space-between" gap="xs">
              <Text size="sm" fw={500}>
                {f.months} {f.months === 1 ? 'month' : 'months'}
              </Text>
              <Text size="sm">
                {text.value}
                {f.durability.suppressed ? '' : `, n ${text.n}`}
              </Text>
            </Group>
            <Progress
              value={share ?? 0}
              color={share === null ? 'gray' : 'teal'}
              size="lg"
              aria-label={`Still responding at ${f.months} ${f.months === 1 ? 'month' : 'months'}: ${text.value}`}
            />
          </div>
        );
      })}
    </Stack>
  );
}
