import { Box, Burger, Button, Container, Drawer, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconCalendarEvent,
  IconChartLine,
  IconFileCertificate,
  IconHistory,
  IconHome,
  IconLogout,
  IconNotebook,
  IconNotes,
  IconUser,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Outlet, NavLink as RouterNavLink, useLocation } from 'react-router';
import { DemoBanner } from '../../app/demo-banner.tsx';
import { IdleTimeoutWatcher } from '../../app/idle-timeout-watcher.tsx';
import { useSignOutAndLeave } from '../../app/sign-out.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { CrisisHelpButton, CrisisResources } from './crisis-resources.tsx';
import { usePortalCrisisResources } from './portal.api.ts';

interface PortalNavigationEntry {
  to: string;
  label: string;
  icon: ReactNode;
  /** On the phone's bottom bar (the rest are in the menu). */
  bottom?: string;
}

/** Every portal page the patient can open from the menu; those with a `bottom` label are on the phone's bottom bar too. */
export const portalNavigation: PortalNavigationEntry[] = [
  { to: '/portal', label: 'Home', icon: <IconHome size={22} aria-hidden />, bottom: 'Home' },
  {
    to: '/portal/appointments',
    label: 'Appointments',
    icon: <IconCalendarEvent size={22} aria-hidden />,
    bottom: 'Schedule',
  },
  {
    to: '/portal/journal',
    label: 'Journal',
    icon: <IconNotebook size={22} aria-hidden />,
    bottom: 'Journal',
  },
  {
    to: '/portal/progress',
    label: 'My progress',
    icon: <IconChartLine size={22} aria-hidden />,
    bottom: 'Progress',
  },
  { to: '/portal/journal', label: 'My journal', icon: <IconNotebook size={22} aria-hidden /> },
  { to: '/portal/sessions', label: 'My sessions', icon: <IconHistory size={22} aria-hidden /> },
  { to: '/portal/consents', label: 'Consent forms', icon: <IconFileCertificate size={22} aria-hidden /> },
  { to: '/portal/intake', label: 'Intake', icon: <IconNotes size={22} aria-hidden /> },
  { to: '/portal/details', label: 'My details', icon: <IconUser size={22} aria-hidden /> },
];

function isCurrent(to: string, pathname: string): boolean {
  return to === '/portal' ? pathname === '/portal' : pathname === to || pathname.startsWith(`${to}/`);
}

/** The phone's bottom bar: large targets (≥ 56 px high), label under the icon, the current page marked. */
function BottomNavigation({ onMenu, menuOpen }: { onMenu: () => void; menuOpen: boolean }) {
  const { pathname } = useLocation();
  const entries = portalNavigation.filter((e) => e.bottom);
  return (
    <Box
      component="nav"
      aria-label="Portal, quick links"
      hiddenFrom="sm"
      data-testid="portal-bottom-nav"
      style={{
        position: 'fixed',
        insetInline: 0,
        bottom: 0,
        zIndex: 100,
        background: 'var(--mantine-color-body)',
        borderTop: '1px solid var(--mantine-color-gray-3)',
        paddingBottom: 'env(safe-area-inset-bottom)',
      }}
    >
      <Group gap={0} wrap="nowrap" grow>
        {entries.map((entry) => {
          const current = isCurrent(entry.to, pathname);
          return (
            <Button
              key={entry.to}
              component={RouterNavLink}
              to={entry.to}
              end={entry.to === '/portal'}
              variant={current ? 'light' : 'subtle'}
              color={current ? 'blue' : 'gray'}
              radius={0}
              h={60}
              px={2}
              aria-current={current ? 'page' : undefined}
              styles={{ label: { flexDirection: 'column', gap: 2, fontSize: 12 } }}
            >
              {entry.icon}
              <span>{entry.bottom}</span>
            </Button>
          );
        })}
        <Button
          variant="subtle"
          color="gray"
          radius={0}
          h={60}
          px={2}
          onClick={onMenu}
          aria-expanded={menuOpen}
          aria-controls="portal-menu"
          styles={{ label: { flexDirection: 'column', gap: 2, fontSize: 12 } }}
        >
          <Burger size="sm" opened={menuOpen} component="span" aria-hidden />
          <span>Menu</span>
        </Button>
      </Group>
    </Box>
  );
}

