import { ageBands, instruments } from '@kapstone/clinical';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  List,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { emptyFilters, type OutcomeFilters, type OutcomesView, useOutcomes } from './outcomes.api.ts';
import { DurabilityBars, WeeklyCharts } from './outcomes-charts.tsx';
import { type CellText, countText, meanText, rateText } from './outcomes-format.ts';

const instrumentOptions = (['phq9', 'gad7', 'madrs', 'qids-sr16', 'pcl5'] as const).map((id) => ({
  value: id,
  label: instruments[id].shortName,
}));
const routeOptions = [
  { value: 'im', label: 'Intramuscular (IM)' },
  { value: 'sublingual', label: 'Sublingual' },
  { value: 'iv', label: 'Intravenous (IV)' },
  { value: 'intranasal', label: 'Intranasal' },
  { value: 'oral', label: 'Oral' },
];
const protocolOptions = [
  { value: 'kap-im', label: 'KAP, IM' },
  { value: 'kap-sublingual', label: 'KAP, sublingual' },
  { value: 'iv-series', label: 'IV series' },
  { value: 'spravato-trd', label: 'SPRAVATO, treatment-resistant depression' },
  { value: 'spravato-mdd-si', label: 'SPRAVATO, MDD with suicidal ideation' },
];
const bandLabel = (id: string) =>
  id === 'under-18' ? 'Under 18' : id === '75+' ? '75 and over' : id.replace('-', '–');
const sexLabels = { female: 'Female', male: 'Male', intersex: 'Intersex', unknown: 'Not recorded' } as const;
/** "1 month", "3 months". */
export const monthsText = (months: number) => `${months} ${months === 1 ? 'month' : 'months'}`;

