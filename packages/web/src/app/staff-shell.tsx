import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconBellCog,
  IconCalendarEvent,
  IconChartLine,
  IconFileCertificate,
  IconFileCheck,
  IconFileExport,
  IconHeartbeat,
  IconHeartHandshake,
  IconLogout,
  IconMail,
  IconShieldSearch,
  IconUsers,
  IconVaccineBottle,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Outlet, NavLink as RouterNavLink, useLocation } from 'react-router';
import { OpenAlertsCount } from '../features/alerts/open-alerts-count.tsx';
import { usePermissions, useSignedInSession } from '../features/auth/auth.api.ts';
import { PatientSearchProvider } from '../features/patients/patient-search-state.tsx';
import { DemoBanner, useDemoMode } from './demo-banner.tsx';
import { IdleTimeoutWatcher } from './idle-timeout-watcher.tsx';
import { roleLabel } from './role-labels.ts';
import { useSignOutAndLeave } from './sign-out.ts';

interface NavigationEntry {
  to: string;
  label: string;
  icon: ReactNode;
  /** Shown when the session holds any of these permissions (the server decides; the UI only hides). */
  anyOf: string[];
  /** Shown at the end of the entry, e.g. a count. */
  badge?: ReactNode;
}

export const staffNavigation: NavigationEntry[] = [
  { to: '/patients', label: 'Patients', icon: <IconUsers size={18} aria-hidden />, anyOf: ['patient.read'] },
  {
    to: '/schedule',
    label: 'Schedule',
    icon: <IconCalendarEvent size={18} aria-hidden />,
    anyOf: ['schedule.read'],
  },
  {
    to: '/sessions',
    label: 'Dosing sessions',
    icon: <IconHeartbeat size={18} aria-hidden />,
    anyOf: ['session.read'],
  },
  {
    to: '/alerts',
    label: 'Alerts',
    icon: <IconAlertTriangle size={18} aria-hidden />,
    anyOf: ['alerts.read'],
    badge: <OpenAlertsCount />,
  },
  {
    to: '/care-settings',
    label: 'Care settings',
    icon: <IconBellCog size={18} aria-hidden />,
    anyOf: ['care.settings.manage'],
  },
  {
    to: '/integration',
    label: 'Integration',
    icon: <IconHeartHandshake size={18} aria-hidden />,
    anyOf: ['integration.write'],
  },
  {
    to: '/rems',
    label: 'SPRAVATO REMS',
    icon: <IconFileCheck size={18} aria-hidden />,
    anyOf: ['rems.read'],
  },
  {
    to: '/ledger',
    label: 'Controlled-substance ledger',
    icon: <IconVaccineBottle size={18} aria-hidden />,
    anyOf: ['ledger.read'],
  },
  {
    to: '/audit',
    label: 'Audit trail',
    icon: <IconShieldSearch size={18} aria-hidden />,
    anyOf: ['audit.read', 'break-glass.review'],
  },
  {
    to: '/consent-templates',
    label: 'Consent templates',
    icon: <IconFileCertificate size={18} aria-hidden />,
    anyOf: ['consent.templates.manage'],
  },
  { to: '/mail', label: 'Sent mail', icon: <IconMail size={18} aria-hidden />, anyOf: ['mail.read'] },
  {
    to: '/outcomes',
    label: 'Practice outcomes',
    icon: <IconChartLine size={18} aria-hidden />,
    anyOf: ['outcomes.read'],
  },
  {
    to: '/research/exports',
    label: 'Research exports',
    icon: <IconFileExport size={18} aria-hidden />,
    anyOf: ['research.export'],
  },
];

function SignedInUser() {
  const session = useSignedInSession();
  return (
    <Stack gap={0} align="flex-end" visibleFrom="xs">
      <Text size="sm" fw={600} data-testid="signed-in-user">
        {session.user.displayName}
      </Text>
      <Group gap={4} aria-label="Your roles">
        {session.roles.map((role) => (
          <Badge key={role} size="xs" variant="light">
            {roleLabel(role)}
          </Badge>
        ))}
      </Group>
    </Stack>
  );
}

export function StaffShell() {
  const session = useSignedInSession();
  const can = usePermissions();
  const demo = useDemoMode();
  const signOut = useSignOutAndLeave();
  const [navOpened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const bannerHeight = demo ? 28 : 0;
  const entries = staffNavigation.filter((entry) => entry.anyOf.some((permission) => can(permission)));

  return (
    <PatientSearchProvider>
      <a className="skip-link" href="#main-content">
        Skip to main content
      </a>
      <AppShell
        header={{ height: 60 + bannerHeight }}
        navbar={{ width: 210, breakpoint: 'md', collapsed: { mobile: !navOpened } }}
        padding="md"
      >
        <AppShell.Header>
          <DemoBanner />
          <Group h={60} px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={navOpened}
                onClick={toggle}
                hiddenFrom="md"
                size="sm"
                aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
              />
              <div>
                <Text size="xs" c="dimmed" fw={600} lh={1.1}>
                  Kapstone
                </Text>
                <Title order={2} size="h5" lh={1.2} data-testid="clinic-name">
                  {session.clinic.name}
                </Title>
              </div>
            </Group>
            <Group gap="md" wrap="nowrap">
              <SignedInUser />
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
        </AppShell.Header>
        <AppShell.Navbar p="xs" component="nav" aria-label="Main">
          {entries.map((entry) => (
            <NavLink
              key={entry.to}
              component={RouterNavLink}
              to={entry.to}
              label={entry.label}
              leftSection={entry.icon}
              rightSection={entry.badge}
              active={location.pathname === entry.to || location.pathname.startsWith(`${entry.to}/`)}
              onClick={close}
            />
          ))}
        </AppShell.Navbar>
        <AppShell.Main id="main-content" tabIndex={-1}>
          <Outlet />
        </AppShell.Main>
      </AppShell>
      <IdleTimeoutWatcher onSignOut={signOut} />
    </PatientSearchProvider>
  );
}
