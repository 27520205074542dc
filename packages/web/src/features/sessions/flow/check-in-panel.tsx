import { Alert, Button, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { clientId } from '../../../api/client-id.ts';
import { usePermissions } from '../../auth/auth.api.ts';
import {
  useAcknowledgeOnBehalf,
  useConfirmRideHome,
  usePreCheckIn,
} from '../../scheduling/scheduling.api.ts';
import type { SessionView } from '../sessions.types.ts';
import { asFlow, useCheckIn } from './flow.api.ts';
import { FlowPanel, fieldErrors, StepProblem, touch, useClinicTime } from './flow-ui.tsx';

function Fact({ ok, children }: { ok: boolean; children: React.ReactNode }) {
  return (
    <List.Item
      icon={
        ok ? (
          <IconCheck size={22} color="var(--mantine-color-green-7)" aria-label="Done" />
        ) : (
          <IconX size={22} color="var(--mantine-color-red-7)" aria-label="Missing" />
        )
      }
    >
      {children}
    </List.Item>
  );
}

/** The escort who takes the patient home, recorded at the desk when the pre-check-in did not. */
function RideHomeForm({ appointmentId, onSaved }: { appointmentId: string; onSaved: () => void }) {
  const confirm = useConfirmRideHome(appointmentId);
  const [escortName, setEscortName] = useState('');
  const [escortPhone, setEscortPhone] = useState('');
  const [escortRelationship, setEscortRelationship] = useState('');
  const errors = fieldErrors({}, confirm.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate(
      { clientId: clientId(), status: 'confirmed', escortName, escortPhone, escortRelationship },
      { onSuccess: onSaved },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Confirm ride home">
      <Stack gap="sm">
        <Group grow align="flex-start" wrap="wrap">
          <TextInput
            size={touch}
            label="Escort’s name"
            value={escortName}
            error={errors.escortName}
            onChange={(e) => setEscortName(e.currentTarget.value)}
          />
          <TextInput
            size={touch}
            label="Escort’s phone"
            type="tel"
            value={escortPhone}
            error={errors.escortPhone}
            onChange={(e) => setEscortPhone(e.currentTarget.value)}
          />
          <TextInput
            size={touch}
            label="Relationship to the patient"
            value={escortRelationship}
            error={errors.escortRelationship}
            onChange={(e) => setEscortRelationship(e.currentTarget.value)}
          />
        </Group>
        <StepProblem
          error={confirm.error}
          title="Ride home not recorded"
          shownFields={['escortName', 'escortPhone', 'escortRelationship']}
        />
        <Group>
          <Button size={touch} type="submit" loading={confirm.isPending}>
            Confirm ride home
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Arrival: the ride home and the no-driving acknowledgement (from the pre-check-in, or recorded here), then
 * the check-in itself. Afterwards a one-line summary of who checked the patient in and when.
 */
export function CheckInPanel({ session }: { session: SessionView }) {
  const flow = asFlow(session);
  const can = usePermissions();
  const time = useClinicTime();
  const preCheckIn = usePreCheckIn(can('schedule.read') ? session.appointment.id : null);
  const acknowledge = useAcknowledgeOnBehalf(session.appointment.id);
  const checkIn = useCheckIn(session.id);
  const queryClient = useQueryClient();
  // The session view carries the same facts; it refreshes after a ride home or acknowledgement is recorded.
  const refreshSession = () => queryClient.invalidateQueries({ queryKey: ['sessions'] });
  const ride = preCheckIn.data?.rideHome.find((r) => r.status === 'confirmed') ?? null;
  const rideConfirmed = preCheckIn.data?.rideHomeConfirmed ?? flow.escort != null;
  const noDriving = preCheckIn.data?.noDrivingAcknowledged ?? flow.noDrivingAcknowledged ?? false;
  const escortName = ride?.escortName ?? flow.escort?.name ?? null;
  // Before the dose a missing ride home can still be recorded here: the pre-dose gate blocks without one.
  const canManage =
    can('schedule.manage') && (session.state === 'scheduled' || session.state === 'checked-in');
  const canCheckIn = can('session.check-in') && session.state === 'scheduled';
  const arrived = session.state !== 'scheduled';

  return (
    <FlowPanel
      id="check-in-panel"
      title="Check-in"
      status={
        arrived
          ? { label: `Checked in ${time(session.checkedInAt)}`, color: 'blue' }
          : { label: 'Not yet arrived', color: 'gray' }
      }
    >
      {arrived && (
        <Text>
          Checked in at {time(session.checkedInAt)}
          {flow.checkedInBy ? ` by ${flow.checkedInBy.displayName}` : ''}.
        </Text>
      )}
      {preCheckIn.isError && (
        <Alert color="red" role="alert" title="Ride home could not be loaded">
          The ride-home record is not available. Check it on the schedule before the dose.
        </Alert>
      )}
      <List spacing="xs" size="lg" aria-label="Before the dose">
        <Fact ok={rideConfirmed}>
          {rideConfirmed
            ? `Ride home: ${escortName ?? 'escort named'}${ride?.escortRelationship ? ` (${ride.escortRelationship})` : ''}${ride?.escortPhone ? `, ${ride.escortPhone}` : ''}`
            : 'Ride home not confirmed'}
        </Fact>
        <Fact ok={noDriving}>
          {noDriving
            ? 'No driving until the next day after restful sleep: acknowledged'
            : 'No-driving acknowledgement missing'}
        </Fact>
      </List>
      {canManage && !rideConfirmed && (
        <RideHomeForm appointmentId={session.appointment.id} onSaved={refreshSession} />
      )}
      {canManage && !noDriving && (
        <Stack gap="xs">
          <Text size="sm">{preCheckIn.data?.statement}</Text>
          <Group>
            <Button
              size={touch}
              variant="light"
              loading={acknowledge.isPending}
              onClick={() => acknowledge.mutate(undefined, { onSuccess: refreshSession })}
            >
              Patient acknowledges no driving
            </Button>
          </Group>
          <StepProblem error={acknowledge.error} title="Acknowledgement not recorded" />
        </Stack>
      )}
      {canCheckIn && (
        <Stack gap="xs">
          <StepProblem error={checkIn.error} title="Not checked in" />
          <Group>
            <Button size="xl" loading={checkIn.isPending} onClick={() => checkIn.mutate({})}>
              Check in patient
            </Button>
          </Group>
        </Stack>
      )}
    </FlowPanel>
  );
}
