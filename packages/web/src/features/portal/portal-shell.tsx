import { Box, Button, Container, Group, Stack, Text, Title } from '@mantine/core';
import { IconLogout } from '@tabler/icons-react';
import { Outlet } from 'react-router';
import { DemoBanner } from '../../app/demo-banner.tsx';
import { IdleTimeoutWatcher } from '../../app/idle-timeout-watcher.tsx';
import { useSignOutAndLeave } from '../../app/sign-out.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { CrisisResources } from './crisis-resources.tsx';

/** The patient portal: the person's own record only, with crisis lines on every screen. */
export function PortalShell() {
  const session = useSignedInSession();
  const signOut = useSignOutAndLeave();
  return (
    <>
      <a className="skip-link" href="#main-content">
        Skip to main content
      </a>
      <Box component="header" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <DemoBanner />
        <Container size="md">
          <Group h={60} justify="space-between" wrap="nowrap">
            <div>
              <Text size="xs" c="dimmed" fw={600} lh={1.1}>
                Kapstone patient portal
              </Text>
              <Title order={2} size="h5" lh={1.2} data-testid="clinic-name">
                {session.clinic.name}
              </Title>
            </div>
            <Group gap="sm" wrap="nowrap">
              <Text size="sm" fw={600} visibleFrom="xs" data-testid="signed-in-user">
                {session.user.displayName}
              </Text>
              <Button
                variant="default"
                size="xs"
                leftSection={<IconLogout size={16} aria-hidden />}
                onClick={signOut}
              >
                Sign out
              </Button>
            </Group>
          </Group>
        </Container>
      </Box>
      <Container size="md" py="md">
        <Stack gap="md">
          <CrisisResources />
          <Box component="main" id="main-content" tabIndex={-1}>
            <Outlet />
          </Box>
        </Stack>
      </Container>
      <IdleTimeoutWatcher onSignOut={signOut} />
    </>
  );
}
