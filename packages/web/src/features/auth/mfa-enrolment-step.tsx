import { Alert, Button, Code, CopyButton, Group, Loader, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isProblem, problemMessage } from '../../api/client.ts';
import type { MfaEnrolmentConfirmed } from '../../api/types.ts';
import { beginMfaEnrolment, confirmMfaEnrolment } from './auth.api.ts';

interface MfaEnrolmentStepProps {
  onEnrolled: (result: MfaEnrolmentConfirmed) => void;
  onStartOver: () => void;
}

/**
 * The clinic requires a second factor and this account has none yet. The secret is shown as text (and as the
 * otpauth URI an authenticator app accepts) rather than a QR image, so nothing leaves the page.
 */
export function MfaEnrolmentStep({ onEnrolled, onStartOver }: MfaEnrolmentStepProps) {
  const enrolment = useQuery({
    queryKey: ['mfa-enrolment'],
    queryFn: beginMfaEnrolment,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
  });
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setPending(true);
    try {
      onEnrolled(await confirmMfaEnrolment(code.trim()));
    } catch (caught) {
      setError(
        isProblem(caught, 400)
          ? 'That code is not valid. Check the time on your device and enter the current code.'
          : problemMessage(caught),
      );
    } finally {
      setPending(false);
    }
  }

  if (enrolment.isPending) return <Loader aria-label="Preparing multi-factor set-up" />;
  if (enrolment.isError) {
    return (
      <Stack>
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
          {problemMessage(enrolment.error)}
        </Alert>
        <Button variant="default" onClick={onStartOver}>
          Back to sign in
        </Button>
      </Stack>
    );
  }

  const { secret, otpauthUri } = enrolment.data;
  return (
    <form onSubmit={submit} noValidate aria-label="Set up multi-factor authentication">
      <Stack gap="md">
        <Text size="sm">
          Your clinic requires a second sign-in step. Add Kapstone to an authenticator app with this secret,
          then enter the 6-digit code it shows.
        </Text>
        <div>
          <Text size="sm" fw={600} id="mfa-secret-label">
            Secret key
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Code
              aria-labelledby="mfa-secret-label"
              style={{ wordBreak: 'break-all' }}
              data-testid="mfa-secret"
            >
              {secret}
            </Code>
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="light" onClick={copy}>
                  {copied ? 'Copied' : 'Copy secret'}
                </Button>
              )}
            </CopyButton>
          </Group>
        </div>
        <div>
          <Text size="sm" fw={600} id="mfa-uri-label">
            Setup link (otpauth URI)
          </Text>
          <Code
            block
            aria-labelledby="mfa-uri-label"
            style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
          >
            {otpauthUri}
          </Code>
        </div>
        {error && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
            {error}
          </Alert>
        )}
        <TextInput
          label="Authentication code"
          description="The 6-digit code from your authenticator app"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
        />
        <Button type="submit" loading={pending} fullWidth>
          Confirm set-up
        </Button>
        <Button variant="subtle" onClick={onStartOver}>
          Start over
        </Button>
      </Stack>
    </form>
  );
}
