import {
  Alert,
  Anchor,
  Box,
  Button,
  Container,
  Loader,
  Paper,
  PasswordInput,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isProblem, problemMessage } from '../../api/client.ts';
import { DemoBanner } from '../../app/demo-banner.tsx';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { knownSession, sessionKey } from '../auth/auth.api.ts';
import { acceptInvitation, useInvitationPreview } from './invitations.api.ts';

/** The server's rule (auth: at least 12 characters); checked here too so the patient hears it before sending. */
const minimumPasswordLength = 12;

function LinkProblem({ error }: { error: unknown }) {
  const title = isProblem(error, 410)
    ? 'This link no longer works'
    : isProblem(error, 404) || isProblem(error, 400)
      ? 'This link is not valid'
      : isProblem(error, 429)
        ? 'Too many attempts'
        : 'Something went wrong';
  return (
    <Stack gap="sm">
      <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert" title={title}>
        {isProblem(error, 400)
          ? 'Check that the whole link from the mail was copied, or ask the clinic for a new one.'
          : problemMessage(error)}
      </Alert>
      <Text size="sm">
        Already set up your account?{' '}
        <Anchor component={Link} to="/login">
          Sign in
        </Anchor>
      </Text>
    </Stack>
  );
}

/**
 * The page a portal invitation links to (outside the signed-in area): the patient chooses a password, the
 * account is created and signed in, and the portal opens. Leaving it with `replace` takes the link, a
 * credential, out of the browser's history.
 */
export function AcceptInvitationPage() {
  useDocumentTitle('Set up your portal account');
  const { token = '' } = useParams();
  const preview = useInvitationPreview(token);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [errors, setErrors] = useState<{ password?: string; repeated?: string }>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFailure(null);
    const problems: typeof errors = {};
    if (password.length < minimumPasswordLength)
      problems.password = `Use at least ${minimumPasswordLength} characters.`;
    else if (repeated !== password) problems.repeated = 'The two passwords are not the same.';
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setPending(true);
    try {
      const accepted = await acceptInvitation(token, password);
      setPassword('');
      setRepeated('');
      // Whatever this browser held for a previous session (a staff member's, in a demo) goes with it.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'invitation-preview' });
      queryClient.setQueryData(sessionKey, knownSession(accepted.session, null));
      navigate('/portal', { replace: true });
    } catch (caught) {
      const fields = isProblem(caught, 400) ? caught.fieldMessages() : {};
      if (fields.password) setErrors({ password: fields.password });
      else setFailure(caught);
    } finally {
      setPending(false);
    }
  }

  const linkDead = isProblem(failure, 410) || isProblem(failure, 404);

  return (
    <>
      <DemoBanner />
      <Container size="xs" py="xl" component="main" id="main-content">
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Stack gap="md">
            <Box>
              <Text c="dimmed" size="sm" fw={600}>
                {preview.data ? `${preview.data.clinicName} · patient portal` : 'Kapstone patient portal'}
              </Text>
              <Title order={1} size="h2">
                {preview.data ? `Welcome, ${preview.data.givenName}` : 'Set up your portal account'}
              </Title>
            </Box>
            {preview.isPending && <Loader aria-label="Checking your invitation" />}
            {preview.isError && <LinkProblem error={preview.error} />}
            {linkDead && <LinkProblem error={failure} />}
            {preview.data && !linkDead && (
              <form onSubmit={submit} noValidate aria-label="Choose your password">
                <Stack gap="md">
                  <Text size="sm">
                    Choose a password for your portal account. You will sign in with the email address this
                    invitation was sent to. The link works once.
                  </Text>
                  {failure !== null && (
                    <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
                      {problemMessage(failure)}
                    </Alert>
                  )}
                  <PasswordInput
                    label="Choose a password"
                    description={`At least ${minimumPasswordLength} characters. A few unrelated words work well.`}
                    autoComplete="new-password"
                    required
                    size="md"
                    value={password}
                    error={errors.password}
                    visibilityToggleButtonProps={{ 'aria-label': 'Show or hide what you typed' }}
                    onChange={(event) => setPassword(event.currentTarget.value)}
                    data-autofocus
                  />
                  <PasswordInput
                    label="Type it again"
                    autoComplete="new-password"
                    required
                    size="md"
                    value={repeated}
                    error={errors.repeated}
                    visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the repeated entry' }}
                    onChange={(event) => setRepeated(event.currentTarget.value)}
                  />
                  <Button type="submit" size="md" loading={pending} fullWidth>
                    Create my account
                  </Button>
                </Stack>
              </form>
            )}
          </Stack>
        </Paper>
      </Container>
    </>
  );
}
