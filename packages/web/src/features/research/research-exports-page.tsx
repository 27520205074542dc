import { dateShiftRange, type InstrumentId, instruments, safeHarborIdentifiers } from '@kapstone/clinical';
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Center,
  Checkbox,
  Group,
  List,
  Loader,
  MultiSelect,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconDownload, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { isProblem, problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import {
  type ExportFormat,
  type ExportStatus,
  exportFileUrl,
  isBuilding,
  type ResearchExport,
  useCreateExport,
  useDeleteExportFiles,
  useResearchExports,
} from './research.api.ts';

const instrumentOptions = (Object.keys(instruments) as InstrumentId[])
  .filter((id) => instruments[id].totalRange)
  .map((id) => ({ value: id, label: `${instruments[id].shortName} — ${instruments[id].name}` }));

const statusLabel: Record<ExportStatus, { label: string; color: string }> = {
  queued: { label: 'Waiting to start', color: 'gray' },
  running: { label: 'Being built', color: 'blue' },
  ready: { label: 'Ready', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  'files-deleted': { label: 'Files deleted', color: 'gray' },
};

const fileLabels: Record<string, string> = {
  'patients.csv': 'Patients (CSV)',
  'observations.csv': 'Scores (CSV)',
  'sessions.csv': 'Dosing sessions (CSV)',
  'data-dictionary.csv': 'Data dictionary (CSV)',
  'bundle.ndjson': 'FHIR R4 bundle (NDJSON)',
};

function dayIn(timeZone: string, daysAgo = 0): string {
  const day = new Date(Date.now() - daysAgo * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(day);
}

/** Research exports: ask for one, follow its progress, download its files; what was removed, in plain words. */
export function ResearchExportsPage() {
  useDocumentTitle('Research exports');
  return (
    <Stack gap="lg">
      <Title order={1}>Research exports</Title>
      <Text c="dimmed" maw={760}>
        De-identified data of the patients who signed the research consent and have not withdrawn it. Nobody
        else is included. Every export, download and deletion is recorded in the audit trail.
      </Text>
      <WhatIsRemoved />
      <NewExportForm />
      <ExportList />
    </Stack>
  );
}

/** What the HIPAA Safe Harbor method removes and what Kapstone does instead, from @kapstone/clinical's list. */
export function WhatIsRemoved() {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="what-is-removed">
      <Title order={2} size="h4" id="what-is-removed">
        What is removed
      </Title>
      <List spacing={4} mt="xs" size="sm">
        <List.Item>
          No names, addresses (ZIP codes included), phone numbers, e-mail addresses, record numbers or any
          other identifier: each patient is a random research id, new in every export.
        </List.Item>
        <List.Item>
          No dates of birth, and no real dates: each event is given as days since the patient's first dose,
          and as a date moved by a random number of days for that patient ({dateShiftRange.minDays} to +
          {dateShiftRange.maxDays}, never 0, kept inside Kapstone). Use the days for analysis.
        </List.Item>
        <List.Item>
          Ages at the first dose in whole years; anyone older than 89, then or on a later exported day, is
          shown as "90+".
        </List.Item>
        <List.Item>
          No free text at all: no notes, reasons or descriptions, and never psychotherapy notes. Only scores,
          codes (LOINC, ICD-10-CM) and numbers.
        </List.Item>
      </List>
      <Accordion variant="contained" mt="sm">
        <Accordion.Item value="identifiers">
          <Accordion.Control>
            The 18 Safe Harbor identifiers (45 CFR 164.514(b)(2)) and what Kapstone does
          </Accordion.Control>
          <Accordion.Panel>
            <Table striped aria-label="Safe Harbor identifiers">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Identifier</Table.Th>
                  <Table.Th scope="col">In the export</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {safeHarborIdentifiers.map((identifier) => (
                  <Table.Tr key={identifier.paragraph}>
                    <Table.Td>
                      ({identifier.paragraph}) {identifier.identifier}
                    </Table.Td>
                    <Table.Td>{identifier.kapstone}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Paper>
  );
}

function NewExportForm() {
  const session = useSignedInSession();
  const create = useCreateExport();
  const [selected, setSelected] = useState<string[]>(['phq9', 'gad7']);
  const [from, setFrom] = useState(() => dayIn(session.clinic.timeZone, 365));
  const [to, setTo] = useState(() => dayIn(session.clinic.timeZone));
  const [formats, setFormats] = useState<ExportFormat[]>(['csv', 'ndjson']);
  const fieldErrors = isProblem(create.error, 400) ? create.error.fieldMessages() : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ instruments: selected, from, to, formats });
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="new-export">
      <Title order={2} size="h4" id="new-export">
        New export
      </Title>
      <Stack gap="sm" mt="xs" maw={640}>
        <MultiSelect
          label="Instruments"
          description="Their scores go into the export"
          data={instrumentOptions}
          value={selected}
          onChange={setSelected}
          error={fieldErrors.instruments}
          searchable
          required
        />
        <Group grow align="flex-start">
          <TextInput
            type="date"
            label="Data from"
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            error={fieldErrors.from}
            required
          />
          <TextInput
            type="date"
            label="Data to"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={fieldErrors.to}
            required
          />
        </Group>
        <Checkbox.Group
          label="Formats"
          value={formats}
          onChange={(value) => setFormats(value as ExportFormat[])}
          error={fieldErrors.formats}
        >
          <Group mt={4}>
            <Checkbox value="csv" label="CSV files with a data dictionary" />
            <Checkbox value="ndjson" label="FHIR R4 NDJSON" />
          </Group>
        </Checkbox.Group>
        {create.isError && !isProblem(create.error, 400) && (
          <Alert color="red" role="alert">
            {problemMessage(create.error)}
          </Alert>
        )}
        {create.isError && isProblem(create.error, 400) && Object.keys(fieldErrors).length === 0 && (
          <Alert color="red" role="alert">
            {problemMessage(create.error)}
          </Alert>
        )}
        <Group>
          <Button
            type="submit"
            loading={create.isPending}
            disabled={selected.length === 0 || formats.length === 0}
          >
            Start the export
          </Button>
          {create.isSuccess && (
            <Text size="sm" role="status">
              Export started; it appears below while it is built.
            </Text>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function ExportList() {
  const exports = useResearchExports();
  if (exports.isPending)
    return (
      <Center py="lg">
        <Loader aria-label="Loading research exports" />
      </Center>
    );
  if (exports.isError)
    return (
      <Alert color="red" role="alert">
        {problemMessage(exports.error)}
      </Alert>
    );
  return <ExportTable items={exports.data.items} />;
}

/** The clinic's exports with their progress and downloads. */
export function ExportTable({ items }: { items: ResearchExport[] }) {
  const session = useSignedInSession();
  const can = usePermissions();
  const remove = useDeleteExportFiles();
  const when = new Intl.DateTimeFormat('en-US', {
    timeZone: session.clinic.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  if (items.length === 0)
    return (
      <Text c="dimmed" role="status">
        No exports yet.
      </Text>
    );
  return (
    <Stack gap="sm" component="section" aria-label="Exports">
      <Title order={2} size="h4">
        Exports
      </Title>
      {remove.isError && (
        <Alert color="red" role="alert">
          {problemMessage(remove.error)}
        </Alert>
      )}
      {items.map((item) => {
        const status = statusLabel[item.status];
        return (
          <Paper
            key={item.id}
            withBorder
            p="md"
            aria-label={`Export of ${when.format(new Date(item.requestedAt))}`}
          >
            <Group justify="space-between" align="flex-start">
              <Stack gap={2}>
                <Text fw={600}>
                  {item.instruments.map((id) => instruments[id as InstrumentId]?.shortName ?? id).join(', ')}{' '}
                  · {item.from} to {item.to}
                </Text>
                <Text size="sm" c="dimmed">
                  Asked for by {item.requestedBy.displayName} on {when.format(new Date(item.requestedAt))}
                </Text>
              </Stack>
              <Badge color={status.color} variant="light">
                {status.label}
              </Badge>
            </Group>
            {isBuilding(item) && (
              <Progress
                mt="sm"
                value={item.progress}
                animated
                aria-label={`Export progress, ${item.progress}%`}
              />
            )}
            {item.status === 'failed' && (
              <Text size="sm" c="red" mt="xs">
                The export could not be built. Start a new one; if it fails again, tell your administrator.
              </Text>
            )}
            {item.patientCount !== null && (
              <Text size="sm" mt="xs">
                {item.patientCount} patient{item.patientCount === 1 ? '' : 's'}
                {item.rowCounts?.['observations.csv'] !== undefined &&
                  `, ${item.rowCounts['observations.csv']} scores`}
                {item.rowCounts?.['sessions.csv'] !== undefined &&
                  `, ${item.rowCounts['sessions.csv']} dosing sessions`}
              </Text>
            )}
            {item.files.length > 0 && (
              <Group gap="xs" mt="sm">
                {item.files.map((file) => (
                  <Button
                    key={file.name}
                    component="a"
                    href={exportFileUrl(item.id, file.name)}
                    download
                    size="xs"
                    variant="light"
                    leftSection={<IconDownload size={14} aria-hidden />}
                  >
                    {fileLabels[file.name] ?? file.name}
                  </Button>
                ))}
              </Group>
            )}
            {item.status === 'files-deleted' && item.filesDeletedAt && (
              <Text size="sm" c="dimmed" mt="xs">
                Files deleted on {when.format(new Date(item.filesDeletedAt))}; the record of the export stays.
              </Text>
            )}
            {item.status === 'ready' && can('research.export.delete') && (
              <Button
                mt="sm"
                size="xs"
                color="red"
                variant="subtle"
                leftSection={<IconTrash size={14} aria-hidden />}
                loading={remove.isPending && remove.variables === item.id}
                onClick={() => {
                  if (window.confirm('Delete the files of this export? The record of the export stays.'))
                    remove.mutate(item.id);
                }}
              >
                Delete the files
              </Button>
            )}
          </Paper>
        );
      })}
    </Stack>
  );
}
