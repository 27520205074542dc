import { Box, Text } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useMeta } from '../features/auth/auth.api.ts';

/** A demo must never be mistaken for a clinic holding real patients, so this shows on every page. */
export function DemoBanner() {
  const meta = useMeta();
  if (!meta.data?.demo) return null;
  return (
    <Box
      role="note"
      aria-label="Demo mode"
      bg="yellow.3"
      c="dark.9"
      px="md"
      py={4}
      data-testid="demo-banner"
      style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 8, minHeight: 28 }}
    >
      <IconFlask size={16} aria-hidden />
      <Text size="sm" fw={700}>
        Demo clinic — synthetic data. Do not enter real patient information.
      </Text>
    </Box>
  );
}

export function useDemoMode(): boolean {
  return useMeta().data?.demo ?? false;
}
