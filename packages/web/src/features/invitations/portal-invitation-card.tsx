import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconMailForward } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { isProblem, problemMessage } from '../../api/client.ts';
import type { Patient } from '../../api/types.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import type { MailStatus } from '../mail/mail.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import {
  currentInvitation,
  invitationActions,
  invitationPathIn,
  invitationStatusColors,
  invitationStatusLabels,
} from './invitation-format.ts';
import {
  type IssuedInvitation,
  useInvitePatient,
  usePatientInvitations,
  useResendInvitation,
  useRevokeInvitation,
} from './invitations.api.ts';

const mailStatusLabels: Record<MailStatus, string> = {
  queued: 'mail queued',
  sent: 'mail sent',
  failed: 'mail could not be delivered',
  cancelled: 'mail withdrawn',
};

interface AddressDialogProps {
  opened: boolean;
  title: string;
  submitLabel: string;
  initialEmail: string;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onSubmit: (email: string) => void;
}

/** Asks for (or confirms) the address the link goes to; the server's field errors show at the input. */
function AddressDialog(props: AddressDialogProps) {
  const [email, setEmail] = useState(props.initialEmail);
  const fieldError = isProblem(props.error) ? props.error.fieldMessages().email : undefined;
  const generalError = props.error && !fieldError ? problemMessage(props.error) : null;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onSubmit(email.trim());
  }
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} centered>
      <form onSubmit={submit} noValidate aria-label={props.title}>
        <Stack gap="md">
          <Text size="sm">
            The patient gets a single-use link to choose a password. The mail names only the clinic; nothing
            of the chart is in it.
          </Text>
          {generalError && (
            <Alert color="red" role="alert">
              {generalError}
            </Alert>
          )}
          <TextInput
            label="Email address"
            type="email"
            autoComplete="off"
            required
            value={email}
            error={fieldError}
            onChange={(event) => setEmail(event.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={props.pending}>
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The chart's "Portal access" card (staff with portal.invite): whether the patient has a portal account, the
 * newest invitation's status, and invite / resend / revoke. In demo mode the link just sent is offered here,
 * so a person walking the demo can open it (it is a credential: real deployments never show it).
 */
export function PortalInvitationCard({ patient }: { patient: Patient }) {
  const session = useSignedInSession();
  const invitations = usePatientInvitations(patient.id);
  const invite = useInvitePatient(patient.id);
  const resend = useResendInvitation(patient.id);
  const revoke = useRevokeInvitation(patient.id);
  const [dialog, setDialog] = useState<'invite' | 'resend' | null>(null);
  const [issued, setIssued] = useState<IssuedInvitation | null>(null);
  const timeZone = session.clinic.timeZone;

  const data = invitations.data;
  const current = data ? currentInvitation(data.items) : null;
  const actions = invitationActions(current, Boolean(data?.portalAccount));
  const demoPath = issued ? invitationPathIn(issued.demoLink) : null;

  function closeDialog() {
    setDialog(null);
    invite.reset();
    resend.reset();
  }
  function onIssued(result: IssuedInvitation) {
    setIssued(result);
    setDialog(null);
  }

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="portal-access-title">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <IconMailForward size={18} aria-hidden />
            <Title order={2} size="h5" id="portal-access-title">
              Portal access
            </Title>
            {data?.portalAccount && (
              <Badge color="green" variant="light">
                Has a portal account
              </Badge>
            )}
            {!data?.portalAccount && current && (
              <Badge
                color={invitationStatusColors[current.status]}
                variant="light"
                data-testid="invitation-status"
              >
                Invitation: {invitationStatusLabels[current.status]}
              </Badge>
            )}
          </Group>
          <Group gap="xs">
            {actions.invite && (
              <Button size="xs" onClick={() => setDialog('invite')}>
                Invite to portal
              </Button>
            )}
            {actions.resend && (
              <Button size="xs" variant="default" onClick={() => setDialog('resend')}>
                Resend invitation
              </Button>
            )}
            {actions.revoke && current && (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                loading={revoke.isPending}
                onClick={() => {
                  setIssued(null);
                  revoke.mutate(current.id);
                }}
              >
                Revoke invitation
              </Button>
            )}
          </Group>
        </Group>
        {invitations.isPending && <Loader size="xs" aria-label="Loading portal access" />}
        {invitations.isError && (
          <Alert color="red" role="alert">
            {problemMessage(invitations.error)}
          </Alert>
        )}
        {revoke.isError && (
          <Alert color="red" role="alert">
            {problemMessage(revoke.error)}
          </Alert>
        )}
        {data?.portalAccount && (
          <Text size="sm">
            Signs in as {data.portalAccount.email} since{' '}
            {formatInstant(data.portalAccount.createdAt, timeZone)}.
          </Text>
        )}
        {!data?.portalAccount && current && (
          <Text size="sm">
            {current.status === 'pending' &&
              `Sent to ${current.email}; the link works until ${formatInstant(current.expiresAt, timeZone)}`}
            {current.status === 'expired' &&
              `The link sent to ${current.email} expired on ${formatInstant(current.expiresAt, timeZone)}`}
            {(current.status === 'revoked' || current.status === 'replaced') &&
              `The last invitation (to ${current.email}) was withdrawn${current.revokedAt ? ` on ${formatInstant(current.revokedAt, timeZone)}` : ''}`}
            {current.mail && current.status === 'pending'
              ? ` (${mailStatusLabels[current.mail.status]}).`
              : '.'}
          </Text>
        )}
        {data && !data.portalAccount && !current && (
          <Text size="sm" c="dimmed">
            Not invited yet.
            {patient.email ? '' : ' The chart has no email address: you will be asked for one.'}
          </Text>
        )}
        {demoPath && (
          <Alert color="yellow" title="Demo only" role="status">
            In a real clinic the link reaches the patient by mail only.{' '}
            <Anchor component={Link} to={demoPath}>
              Open the invitation link
            </Anchor>
          </Alert>
        )}
      </Stack>
      {dialog === 'invite' && (
        <AddressDialog
          opened
          title="Invite to the patient portal"
          submitLabel="Send invitation"
          initialEmail={patient.email ?? ''}
          pending={invite.isPending}
          error={invite.error}
          onClose={closeDialog}
          onSubmit={(email) =>
            // The chart's own address is sent as "from the chart" (no body), so the audit says where it came from.
            invite.mutate(email && email !== patient.email ? { email } : {}, { onSuccess: onIssued })
          }
        />
      )}
      {dialog === 'resend' && current && (
        <AddressDialog
          opened
          title="Resend the invitation"
          submitLabel="Send a new link"
          initialEmail={current.email}
          pending={resend.isPending}
          error={resend.error}
          onClose={closeDialog}
          onSubmit={(email) =>
            resend.mutate(
              { invitationId: current.id, ...(email && email !== current.email ? { email } : {}) },
              { onSuccess: onIssued },
            )
          }
        />
      )}
    </Paper>
  );
}
