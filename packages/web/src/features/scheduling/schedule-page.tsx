import {
  Alert,
  Badge,
  Box,
  Button,
  Group,
  Loader,
  Paper,
  ScrollArea,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useState } from 'react';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { AppointmentDialog } from './appointment-dialog.tsx';
import { type BookingDefaults, BookingDialog } from './booking-dialog.tsx';
import { CalendarFeedDialog } from './calendar-feed-dialog.tsx';
import {
  addDays,
  type CalendarView,
  formatDay,
  formatShortDay,
  formatTime,
  hhmm,
  localParts,
  placeOnDay,
  viewRange,
} from './calendar-model.ts';
import { CourseBookingLauncher } from './course-booking-page.tsx';
import {
  type Appointment,
  kindLabels,
  useAppointments,
  useBookableStaff,
  useRooms,
} from './scheduling.api.ts';
import { WorkingHoursDialog } from './working-hours-dialog.tsx';

const visible = { fromMinutes: 7 * 60, toMinutes: 21 * 60 };
const pxPerMinute = 1;
const kindColors: Record<string, string> = {
  dosing: 'grape',
  preparation: 'blue',
  integration: 'teal',
  screening: 'gray',
  'follow-up': 'orange',
};

function describe(a: Appointment, timeZone: string): string {
  return `${kindLabels[a.kind]}, ${a.patient?.displayName ?? 'patient'}, ${formatTime(a.startsAt, timeZone)} to ${formatTime(a.endsAt, timeZone)}${a.roomName ? `, ${a.roomName}` : ''}${a.status === 'cancelled' ? ', cancelled' : ''}`;
}

function PreCheckInBadges({ a }: { a: Appointment }) {
  if (a.kind !== 'dosing') return null;
  return (
    <Group gap={2}>
      <Badge size="xs" color={a.rideHomeConfirmed ? 'green' : 'red'} variant="filled">
        {a.rideHomeConfirmed ? 'ride ✓' : 'no ride'}
      </Badge>
      <Badge size="xs" color={a.noDrivingAcknowledged ? 'green' : 'red'} variant="filled">
        {a.noDrivingAcknowledged ? 'no-drive ✓' : 'no-drive ?'}
      </Badge>
    </Group>
  );
}

/** One day as a time grid, one column per room or staff member. */
function DayGrid({
  day,
  columns,
  appointments,
  by,
  timeZone,
  onOpen,
}: {
  day: string;
  columns: { id: string; label: string }[];
  appointments: Appointment[];
  by: 'room' | 'staff';
  timeZone: string;
  onOpen: (a: Appointment) => void;
}) {
  const placed = placeOnDay(
    appointments,
    day,
    by,
    columns.map((c) => c.id),
    timeZone,
    visible,
  );
  const height = (visible.toMinutes - visible.fromMinutes) * pxPerMinute;
  const hours = Array.from(
    { length: (visible.toMinutes - visible.fromMinutes) / 60 },
    (_, i) => visible.fromMinutes + i * 60,
  );
  return (
    <ScrollArea>
      <Box
        style={{
          display: 'grid',
          gridTemplateColumns: `64px repeat(${Math.max(columns.length, 1)}, minmax(160px, 1fr))`,
        }}
      >
        <div />
        {columns.map((c) => (
          <Text
            key={c.id}
            fw={600}
            size="sm"
            p={4}
            ta="center"
            style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
          >
            {c.label}
          </Text>
        ))}
        <Box style={{ position: 'relative', height }} aria-hidden>
          {hours.map((m) => (
            <Text
              key={m}
              size="xs"
              c="dimmed"
              style={{ position: 'absolute', top: (m - visible.fromMinutes) * pxPerMinute }}
            >
              {hhmm(m)}
            </Text>
          ))}
        </Box>
        {columns.map((c) => (
          <Box
            key={c.id}
            component="ul"
            aria-label={`${c.label}, ${formatDay(day)}`}
            style={{
              position: 'relative',
              height,
              margin: 0,
              padding: 0,
              listStyle: 'none',
              borderLeft: '1px solid var(--mantine-color-gray-3)',
              backgroundImage:
                'repeating-linear-gradient(to bottom, var(--mantine-color-gray-2) 0 1px, transparent 1px 60px)',
            }}
          >
            {(placed.get(c.id) ?? []).map(({ appointment: a, top, bottom }) => (
              <li
                key={a.id}
                style={{
                  position: 'absolute',
                  top: (top - visible.fromMinutes) * pxPerMinute,
                  height: (bottom - top) * pxPerMinute,
                  left: 2,
                  right: 2,
                }}
              >
                <UnstyledButton
                  onClick={() => onOpen(a)}
                  aria-label={describe(a, timeZone)}
                  style={{
                    width: '100%',
                    height: '100%',
                    overflow: 'hidden',
                    borderRadius: 4,
                    padding: 4,
                    background: `var(--mantine-color-${kindColors[a.kind]}-1)`,
                    borderLeft: `3px solid var(--mantine-color-${kindColors[a.kind]}-6)`,
                    opacity: a.status === 'cancelled' ? 0.5 : 1,
                  }}
                >
                  <Text size="xs" fw={600} lh={1.2}>
                    {formatTime(a.startsAt, timeZone)} {kindLabels[a.kind]}
                  </Text>
                  <Text size="xs" lh={1.2}>
                    {a.patient?.displayName}
                  </Text>
                  <PreCheckInBadges a={a} />
                </UnstyledButton>
              </li>
            ))}
          </Box>
        ))}
      </Box>
    </ScrollArea>
  );
}

