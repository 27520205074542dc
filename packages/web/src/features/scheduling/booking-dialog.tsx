import { Alert, Button, Group, List, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, apiBase, problemMessage, request } from '../../api/client.ts';
import type { Page, PatientSummary } from '../../api/types.ts';
import { formatTime, parseHhmm, zonedInstant } from './calendar-model.ts';
import {
  type AppointmentKind,
  type BookedAppointment,
  type BookedRole,
  kindLabels,
  useAppointmentTypes,
  useBookAppointment,
  useBookableStaff,
  useRooms,
} from './scheduling.api.ts';

export interface BookingDefaults {
  patient?: { id: string; label: string } | null;
  kind?: AppointmentKind;
  date?: string;
  time?: string;
  endTime?: string;
  roomId?: string | null;
  staff?: { userId: string; role: BookedRole }[];
}

function usePatientOptions(search: string) {
  const q = search.trim();
  return useQuery({
    queryKey: ['schedule', 'patient-search', q],
    enabled: q.length >= 2,
    queryFn: ({ signal }) =>
      request<Page<PatientSummary>>(`${apiBase}/patients`, { query: { q, limit: 10 }, signal }),
    staleTime: 30_000,
  });
}

/** All messages the server gave for a field and its sub-fields (`staff`, `staff.0.role`). */
export function messagesFor(error: unknown, path: string): string[] {
  if (!(error instanceof ApiProblem)) return [];
  return error.fieldErrors
    .filter((e) => e.path === path || e.path.startsWith(`${path}.`))
    .map((e) => e.message);
}

const joined = (messages: string[]) => (messages.length ? messages.join(' ') : undefined);

/**
 * Books one appointment: patient, kind, room, staff and time (clinic time). The server checks everything
 * (double booking, working hours, the pathway for dosing, staffing): its messages appear next to the fields.
 */
