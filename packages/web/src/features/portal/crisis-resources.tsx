import { Alert, Button, Drawer, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLifebuoy, IconMessage, IconPhone } from '@tabler/icons-react';

/** A phone number as a tel: link (digits and a leading +). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

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
  // Each line a button that dials, at least 44 px high; white on the filled red of the urgent form.
  const line = {
    component: 'a',
    size: 'md',
    mih: 44,
    variant: urgent ? 'white' : 'light',
    color: 'red',
    styles: { label: { whiteSpace: 'normal' } },
  } as const;
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
      <Stack gap="xs">
        <Text size="sm">988 Suicide &amp; Crisis Lifeline, 24/7. In an emergency, call 911.</Text>
        <Group gap="xs" wrap="wrap">
          <Button {...line} href="tel:988" leftSection={<IconPhone size={18} aria-hidden />}>
            Call 988
          </Button>
          <Button {...line} href="sms:988" leftSection={<IconMessage size={18} aria-hidden />}>
            Text 988
          </Button>
          {clinicPhone && (
            <Button
              {...line}
              href={telHref(clinicPhone)}
              h="auto"
              aria-label={`Call your clinic, ${clinicPhone}`}
            >
              Your clinic: {clinicPhone}
            </Button>
          )}
          <Button {...line} href="tel:911">
            Call 911
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/**
 * The portal header's crisis button, on every page: one tap opens the lines (988 to call or text, the
 * clinic's crisis phone when it has one, 911), each a large button that dials.
 */
export function CrisisHelpButton({
  clinicName,
  clinicPhone,
}: {
  clinicName: string;
  clinicPhone: string | null;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  const line = {
    size: 'lg',
    fullWidth: true,
    mih: 56,
    h: 'auto',
    py: 'xs',
    component: 'a',
    styles: { label: { whiteSpace: 'normal' } },
  } as const;
  return (
    <>
      <Button
        color="red"
        mih={44}
        px="sm"
        leftSection={<IconLifebuoy size={20} aria-hidden />}
        onClick={open}
        aria-haspopup="dialog"
        aria-label="Crisis help: call or text 988, your clinic, or 911"
        data-testid="crisis-button"
      >
        Crisis help
      </Button>
      <Drawer
        opened={opened}
        onClose={close}
        position="bottom"
        size="auto"
        title="Crisis help, 24 hours a day"
        closeButtonProps={{ 'aria-label': 'Close crisis help', size: 'xl' }}
      >
        <Stack gap="sm" pb="md">
          <Text size="sm">
            If you are thinking about suicide or feel unsafe, reach someone now. You do not have to wait for
            your next session.
          </Text>
          <Button {...line} color="red" href="tel:988" leftSection={<IconPhone size={20} aria-hidden />}>
            Call 988 (Suicide &amp; Crisis Lifeline)
          </Button>
          <Button
            {...line}
            variant="light"
            color="red"
            href="sms:988"
            leftSection={<IconMessage size={20} aria-hidden />}
          >
            Text 988
          </Button>
          {clinicPhone && (
            <Button
              {...line}
              variant="default"
              href={telHref(clinicPhone)}
              leftSection={<IconPhone size={20} aria-hidden />}
            >
              Call {clinicName}: {clinicPhone}
            </Button>
          )}
          <Button {...line} variant="outline" color="red" href="tel:911">
            Emergency: call 911
          </Button>
          <Text size="sm" c="dimmed">
            In danger right now, call 911 or go to the nearest emergency room.
          </Text>
        </Stack>
      </Drawer>
    </>
  );
}
