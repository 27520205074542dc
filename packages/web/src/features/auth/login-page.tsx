import { Alert, Box, Container, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { rememberCsrfToken } from '../../api/client.ts';
import type { LoginOutcome, SessionView } from '../../api/types.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { knownSession, sessionKey, useMeta, useSession, useSignOut } from './auth.api.ts';
import { CredentialsStep } from './credentials-step.tsx';
import { DemoLogins, demoPassword } from './demo-logins.tsx';
import { MfaCodeStep } from './mfa-code-step.tsx';
import { MfaEnrolmentStep } from './mfa-enrolment-step.tsx';
import { RecoveryCodesStep } from './recovery-codes-step.tsx';

/** Why the person is on the sign-in page; carried in router state, never in storage. */
export interface LoginLocationState {
  reason?: 'session-ended' | 'signed-out';
  from?: string;
}

type Step =
  | { name: 'credentials' }
  | { name: 'mfa' }
  | { name: 'enrolment' }
  | { name: 'recovery-codes'; codes: string[]; session: SessionView };

const stepTitles: Record<Step['name'], string> = {
  credentials: 'Sign in',
  mfa: 'Verify it is you',
  enrolment: 'Set up multi-factor authentication',
  'recovery-codes': 'Your recovery codes',
};

function ReasonNotice({ reason }: { reason: LoginLocationState['reason'] }) {
  if (reason === 'session-ended') {
    return (
      <Alert color="yellow" icon={<IconInfoCircle aria-hidden />} role="status" title="Your session ended">
        You were signed out after a period of inactivity or at the end of the session. Sign in again to
        continue.
      </Alert>
    );
  }
  if (reason === 'signed-out') {
    return (
      <Alert color="blue" icon={<IconInfoCircle aria-hidden />} role="status">
        You have signed out.
      </Alert>
    );
  }
  return null;
}

export function LoginPage() {
  useDocumentTitle('Sign in');
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const meta = useMeta();
  const signOut = useSignOut();
  const state = (location.state ?? {}) as LoginLocationState;

  const [step, setStep] = useState<Step>({ name: 'credentials' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  function enter(view: SessionView) {
    queryClient.setQueryData(sessionKey, knownSession(view, null));
    const target = state.from && state.from !== '/login' ? state.from : '/';
    navigate(target, { replace: true });
  }

  function onOutcome(outcome: LoginOutcome) {
    if (outcome.status === 'authenticated') {
      enter(outcome.session);
      return;
    }
    // The half-open session's own POSTs (verify, enrol, start over) are CSRF-checked like any other.
    rememberCsrfToken(outcome.csrfToken);
    setStep(outcome.status === 'mfa-required' ? { name: 'mfa' } : { name: 'enrolment' });
  }

  async function startOver() {
    // The half-open session that only MFA routes accept is revoked rather than left to expire.
    await signOut();
    setStep({ name: 'credentials' });
  }

  if (step.name === 'credentials' && session.data) return <Navigate to="/" replace />;

  const demoLogins = meta.data?.demo ? (meta.data.demoLogins ?? []) : [];
  const showDemo = step.name === 'credentials' && demoLogins.length > 0;

  return (
    <Container size={showDemo ? 'lg' : 'xs'} py="xl" component="main" id="main-content">
      <SimpleGrid cols={{ base: 1, md: showDemo ? 2 : 1 }} spacing="xl" style={{ alignItems: 'start' }}>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Stack gap="md">
            <Box>
              <Text c="dimmed" size="sm" fw={600}>
                Kapstone
              </Text>
              <Title order={1} size="h2">
                {stepTitles[step.name]}
              </Title>
            </Box>
            {step.name === 'credentials' && <ReasonNotice reason={state.reason} />}
            {step.name === 'credentials' && (
              <CredentialsStep
                email={email}
                onEmailChange={setEmail}
                password={password}
                onPasswordChange={setPassword}
                onOutcome={onOutcome}
              />
            )}
            {step.name === 'mfa' && <MfaCodeStep onAuthenticated={enter} onStartOver={startOver} />}
            {step.name === 'enrolment' && (
              <MfaEnrolmentStep
                onEnrolled={(result) =>
                  setStep({ name: 'recovery-codes', codes: result.recoveryCodes, session: result.session })
                }
                onStartOver={startOver}
              />
            )}
            {step.name === 'recovery-codes' && (
              <RecoveryCodesStep codes={step.codes} onDone={() => enter(step.session)} />
            )}
          </Stack>
        </Paper>
        {showDemo && (
          <DemoLogins
            logins={demoLogins}
            onChoose={(chosen) => {
              setEmail(chosen);
              setPassword(demoPassword);
            }}
          />
        )}
      </SimpleGrid>
    </Container>
  );
}