export function BookingDialog({
  opened,
  onClose,
  timeZone,
  defaults,
}: {
  opened: boolean;
  onClose: () => void;
  timeZone: string;
  defaults: BookingDefaults;
}) {
  const rooms = useRooms();
  const staff = useBookableStaff();
  const types = useAppointmentTypes();
  const book = useBookAppointment();
  const [search, setSearch] = useState('');
  const [patient, setPatient] = useState<{ id: string; label: string } | null>(defaults.patient ?? null);
  const [kind, setKind] = useState<AppointmentKind>(defaults.kind ?? 'preparation');
  const [roomId, setRoomId] = useState<string | null>(defaults.roomId ?? null);
  const [date, setDate] = useState(defaults.date ?? '');
  const [time, setTime] = useState(defaults.time ?? '09:00');
  const [endTime, setEndTime] = useState(defaults.endTime ?? '');
  const [lead, setLead] = useState<string | null>(() => {
    const first = defaults.staff?.find((s) => s.role === 'prescriber' || s.role === 'nurse');
    return first ? `${first.userId}:${first.role}` : null;
  });
  const [therapist, setTherapist] = useState<string | null>(
    defaults.staff?.find((s) => s.role === 'therapist')?.userId ?? null,
  );
  const [monitor, setMonitor] = useState<string | null>(
    defaults.staff?.find((s) => s.role === 'monitor')?.userId ?? null,
  );
  const [note, setNote] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [booked, setBooked] = useState<BookedAppointment | null>(null);
  const options = usePatientOptions(search);

  const people = staff.data?.items ?? [];
  const leadOptions = people.flatMap((p) =>
    p.roles
      .filter((r) => r === 'prescriber' || r === 'nurse')
      .map((r) => ({ value: `${p.id}:${r}`, label: `${p.displayName} (${r})` })),
  );
  const therapistOptions = people
    .filter((p) => p.roles.includes('therapist'))
    .map((p) => ({ value: p.id, label: p.displayName }));
  const monitorOptions = people
    .filter((p) => p.roles.includes('nurse') || p.roles.includes('prescriber'))
    .map((p) => ({ value: p.id, label: p.displayName }));
  const patientOptions = [
    ...(patient ? [{ value: patient.id, label: patient.label }] : []),
    ...(options.data?.items ?? [])
      .filter((p) => p.id !== patient?.id)
      .map((p) => ({ value: p.id, label: `${p.preferredName ?? p.givenName} ${p.familyName} · ${p.mrn}` })),
  ];
  const lengthHint = types.data?.items
    .filter((t) => t.kind === kind)
    .map((t) =>
      t.kind === 'dosing'
        ? `${t.route}${t.product === 'esketamine' ? ' esketamine' : ''}: ${t.defaultMinutes ?? 'no default'}${t.minimumMinutes ? ` (at least ${t.minimumMinutes})` : ''}`
        : `${t.defaultMinutes ?? 'no default; give an end time'}`,
    )
    .join('; ');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setLocalError(null);
    const start = parseHhmm(time);
    const end = endTime ? parseHhmm(endTime) : null;
    if (!patient) return setLocalError('Choose a patient.');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || start === null)
      return setLocalError('Give a date and a start time.');
    if (endTime && end === null) return setLocalError('Give the end time as HH:MM, or leave it empty.');
    const chosen: { userId: string; role: BookedRole }[] = [];
    if (lead) {
      const [userId, role] = lead.split(':') as [string, BookedRole];
      chosen.push({ userId, role });
    }
    if (therapist) chosen.push({ userId: therapist, role: 'therapist' });
    if (monitor) chosen.push({ userId: monitor, role: 'monitor' });
    book.mutate(
      {
        patientId: patient.id,
        kind,
        roomId,
        startsAt: zonedInstant(date, start, timeZone).toISOString(),
        endsAt: end === null ? null : zonedInstant(date, end, timeZone).toISOString(),
        staff: chosen,
        note: note.trim() || null,
      },
      { onSuccess: (result) => setBooked(result) },
    );
  };

  const close = () => {
    setBooked(null);
    book.reset();
    onClose();
  };
  const error = book.error;
  const kindMessages = messagesFor(error, 'kind');

  return (
    <Modal opened={opened} onClose={close} title="Book an appointment" size="lg">
      {booked ? (
        <Stack>
          <Alert color="green" title="Booked" role="status">
            {kindLabels[booked.kind]} for {booked.patient?.displayName},{' '}
            {formatTime(booked.startsAt, timeZone)}–{formatTime(booked.endsAt, timeZone)}
            {booked.roomName ? `, ${booked.roomName}` : ''}.
          </Alert>
          {booked.warnings.length > 0 && (
            <Alert color="yellow" title="Please check">
              <List size="sm">
                {booked.warnings.map((w) => (
                  <List.Item key={w}>{w}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          {booked.kind === 'dosing' && (
            <Stack gap="xs">
              <Text fw={600}>Integration within the protocol’s window</Text>
              {booked.integrationProposals.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No free integration slot was found (or the protocol schedules none).
                </Text>
              ) : (
                booked.integrationProposals.map((p) => (
                  <Group key={p.startsAt} justify="space-between">
                    <Text size="sm">
                      {new Date(p.startsAt).toLocaleDateString('en-US', {
                        timeZone,
                        weekday: 'short',
                        month: 'short',
                        day: 'numeric',
                      })}{' '}
                      {formatTime(p.startsAt, timeZone)}–{formatTime(p.endsAt, timeZone)} with{' '}
                      {p.staff.map((s) => s.displayName).join(', ')}
                      {p.roomName ? ` in ${p.roomName}` : ''}
                    </Text>
                    <Button
                      size="xs"
                      variant="light"
                      loading={book.isPending}
                      onClick={() =>
                        book.mutate(
                          {
                            patientId: booked.patientId,
                            kind: 'integration',
                            roomId: p.roomId,
                            startsAt: p.startsAt,
                            endsAt: p.endsAt,
                            staff: p.staff.map((s) => ({ userId: s.userId, role: s.role })),
                          },
                          { onSuccess: (result) => setBooked(result) },
                        )
                      }
                    >
                      Book this integration
                    </Button>
                  </Group>
                ))
              )}
            </Stack>
          )}
          {error && (
            <Alert color="red" role="alert">
              {problemMessage(error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {(localError || (error && !(error instanceof ApiProblem && error.fieldErrors.length))) && (
              <Alert color="red" role="alert">
                {localError ?? problemMessage(error)}
              </Alert>
            )}
            <Select
              label="Patient"
              placeholder="Type a name or MRN"
              searchable
              required
              data={patientOptions}
              value={patient?.id ?? null}
              searchValue={search}
              onSearchChange={setSearch}
              onChange={(value) => {
                const option = patientOptions.find((o) => o.value === value);
                setPatient(option ? { id: option.value, label: option.label } : null);
              }}
              nothingFoundMessage={
                search.trim().length < 2 ? 'Type at least two letters' : 'No patient found'
              }
              error={joined(messagesFor(error, 'patientId'))}
            />
            <Select
              label="Appointment type"
              required
              data={Object.entries(kindLabels).map(([value, label]) => ({ value, label }))}
              value={kind}
              onChange={(value) => value && setKind(value as AppointmentKind)}
              allowDeselect={false}
              description={lengthHint ? `Default length, minutes: ${lengthHint}` : undefined}
              error={
                kindMessages.length ? (
                  // Announced when it appears: the refusal (e.g. the pathway gate) is why nothing was booked.
                  <div role="alert">
                    <List size="sm" spacing={2}>
                      {kindMessages.map((m) => (
                        <List.Item key={m}>{m}</List.Item>
                      ))}
                    </List>
                  </div>
                ) : undefined
              }
            />
            <Select
              label="Room"
              placeholder="No room"
              clearable
              data={(rooms.data?.items ?? [])
                .filter((r) => r.active)
                .map((r) => ({ value: r.id, label: `${r.name} (${r.kind.replace('-', ' ')})` }))}
              value={roomId}
              onChange={setRoomId}
              error={joined(messagesFor(error, 'roomId'))}
            />
            <Group grow align="flex-start">
              <Select
                label="Prescriber or nurse"
                clearable
                data={leadOptions}
                value={lead}
                onChange={setLead}
              />
              <Select
                label="Therapist"
                clearable
                data={therapistOptions}
                value={therapist}
                onChange={setTherapist}
              />
              <Select label="Monitor" clearable data={monitorOptions} value={monitor} onChange={setMonitor} />
            </Group>
            {messagesFor(error, 'staff').length > 0 && (
              <Text c="red" size="sm" role="alert">
                {messagesFor(error, 'staff').join(' ')}
              </Text>
            )}
            <Group grow align="flex-start">
              <TextInput
                type="date"
                label="Date"
                required
                value={date}
                onChange={(e) => setDate(e.currentTarget.value)}
              />
              <TextInput
                type="time"
                label="Start time"
                required
                value={time}
                onChange={(e) => setTime(e.currentTarget.value)}
                error={joined(messagesFor(error, 'startsAt'))}
              />
              <TextInput
                type="time"
                label="End time (optional)"
                value={endTime}
                onChange={(e) => setEndTime(e.currentTarget.value)}
                error={joined(messagesFor(error, 'endsAt'))}
              />
            </Group>
            <Text size="xs" c="dimmed">
              Times are in the clinic’s time zone ({timeZone}). Without an end time, the appointment gets its
              type’s default length.
            </Text>
            <Textarea
              label="Note for staff"
              autosize
              minRows={2}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={book.isPending}>
                Book appointment
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