function FilterBar({ value, onChange }: { value: OutcomeFilters; onChange: (next: OutcomeFilters) => void }) {
  const set =
    <K extends keyof OutcomeFilters>(key: K) =>
    (next: OutcomeFilters[K] | null) =>
      onChange({ ...value, [key]: next ?? '' });
  return (
    <Card withBorder component="form" aria-label="Cohort filters" onSubmit={(e) => e.preventDefault()}>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
        <Select
          label="Instrument"
          data={instrumentOptions}
          value={value.instrument}
          allowDeselect={false}
          onChange={(v) => v && onChange({ ...value, instrument: v as OutcomeFilters['instrument'] })}
        />
        <TextInput
          label="Indication (ICD-10-CM)"
          description="A code or category: F33.2, F33"
          placeholder="Any"
          value={value.indication}
          onChange={(e) => set('indication')(e.currentTarget.value.trim())}
        />
        <Select
          label="Route"
          placeholder="Any"
          clearable
          data={routeOptions}
          value={value.route || null}
          onChange={set('route')}
        />
        <Select
          label="Protocol"
          placeholder="Any"
          clearable
          data={protocolOptions}
          value={value.protocol || null}
          onChange={set('protocol')}
        />
        <Select
          label="Age band (at first dose)"
          placeholder="Any"
          clearable
          data={ageBands.map((b) => ({ value: b.id, label: bandLabel(b.id) }))}
          value={value.ageBand || null}
          onChange={(v) => set('ageBand')((v ?? '') as OutcomeFilters['ageBand'])}
        />
        <Select
          label="Sex at birth"
          placeholder="Any"
          clearable
          data={Object.entries(sexLabels).map(([v, label]) => ({ value: v, label }))}
          value={value.sex || null}
          onChange={(v) => set('sex')((v ?? '') as OutcomeFilters['sex'])}
        />
        <TextInput
          type="date"
          label="First dose from"
          value={value.from}
          onChange={(e) => set('from')(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label="First dose to"
          value={value.to}
          onChange={(e) => set('to')(e.currentTarget.value)}
        />
      </SimpleGrid>
      <Group justify="flex-end" mt="sm">
        <Button variant="subtle" onClick={() => onChange(emptyFilters)}>
          Clear filters
        </Button>
      </Group>
    </Card>
  );
}

function Row({ label, cell, indent = false }: { label: string; cell: CellText; indent?: boolean }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={indent ? 400 : 500} pl={indent ? 'lg' : undefined}>
        {label}
      </Table.Th>
      <Table.Td>{cell.value}</Table.Td>
      <Table.Td>{cell.n}</Table.Td>
    </Table.Tr>
  );
}

/** The cohort table in the shape of Dore et al. 2019: every figure with the n it rests on. */
export function CohortTable({ view }: { view: OutcomesView }) {
  const s = view.summary!;
  const name = view.instrument.shortName;
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table aria-label={`Cohort outcomes, ${name}`} withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Measure</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th>n</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Row label="Patients (N)" cell={countText(s.n, { suppressed: false, n: 0 })} />
          <Row label="Age at first dose, mean (SD)" cell={meanText(s.age)} />
          {(['female', 'male', 'intersex', 'unknown'] as const).map((sex) => (
            <Row
              key={sex}
              indent
              label={`Sex: ${sexLabels[sex].toLowerCase()}`}
              cell={countText(s.sex[sex], s.n)}
            />
          ))}
          {s.ageBands
            .filter((b) => b.count.suppressed || b.count.n > 0)
            .map((b) => (
              <Row key={b.band} indent label={`Age ${bandLabel(b.band)}`} cell={countText(b.count, s.n)} />
            ))}
          <Row label={`Baseline ${name}, mean (SD)`} cell={meanText(s.baseline)} />
          <Row label={`End of course ${name}, mean (SD)`} cell={meanText(s.endOfCourse)} />
          <Row label="Change from baseline, mean (SD)" cell={meanText(s.change)} />
          <Row
            label="Response"
            cell={
              s.criteria.response
                ? rateText(s.response)
                : { value: 'No criterion for this instrument', n: '—' }
            }
          />
          <Row
            label="Remission"
            cell={
              s.criteria.remission
                ? rateText(s.remission)
                : { value: 'No criterion for this instrument', n: '—' }
            }
          />
          {s.followUps.map((f) => (
            <Row
              key={`m${f.months}`}
              label={`${f.months}-month follow-up ${name}, mean (SD)`}
              cell={meanText(f.score)}
            />
          ))}
          {s.followUps.map((f) => (
            <Row
              key={`d${f.months}`}
              label={`Still responding at ${monthsText(f.months)}`}
              cell={rateText(f.durability)}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Definitions({ view }: { view: OutcomesView }) {
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">
        Definitions and sources
      </Title>
      <List size="sm" spacing={6}>
        {view.notes.map((note) => (
          <List.Item key={note.id}>
            {note.title}.{' '}
            <Text span c="dimmed" size="sm">
              {note.citation.source} ({note.citation.section}
              {note.citation.evidence === 'unconfirmed' ? ', not a published standard' : ''}).
            </Text>
          </List.Item>
        ))}
      </List>
      <Text size="xs" c="dimmed" mt="xs">
        Each patient counts once, with their first course matching the filters. A patient without a value is
        left out of that row only, so each row gives its own n. SD is the sample standard deviation.{' '}
        <Anchor
          href="https://doi.org/10.1080/02791072.2019.1587556"
          target="_blank"
          rel="noreferrer"
          size="xs"
        >
          Dore et al. 2019
        </Anchor>
      </Text>
    </Card>
  );
}

/** What the page shows for one answer of the server (kept apart from the fetching, for the tests). */
export function OutcomesReport({ view }: { view: OutcomesView }) {
  const range = instruments[view.instrument.id].totalRange;
  return (
    <Stack gap="md">
      {view.suppression.notice && (
        <Alert
          color={view.withheld ? 'yellow' : 'blue'}
          title={view.withheld ? 'No figures yet' : 'Small cells'}
        >
          {view.suppression.notice}
        </Alert>
      )}
      {view.summary && view.weekly && (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <Card withBorder>
            <Title order={3} size="h5" mb="xs">
              {view.instrument.name}
            </Title>
            <CohortTable view={view} />
          </Card>
          <Stack gap="md">
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">
                Over the course
              </Title>
              <WeeklyCharts weekly={view.weekly} instrument={view.instrument} scaleMax={range?.max ?? 27} />
            </Card>
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">
                Durability: end-of-course responders still responding
              </Title>
              <DurabilityBars followUps={view.summary.followUps} />
            </Card>
          </Stack>
        </SimpleGrid>
      )}
      <Definitions view={view} />
    </Stack>
  );
}

export function OutcomesPage() {
  useDocumentTitle('Practice outcomes');
  const [filters, setFilters] = useState<OutcomeFilters>(emptyFilters);
  const outcomes = useOutcomes(filters);
  return (
    <Stack gap="md">
      <div>
        <Title order={2}>Practice outcomes</Title>
        <Text c="dimmed" size="sm">
          Aggregates of the clinic’s courses only: no patient is named here.
        </Text>
      </div>
      <FilterBar value={filters} onChange={setFilters} />
      {outcomes.isPending && <Loader aria-label="Loading outcomes" />}
      {outcomes.isError && (
        <Alert color="red" title="Could not load the outcomes" role="alert">
          {problemMessage(outcomes.error)}
        </Alert>
      )}
      {outcomes.data && <OutcomesReport view={outcomes.data} />}
    </Stack>
  );
}
