import { Alert, Anchor, Group, Text } from '@mantine/core';
import { IconLifebuoy } from '@tabler/icons-react';

/**
 * Always on screen in the portal. 988 is the US Suicide & Crisis Lifeline for calls and texts (SAMHSA,
 * https://988lifeline.org; FCC designation of 988, 2020); 911 is the US emergency number. Both are national
 * public numbers, not clinical settings.
 */
export function CrisisResources() {
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconLifebuoy aria-hidden />}
      title="In crisis or thinking about suicide?"
      component="aside"
      aria-label="Crisis resources"
      data-testid="crisis-resources"
    >
      <Group gap="lg" wrap="wrap">
        <Text size="sm">
          Call or text{' '}
          <Anchor href="tel:988" fw={700}>
            988
          </Anchor>{' '}
          (
          <Anchor href="sms:988" size="sm">
            text
          </Anchor>
          ) — Suicide &amp; Crisis Lifeline, 24/7.
        </Text>
        <Text size="sm">
          In an emergency, call{' '}
          <Anchor href="tel:911" fw={700}>
            911
          </Anchor>
          .
        </Text>
      </Group>
    </Alert>
  );
}
