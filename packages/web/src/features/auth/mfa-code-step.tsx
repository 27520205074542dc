import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { isProblem, problemMessage } from '../../api/client.ts';
import type { SessionView } from '../../api/types.ts';
import { verifyMfaCode } from './auth.api.ts';

function codeErrorMessage(error: unknown): string {
  if (isProblem(error, 400)) return 'That code is not valid. Check your authenticator app and try again.';
  if (isProblem(error, 401)) return 'The sign-in has expired. Start again with your email and password.';
  return problemMessage(error);
}

interface MfaCodeStepProps {
  onAuthenticated: (session: SessionView) => void;
  onStartOver: () => void;
}

/** Second factor: a 6-digit TOTP code or one of the recovery codes given at enrolment. */
export function MfaCodeStep({ onAuthenticated, onStartOver }: MfaCodeStepProps) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setPending(true);
    try {
      const outcome = await verifyMfaCode(code.trim());
      if (outcome.status === 'authenticated') onAuthenticated(outcome.session);
      else setError('The sign-in could not be completed. Start again.');
    } catch (caught) {
      setError(codeErrorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Verify sign-in">
      <Stack gap="md">
        <Text size="sm">
          Enter the 6-digit code from your authenticator app. If you cannot use the app, enter one of your
          recovery codes instead.
        </Text>
        {error && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
            {error}
          </Alert>
        )}
        <TextInput
          label="Authentication code"
          description="6-digit code or a recovery code"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          data-autofocus
        />
        <Button type="submit" loading={pending} fullWidth>
          Verify
        </Button>
        <Anchor component="button" type="button" size="sm" onClick={onStartOver}>
          Start over with another account
        </Anchor>
      </Stack>
    </form>
  );
}
