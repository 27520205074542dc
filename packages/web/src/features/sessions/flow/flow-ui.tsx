import { Alert, Badge, Group, Paper, PasswordInput, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { isProblem, problemMessage } from '../../../api/client.ts';
import { useSignedInSession } from '../../auth/auth.api.ts';
import { formatTime } from '../../scheduling/calendar-model.ts';
import { localInputValue } from '../../screening/vitals-form-model.ts';

/**
 * The pieces every flow panel shares: a titled section (its heading names the region for screen readers and
 * the browser journeys), large touch targets for a tablet at the chair, and the password re-entry of a
 * signature.
 */

/** Mantine size for inputs and buttons at the chair: a finger, not a mouse. */
export const touch = 'lg' as const;

export function FlowPanel({
  id,
  title,
  status,
  children,
}: {
  id: string;
  title: string;
  status?: { label: string; color: string } | null;
  children: ReactNode;
}) {
  const headingId = `${id}-heading`;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId} data-testid={id}>
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={2} size="h3" id={headingId}>
            {title}
          </Title>
          {status && (
            <Badge size="lg" color={status.color} variant="light">
              {status.label}
            </Badge>
          )}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

/** The password of a signature: the signer re-enters it; wrong ones count toward the account lock. */
export function SignaturePassword({
  label = 'Your password',
  description = 'Re-enter your password to sign. Wrong passwords count toward the account lock.',
  value,
  error,
  onChange,
  autoComplete = 'current-password',
}: {
  label?: string;
  description?: string;
  value: string;
  error?: string | undefined;
  onChange: (value: string) => void;
  autoComplete?: string;
}) {
  return (
    <PasswordInput
      size={touch}
      label={label}
      description={description}
      autoComplete={autoComplete}
      value={value}
      error={error}
      onChange={(event) => onChange(event.currentTarget.value)}
      maw={420}
    />
  );
}

/** A refused step: the server's sentence, unless it is already shown next to the field it concerns. */
export function StepProblem({
  error,
  title,
  shownFields = [],
}: {
  error: unknown;
  title: string;
  shownFields?: string[];
}) {
  if (!error) return null;
  if (
    isProblem(error) &&
    error.fieldErrors.length > 0 &&
    error.fieldErrors.every((f) => shownFields.includes(f.path))
  )
    return null;
  return (
    <Alert color="red" role="alert" title={title}>
      {problemMessage(error)}
      {isProblem(error) && error.fieldErrors.length > 0 && (
        <ul>
          {error.fieldErrors
            .filter((f) => !shownFields.includes(f.path))
            .map((f) => (
              <li key={`${f.path}:${f.message}`}>{f.message}</li>
            ))}
        </ul>
      )}
    </Alert>
  );
}

/** Field errors of a refused request by path, merged over the form's own. */
export function fieldErrors(local: Record<string, string>, error: unknown): Record<string, string> {
  return isProblem(error) ? { ...error.fieldMessages(), ...local } : local;
}

/** "10:42 AM" in the clinic's time zone. */
export function useClinicTime() {
  const session = useSignedInSession();
  return (instant: string | null | undefined) =>
    instant ? formatTime(instant, session.clinic.timeZone) : '—';
}

/** A `datetime-local` value for now, in the tablet's time zone. */
export function nowLocal(now: Date = new Date()): string {
  return localInputValue(now);
}
