import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  List,
  Loader,
  Modal,
  NumberInput,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiProblem, apiBase, problemMessage, request } from '../../api/client.ts';
import type { Page, PatientSummary } from '../../api/types.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { formatShortDay, hhmm, localParts, parseHhmm, zonedInstant } from './calendar-model.ts';
import {
  type CourseProposalItem,
  kindLabels,
  useBookCourse,
  useCourseProposal,
  useRooms,
} from './scheduling.api.ts';

interface Row {
  item: CourseProposalItem;
  include: boolean;
  date: string;
  time: string;
  /** Length in minutes: the proposal's, or null (the server then books the type's default, or asks). */
  minutes: number | null;
  roomId: string | null;
}

function rowsOf(items: CourseProposalItem[], timeZone: string): Row[] {
  return items.map((item) => {
    const start = item.startsAt ? localParts(new Date(item.startsAt), timeZone) : null;
    const minutes =
      item.startsAt && item.endsAt ? (Date.parse(item.endsAt) - Date.parse(item.startsAt)) / 60_000 : null;
    return {
      item,
      include: item.startsAt !== null && item.bookedAppointmentId === null,
      date: start?.date ?? item.window.earliest,
      time: start ? hhmm(start.minutes) : '',
      minutes,
      roomId: item.roomId,
    };
  });
}

/**
 * Books the active plan's course in one step: the server proposes every appointment (dates in each
 * event's window, working hours, free rooms and staff); the front desk adjusts dates, times and rooms, then
 * books them all at once. A clash names the appointment and field, and nothing is booked.
 */
