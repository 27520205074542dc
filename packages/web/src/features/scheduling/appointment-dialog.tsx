import {
  Alert,
  Anchor,
  Badge,
  Button,
  Divider,
  Group,
  Modal,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { usePermissions } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import { messagesFor } from './booking-dialog.tsx';
import { formatTime } from './calendar-model.ts';
import {
  type Appointment,
  kindLabels,
  useAcknowledgeOnBehalf,
  useCancelAppointment,
  useCheckIn,
  useConfirmRideHome,
  usePreCheckIn,
} from './scheduling.api.ts';

/** The ride home and the no-driving acknowledgement of a dosing session: both are needed before check-in. */
function PreCheckInSection({ appointment, timeZone }: { appointment: Appointment; timeZone: string }) {
  const can = usePermissions();
  const state = usePreCheckIn(appointment.id);
  const confirm = useConfirmRideHome(appointment.id);
  const onBehalf = useAcknowledgeOnBehalf(appointment.id);
  const [escortName, setEscortName] = useState('');
  const [escortPhone, setEscortPhone] = useState('');
  const [escortRelationship, setEscortRelationship] = useState('');
  const manage = can('schedule.manage') && appointment.status === 'scheduled';
  const current = state.data?.rideHome[0] ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate(
      { clientId: clientId(), status: 'confirmed', escortName, escortPhone, escortRelationship },
      {
        onSuccess: () => {
          setEscortName('');
          setEscortPhone('');
          setEscortRelationship('');
        },
      },
    );
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="pre-check-in-title">
      <Title order={3} size="h5" id="pre-check-in-title">
        Before check-in
      </Title>
      {state.isError && (
        <Alert color="red" role="alert">
          {problemMessage(state.error)}
        </Alert>
      )}
      <Group gap="xs">
        <Badge color={state.data?.rideHomeConfirmed ? 'green' : 'red'} variant="light">
          {state.data?.rideHomeConfirmed ? 'Ride home confirmed' : 'Ride home not confirmed'}
        </Badge>
        <Badge color={state.data?.noDrivingAcknowledged ? 'green' : 'red'} variant="light">
          {state.data?.noDrivingAcknowledged ? 'No-driving acknowledged' : 'No-driving not acknowledged'}
        </Badge>
      </Group>
      {current && (
        <Text size="sm">
          {current.status === 'confirmed'
            ? `${current.escortName} (${current.escortRelationship}), ${current.escortPhone}: confirmed by ${current.confirmedBy.displayName}, ${formatInstant(current.confirmedAt, timeZone)}.`
            : `The escort was withdrawn by ${current.confirmedBy.displayName}, ${formatInstant(current.confirmedAt, timeZone)}.`}
        </Text>
      )}
      {state.data?.noDriving && (
        <Text size="sm">
          Acknowledged{' '}
          {state.data.noDriving.via === 'portal'
            ? 'by the patient in the portal'
            : `on the patient’s behalf by ${state.data.noDriving.recordedBy.displayName}`}
          , {formatInstant(state.data.noDriving.acknowledgedAt, timeZone)}.
        </Text>
      )}
      {manage && (
        <form onSubmit={submit} noValidate aria-label="Ride home">
          <Stack gap="xs">
            {confirm.isError && (
              <Alert color="red" role="alert">
                {problemMessage(confirm.error)}
              </Alert>
            )}
            <Group grow align="flex-start">
              <TextInput
                label="Escort’s name"
                required
                value={escortName}
                onChange={(e) => setEscortName(e.currentTarget.value)}
                error={messagesFor(confirm.error, 'escortName').join(' ') || undefined}
              />
              <TextInput
                label="Escort’s phone"
                required
                type="tel"
                value={escortPhone}
                onChange={(e) => setEscortPhone(e.currentTarget.value)}
                error={messagesFor(confirm.error, 'escortPhone').join(' ') || undefined}
              />
              <TextInput
                label="Relationship"
                required
                value={escortRelationship}
                onChange={(e) => setEscortRelationship(e.currentTarget.value)}
                error={messagesFor(confirm.error, 'escortRelationship').join(' ') || undefined}
              />
            </Group>
            <Group>
              <Button type="submit" size="sm" loading={confirm.isPending}>
                Confirm ride home
              </Button>
              {state.data?.rideHomeConfirmed && (
                <Button
                  size="sm"
                  variant="default"
                  onClick={() => confirm.mutate({ clientId: clientId(), status: 'withdrawn' })}
                >
                  Escort fell through
                </Button>
              )}
              {!state.data?.noDrivingAcknowledged && (
                <Button
                  size="sm"
                  variant="light"
                  loading={onBehalf.isPending}
                  onClick={() => onBehalf.mutate()}
                >
                  Record no-driving acknowledgement for the patient
                </Button>
              )}
            </Group>
            {onBehalf.isError && (
              <Alert color="red" role="alert">
                {problemMessage(onBehalf.error)}
              </Alert>
            )}
            <Text size="xs" c="dimmed">
              Read the statement to the patient first: “{state.data?.statement}”
            </Text>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/**
 * Check-in at the front desk: the dosing session starts here; the nurse runs the pre-dose checks at the chair.
 * Whoever may also read the session (nurse, prescriber) gets a link to it.
 */
function CheckInSection({ appointment, timeZone }: { appointment: Appointment; timeZone: string }) {
  const can = usePermissions();
  const checkIn = useCheckIn(appointment.id);
  const checkedIn = checkIn.data;
  return (
    <Stack gap="xs" component="section" aria-labelledby="check-in-title">
      <Title order={3} size="h5" id="check-in-title">
        Arrival
      </Title>
      {checkedIn ? (
        <Text size="sm" role="status">
          Checked in at {formatInstant(checkedIn.checkedInAt, timeZone)}.
        </Text>
      ) : (
        <Group>
          <Button size="sm" loading={checkIn.isPending} onClick={() => checkIn.mutate()}>
            Check in patient
          </Button>
        </Group>
      )}
      {checkIn.isError && (
        <Alert color="red" role="alert">
          {problemMessage(checkIn.error)}
        </Alert>
      )}
      {checkedIn && can('session.read') && (
        <Anchor component={Link} to={`/sessions/${checkedIn.id}`}>
          Open the session
        </Anchor>
      )}
    </Stack>
  );
}

export function AppointmentDialog({
  appointment,
  timeZone,
  onClose,
}: {
  appointment: Appointment | null;
  timeZone: string;
  onClose: () => void;
}) {
  const can = usePermissions();
  const cancel = useCancelAppointment();
  const [reason, setReason] = useState('');
  if (!appointment) return null;
  return (
    <Modal opened onClose={onClose} title={kindLabels[appointment.kind]} size="lg">
      <Stack>
        <Text>
          <strong>{appointment.patient?.displayName ?? 'Patient'}</strong>
          {appointment.patient ? ` · MRN ${appointment.patient.mrn}` : ''}
        </Text>
        <Text>
          {formatInstant(appointment.startsAt, timeZone)} – {formatTime(appointment.endsAt, timeZone)}
          {appointment.roomName ? ` · ${appointment.roomName}` : ''}
        </Text>
        {appointment.staff.length > 0 && (
          <Text size="sm">{appointment.staff.map((s) => `${s.displayName} (${s.role})`).join(', ')}</Text>
        )}
        {appointment.note && <Text size="sm">Note: {appointment.note}</Text>}
        {appointment.status === 'cancelled' && (
          <Alert color="gray">
            Cancelled{appointment.cancelReason ? `: ${appointment.cancelReason}` : ''}
          </Alert>
        )}
        {can('patient.read') && (
          <Anchor component={Link} to={`/patients/${appointment.patientId}`}>
            Open the chart
          </Anchor>
        )}
        {appointment.kind === 'dosing' && appointment.status === 'scheduled' && (
          <>
            <Divider />
            <PreCheckInSection appointment={appointment} timeZone={timeZone} />
            {can('session.check-in') && <CheckInSection appointment={appointment} timeZone={timeZone} />}
          </>
        )}
        {can('schedule.manage') && appointment.status === 'scheduled' && (
          <>
            <Divider />
            <Group align="flex-end">
              <TextInput
                label="Reason for cancelling"
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                style={{ flex: 1 }}
                error={messagesFor(cancel.error, 'reason').join(' ') || undefined}
              />
              <Button
                color="red"
                variant="light"
                loading={cancel.isPending}
                onClick={() => cancel.mutate({ id: appointment.id, reason }, { onSuccess: onClose })}
              >
                Cancel appointment
              </Button>
            </Group>
            {cancel.isError && !messagesFor(cancel.error, 'reason').length && (
              <Alert color="red" role="alert">
                {problemMessage(cancel.error)}
              </Alert>
            )}
          </>
        )}
      </Stack>
    </Modal>
  );
}