/** A week as a table: a row per room or staff member, a cell per day with its appointments. */
function WeekTable({
  days,
  columns,
  appointments,
  by,
  timeZone,
  onOpen,
}: {
  days: string[];
  columns: { id: string; label: string }[];
  appointments: Appointment[];
  by: 'room' | 'staff';
  timeZone: string;
  onOpen: (a: Appointment) => void;
}) {
  const perDay = days.map((day) =>
    placeOnDay(
      appointments,
      day,
      by,
      columns.map((c) => c.id),
      timeZone,
      { fromMinutes: 0, toMinutes: 24 * 60 },
    ),
  );
  return (
    <ScrollArea>
      <Table withTableBorder withColumnBorders verticalSpacing="xs" miw={900}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{by === 'room' ? 'Room' : 'Staff'}</Table.Th>
            {days.map((d) => (
              <Table.Th key={d} scope="col">
                {formatShortDay(d)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {columns.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Th scope="row">{c.label}</Table.Th>
              {days.map((d, i) => (
                <Table.Td key={d} style={{ verticalAlign: 'top' }}>
                  <Stack gap={4}>
                    {(perDay[i]!.get(c.id) ?? []).map(({ appointment: a }) => (
                      <UnstyledButton
                        key={a.id}
                        onClick={() => onOpen(a)}
                        aria-label={describe(a, timeZone)}
                        style={{
                          borderRadius: 4,
                          padding: 4,
                          background: `var(--mantine-color-${kindColors[a.kind]}-1)`,
                          opacity: a.status === 'cancelled' ? 0.5 : 1,
                        }}
                      >
                        <Text size="xs" fw={600}>
                          {formatTime(a.startsAt, timeZone)} {kindLabels[a.kind]}
                        </Text>
                        <Text size="xs">{a.patient?.displayName}</Text>
                        <PreCheckInBadges a={a} />
                      </UnstyledButton>
                    ))}
                  </Stack>
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

export function SchedulePage() {
  useDocumentTitle('Schedule');
  const session = useSignedInSession();
  const can = usePermissions();
  const timeZone = session.clinic.timeZone;
  const today = localParts(new Date(), timeZone).date;
  const [view, setView] = useState<CalendarView>('day');
  const [by, setBy] = useState<'room' | 'staff'>('room');
  const [date, setDate] = useState(today);
  const [open, setOpen] = useState<Appointment | null>(null);
  const [booking, setBooking] = useState<BookingDefaults | null>(null);
  const [feedOpen, setFeedOpen] = useState(false);
  const [hoursOpen, setHoursOpen] = useState(false);
  const range = viewRange(view, date, timeZone);
  const appointments = useAppointments(range.from, range.to);
  const rooms = useRooms();
  const staff = useBookableStaff();
  const items = appointments.data?.items ?? [];
  const columns =
    by === 'room'
      ? (rooms.data?.items ?? []).filter((r) => r.active).map((r) => ({ id: r.id, label: r.name }))
      : (staff.data?.items ?? []).map((s) => ({ id: s.id, label: s.displayName }));
  const unplaced = by === 'room' ? items.filter((a) => !a.roomId) : items.filter((a) => a.staff.length === 0);
  const step = view === 'day' ? 1 : 7;
  const current = open ? (items.find((a) => a.id === open.id) ?? open) : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            Schedule
          </Title>
          <Text c="dimmed" size="sm" aria-live="polite">
            {view === 'day' ? formatDay(date) : `Week of ${formatDay(range.days[0]!)}`} · {timeZone}
          </Text>
        </div>
        <Group>
          <Button variant="default" onClick={() => setFeedOpen(true)}>
            Calendar feed
          </Button>
          {can('schedule.manage') && (
            <Button variant="default" onClick={() => setHoursOpen(true)}>
              Working hours
            </Button>
          )}
          {can('schedule.manage') && <CourseBookingLauncher />}
          {can('schedule.manage') && (
            <Button onClick={() => setBooking({ date, kind: 'preparation' })}>Book appointment</Button>
          )}
        </Group>
      </Group>
      <Group>
        <SegmentedControl
          aria-label="View"
          value={view}
          onChange={(v) => setView(v as CalendarView)}
          data={[
            { value: 'day', label: 'Day' },
            { value: 'week', label: 'Week' },
          ]}
        />
        <SegmentedControl
          aria-label="Columns"
          value={by}
          onChange={(v) => setBy(v as 'room' | 'staff')}
          data={[
            { value: 'room', label: 'By room' },
            { value: 'staff', label: 'By staff' },
          ]}
        />
        <Group gap="xs">
          <Button variant="default" onClick={() => setDate(addDays(date, -step))}>
            Previous
          </Button>
          <Button variant="default" onClick={() => setDate(today)}>
            Today
          </Button>
          <Button variant="default" onClick={() => setDate(addDays(date, step))}>
            Next
          </Button>
        </Group>
      </Group>
      {appointments.isError && (
        <Alert color="red" role="alert" title="The schedule could not be loaded">
          {problemMessage(appointments.error)}
        </Alert>
      )}
      {appointments.isPending ? (
        <Loader aria-label="Loading the schedule" />
      ) : (
        <Paper withBorder p="xs">
          {columns.length === 0 ? (
            <Text c="dimmed">
              {by === 'room' ? 'No rooms yet: an admin adds them.' : 'No bookable clinicians.'}
            </Text>
          ) : view === 'day' ? (
            <DayGrid
              day={date}
              columns={columns}
              appointments={items}
              by={by}
              timeZone={timeZone}
              onOpen={setOpen}
            />
          ) : (
            <WeekTable
              days={range.days}
              columns={columns}
              appointments={items}
              by={by}
              timeZone={timeZone}
              onOpen={setOpen}
            />
          )}
        </Paper>
      )}
      {unplaced.length > 0 && (
        <Stack gap={4} component="section" aria-labelledby="unplaced-title">
          <Title order={2} size="h5" id="unplaced-title">
            {by === 'room' ? 'Without a room' : 'Without staff'}
          </Title>
          {unplaced.map((a) => (
            <UnstyledButton key={a.id} onClick={() => setOpen(a)} aria-label={describe(a, timeZone)}>
              <Text size="sm">
                {formatShortDay(localParts(new Date(a.startsAt), timeZone).date)}{' '}
                {formatTime(a.startsAt, timeZone)} · {kindLabels[a.kind]} · {a.patient?.displayName}
              </Text>
            </UnstyledButton>
          ))}
        </Stack>
      )}
      {booking && (
        <BookingDialog opened onClose={() => setBooking(null)} timeZone={timeZone} defaults={booking} />
      )}
      <AppointmentDialog appointment={current} timeZone={timeZone} onClose={() => setOpen(null)} />
      <CalendarFeedDialog opened={feedOpen} onClose={() => setFeedOpen(false)} timeZone={timeZone} />
      {hoursOpen && <WorkingHoursDialog opened onClose={() => setHoursOpen(false)} timeZone={timeZone} />}
    </Stack>
  );
}
