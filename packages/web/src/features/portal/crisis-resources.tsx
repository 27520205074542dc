import { Alert, Anchor, Group, Text } from '@mantine/core';
import { IconLifebuoy } from '@tabler/icons-react';

/**
 * Always on screen in the portal. 988 is the US Suicide & Crisis Lifeline for calls and texts (SAMHSA,
 * https://988lifeline.org; FCC designation of 988, 2020); 911 is the US emergency number. Both are national
 * public numbers, not clinical settings.
 */
export function CrisisResources({
  clinicPhone,
  urgent = false,
}: {
  /** The clinic's own number (its `crisisPhone` setting), shown when known. */
  clinicPhone?: string | null;
  /** After answers that signal risk: announced to screen readers and shown filled, not as a side note. */
  urgent?: boolean;
} = {}) {
  // Links stay readable on the filled red of the urgent form.
  const link = urgent ? ({ c: 'white', underline: 'always' } as const) : {};
  return (
    <Alert
      color="red"
      variant={urgent ? 'filled' : 'light'}
      icon={<IconLifebuoy aria-hidden />}
      title="In crisis or thinking about suicide?"
      component={urgent ? 'section' : 'aside'}
      role={urgent ? 'alert' : undefined}
      aria-label="Crisis resources"
      data-testid={urgent ? 'crisis-resources-now' : 'crisis-resources'}
    >
      <Group gap="lg" wrap="wrap">
        <Text size="sm">
          Call or text{' '}
          <Anchor href="tel:988" fw={700} {...link}>
            988
          </Anchor>{' '}
          (
          <Anchor href="sms:988" size="sm" {...link}>
            text
          </Anchor>
          ) — Suicide &amp; Crisis Lifeline, 24/7.
        </Text>
        {clinicPhone && (
          <Text size="sm">
            Your clinic:{' '}
            <Anchor href={`tel:${clinicPhone.replace(/[^\d+]/g, '')}`} fw={700} {...link}>
              {clinicPhone}
            </Anchor>
          </Text>
        )}
        <Text size="sm">
          In an emergency, call{' '}
          <Anchor href="tel:911" fw={700} {...link}>
            911
          </Anchor>
          .
        </Text>
      </Group>
    </Alert>
  );
}
