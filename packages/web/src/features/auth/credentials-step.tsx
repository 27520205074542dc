import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { isProblem, problemMessage } from '../../api/client.ts';
import type { LoginOutcome } from '../../api/types.ts';
import { signIn } from './auth.api.ts';

/** One message for an unknown email and a wrong password alike, so the form cannot be used to find accounts. */
export const invalidCredentialsMessage = 'Email or password is invalid.';

function signInErrorMessage(error: unknown): string {
  if (isProblem(error, 401)) return invalidCredentialsMessage;
  if (isProblem(error, 400)) return 'Enter your email address and password.';
  if (isProblem(error, 423)) return problemMessage(error);
  if (isProblem(error, 429))
    return problemMessage(error) || 'Too many attempts. Wait a moment and try again.';
  return problemMessage(error);
}

interface CredentialsStepProps {
  email: string;
  onEmailChange: (email: string) => void;
  password: string;
  onPasswordChange: (password: string) => void;
  onOutcome: (outcome: LoginOutcome) => void;
}

export function CredentialsStep({
  email,
  onEmailChange,
  password,
  onPasswordChange,
  onOutcome,
}: CredentialsStepProps) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setPending(true);
    try {
      const outcome = await signIn(email.trim(), password);
      onPasswordChange('');
      onOutcome(outcome);
    } catch (caught) {
      setError(signInErrorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Sign in">
      <Stack gap="md">
        {error && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert" title="Sign-in failed">
            {error}
          </Alert>
        )}
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => onEmailChange(event.currentTarget.value)}
          data-autofocus
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          // Kept free of the word "password" so the field is the only match for the label "Password".
          visibilityToggleButtonProps={{ 'aria-label': 'Show or hide what you typed' }}
          value={password}
          onChange={(event) => onPasswordChange(event.currentTarget.value)}
        />
        <Button type="submit" loading={pending} fullWidth>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