export function CourseBookingPage() {
  useDocumentTitle('Book course');
  const { patientId = '' } = useParams();
  const session = useSignedInSession();
  const timeZone = session.clinic.timeZone;
  const proposal = useCourseProposal(patientId);
  const book = useBookCourse(patientId);
  const rooms = useRooms();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  const load = () =>
    proposal.mutate(undefined, {
      onSuccess: (data) => {
        setRows(rowsOf(data.items, data.timeZone));
        book.reset();
      },
    });
  const update = (index: number, patch: Partial<Row>) =>
    setRows((current) => current?.map((r, i) => (i === index ? { ...r, ...patch } : r)) ?? null);

  const included = rows?.filter((r) => r.include) ?? [];
  const submit = () => {
    setLocalError(null);
    const items = [];
    for (const r of included) {
      const start = parseHhmm(r.time);
      if (start === null || !/^\d{4}-\d{2}-\d{2}$/.test(r.date)) {
        setLocalError(`Give a date and a start time for “${r.item.note}”.`);
        return;
      }
      const startsAt = zonedInstant(r.date, start, timeZone);
      items.push({
        kind: r.item.kind,
        startsAt: startsAt.toISOString(),
        endsAt: r.minutes === null ? null : new Date(startsAt.getTime() + r.minutes * 60_000).toISOString(),
        roomId: r.roomId,
        staff: r.item.staff.map((s) => ({ userId: s.userId, role: s.role })),
        note: r.item.note,
      });
    }
    book.mutate(items);
  };

  /** Server messages for included row `n` (the booking's items are the included rows, in order). */
  const errorsOf = (rowIndex: number, field?: string): string[] => {
    if (!(book.error instanceof ApiProblem) || !rows) return [];
    const n = rows.slice(0, rowIndex + 1).filter((r) => r.include).length - 1;
    if (!rows[rowIndex]!.include) return [];
    const prefix = `items.${n}`;
    return book.error.fieldErrors
      .filter((e) =>
        field
          ? e.path === `${prefix}.${field}` || e.path.startsWith(`${prefix}.${field}.`)
          : e.path === prefix || e.path.startsWith(`${prefix}.`),
      )
      .map((e) => e.message);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          Book the planned course
        </Title>
        <Anchor component={Link} to={`/patients/${patientId}`}>
          Back to the chart
        </Anchor>
      </Group>
      <Text c="dimmed" size="sm">
        Times are in the clinic’s time zone ({timeZone}). Nothing is booked until you press “Book course”.
      </Text>
      <Group>
        <Button onClick={load} loading={proposal.isPending} variant={rows ? 'default' : 'filled'}>
          {rows ? 'Propose again' : 'Propose course'}
        </Button>
      </Group>
      {proposal.isError && (
        <Alert color="red" role="alert">
          {problemMessage(proposal.error)}
        </Alert>
      )}
      {proposal.data && proposal.data.pathwayMissing.length > 0 && (
        <Alert color="yellow" title="Dosing cannot be booked yet" role="alert">
          <List size="sm">
            {proposal.data.pathwayMissing.map((m) => (
              <List.Item key={m.message}>{m.message}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {proposal.isPending && <Loader aria-label="Proposing the course" />}
      {book.isSuccess && (
        <Alert color="green" title="Course booked" role="status">
          {book.data.items.length} appointments were booked.
        </Alert>
      )}
      {(localError || book.isError) && (
        <Alert color="red" role="alert" title="Nothing was booked">
          {localError ?? problemMessage(book.error)}
        </Alert>
      )}
      {rows && rows.length > 0 && (
        <>
          <ScrollArea>
            <Table miw={900} verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Book</Table.Th>
                  <Table.Th scope="col">Appointment</Table.Th>
                  <Table.Th scope="col">Window</Table.Th>
                  <Table.Th scope="col">Date</Table.Th>
                  <Table.Th scope="col">Start</Table.Th>
                  <Table.Th scope="col">Minutes</Table.Th>
                  <Table.Th scope="col">Room</Table.Th>
                  <Table.Th scope="col">Staff</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r, i) => {
                  const rowErrors = errorsOf(i);
                  const label = `${kindLabels[r.item.kind]}: ${r.item.note}`;
                  return (
                    <Table.Tr
                      key={r.item.ref}
                      bg={rowErrors.length ? 'var(--mantine-color-red-0)' : undefined}
                    >
                      <Table.Td>
                        <Checkbox
                          aria-label={`Book ${label}`}
                          checked={r.include}
                          disabled={r.item.bookedAppointmentId !== null}
                          onChange={(e) => update(i, { include: e.currentTarget.checked })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {kindLabels[r.item.kind]}
                        </Text>
                        <Text size="xs">{r.item.note}</Text>
                        {r.item.bookedAppointmentId && (
                          <Text size="xs" c="green">
                            Already booked
                          </Text>
                        )}
                        {r.item.problem && (
                          <Text size="xs" c="orange">
                            {r.item.problem}
                          </Text>
                        )}
                        {rowErrors.length > 0 && (
                          <Text size="xs" c="red" role="alert">
                            {rowErrors.join(' ')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">
                          {formatShortDay(r.item.window.earliest)}
                          {r.item.window.latest !== r.item.window.earliest
                            ? ` – ${formatShortDay(r.item.window.latest)}`
                            : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          type="date"
                          aria-label={`Date of ${label}`}
                          value={r.date}
                          onChange={(e) => update(i, { date: e.currentTarget.value })}
                          error={errorsOf(i, 'startsAt').join(' ') || undefined}
                        />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          type="time"
                          aria-label={`Start time of ${label}`}
                          value={r.time}
                          onChange={(e) => update(i, { time: e.currentTarget.value })}
                          error={errorsOf(i, 'endsAt').join(' ') || undefined}
                        />
                      </Table.Td>
                      <Table.Td>
                        <NumberInput
                          aria-label={`Length in minutes of ${label}`}
                          w={90}
                          min={5}
                          max={720}
                          value={r.minutes ?? ''}
                          onChange={(value) =>
                            update(i, { minutes: typeof value === 'number' ? value : null })
                          }
                        />
                      </Table.Td>
                      <Table.Td>
                        <Select
                          w={190}
                          aria-label={`Room of ${label}`}
                          clearable
                          data={(rooms.data?.items ?? [])
                            .filter((x) => x.active)
                            .map((x) => ({ value: x.id, label: x.name }))}
                          value={r.roomId}
                          onChange={(value) => update(i, { roomId: value })}
                          error={errorsOf(i, 'roomId').join(' ') || undefined}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">
                          {r.item.staff.map((s) => `${s.displayName} (${s.role})`).join(', ') || '—'}
                        </Text>
                        {errorsOf(i, 'staff').length > 0 && (
                          <Text size="xs" c="red">
                            {errorsOf(i, 'staff').join(' ')}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Group justify="flex-end">
            <Text size="sm">{included.length} appointments selected</Text>
            <Button
              onClick={submit}
              loading={book.isPending}
              disabled={included.length === 0 || book.isSuccess}
            >
              Book course
            </Button>
          </Group>
        </>
      )}
      {rows && rows.length === 0 && proposal.data?.planId === null && (
        <Text c="dimmed">There is no active treatment plan to book yet.</Text>
      )}
    </Stack>
  );
}

/** "Book course" on the schedule: pick the patient, then go to their course booking. */
export function CourseBookingLauncher() {
  const [opened, setOpened] = useState(false);
  const [search, setSearch] = useState('');
  const navigate = useNavigate();
  const q = search.trim();
  const found = useQuery({
    queryKey: ['schedule', 'patient-search', q],
    enabled: opened && q.length >= 2,
    queryFn: ({ signal }) =>
      request<Page<PatientSummary>>(`${apiBase}/patients`, { query: { q, limit: 10 }, signal }),
  });
  return (
    <>
      <Button variant="default" onClick={() => setOpened(true)}>
        Book course
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Book a patient’s course">
        <Select
          label="Patient"
          placeholder="Type a name or MRN"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          data={(found.data?.items ?? []).map((p) => ({
            value: p.id,
            label: `${p.preferredName ?? p.givenName} ${p.familyName} · ${p.mrn}`,
          }))}
          nothingFoundMessage={q.length < 2 ? 'Type at least two letters' : 'No patient found'}
          onChange={(value) => value && navigate(`/patients/${value}/course-booking`)}
        />
      </Modal>
    </>
  );
}