/**
 * The patient portal: the person's own record only. The crisis button sits in the header of every page, and
 * the crisis lines again at the foot of every page; on a phone the bottom bar carries the main pages and the
 * menu, every target at least 44 px.
 */
export function PortalShell() {
  const session = useSignedInSession();
  const signOut = useSignOutAndLeave();
  const crisis = usePortalCrisisResources();
  const [menuOpen, menu] = useDisclosure(false);
  const { pathname } = useLocation();
  const clinicPhone = crisis.data?.clinicPhone ?? null;
  return (
    <div className="kapstone-portal">
      <a className="skip-link" href="#main-content">
        Skip to main content
      </a>
      <Box
        component="header"
        style={{
          position: 'sticky',
          top: 0,
          zIndex: 100,
          background: 'var(--mantine-color-body)',
          borderBottom: '1px solid var(--mantine-color-gray-3)',
        }}
      >
        <DemoBanner />
        <Container size="md" px="sm">
          <Group h={64} justify="space-between" wrap="nowrap" gap="xs">
            <div style={{ minWidth: 0 }}>
              <Text size="xs" c="dimmed" fw={600} lh={1.1} visibleFrom="xs">
                Kapstone patient portal
              </Text>
              <Title
                order={2}
                size="h5"
                lh={1.2}
                data-testid="clinic-name"
                style={{ overflowWrap: 'anywhere' }}
              >
                {session.clinic.name}
              </Title>
            </div>
            <Group gap="xs" wrap="nowrap">
              <CrisisHelpButton clinicName={session.clinic.name} clinicPhone={clinicPhone} />
              <Button
                variant="default"
                mih={44}
                px="sm"
                onClick={menu.toggle}
                aria-expanded={menuOpen}
                aria-controls="portal-menu"
                leftSection={<Burger size="sm" opened={menuOpen} component="span" aria-hidden />}
                visibleFrom="sm"
              >
                Menu
              </Button>
              {/* One sign-out button on every screen size: the words from the xs breakpoint, the icon always. */}
              <Button
                variant="default"
                mih={44}
                miw={44}
                px="sm"
                onClick={signOut}
                aria-label="Sign out"
                leftSection={<IconLogout size={18} aria-hidden />}
                styles={{ section: { marginInlineEnd: 0 } }}
              >
                <Text span size="sm" fw={600} visibleFrom="xs" ml={6}>
                  Sign out
                </Text>
              </Button>
            </Group>
          </Group>
        </Container>
      </Box>
      <Drawer
        id="portal-menu"
        opened={menuOpen}
        onClose={menu.close}
        position="right"
        size="xs"
        title={session.user.displayName}
        closeButtonProps={{ 'aria-label': 'Close the menu', size: 'xl' }}
      >
        <Stack gap={4} component="nav" aria-label="Portal">
          {portalNavigation.map((entry) => (
            <NavLink
              key={entry.to}
              component={RouterNavLink}
              to={entry.to}
              end={entry.to === '/portal'}
              label={entry.label}
              leftSection={entry.icon}
              active={isCurrent(entry.to, pathname)}
              onClick={menu.close}
              mih={48}
            />
          ))}
        </Stack>
      </Drawer>
      <Container size="md" py="md" px="sm" pb={{ base: 96, sm: 'xl' }}>
        <Stack gap="md">
          <Box component="main" id="main-content" tabIndex={-1}>
            <Outlet />
          </Box>
          <CrisisResources clinicPhone={clinicPhone} />
        </Stack>
      </Container>
      <BottomNavigation onMenu={menu.toggle} menuOpen={menuOpen} />
      <IdleTimeoutWatcher onSignOut={signOut} />
    </div>
  );
}
