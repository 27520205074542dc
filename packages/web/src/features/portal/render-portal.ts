import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import type { SessionView as SignedInView } from '../../api/types.ts';
import { AppRoutes } from '../../app/routes.tsx';
import { theme } from '../../app/theme.ts';
import { sessionKey } from '../auth/auth.api.ts';

/**
 * For the portal's screen tests only (the app never imports it): the whole app's routes rendered once with
 * React's server renderer at a portal path, a patient signed in and the query cache seeded, as HTML. Going
 * through AppRoutes means the test sees each page inside the shell exactly as routes.tsx registers it.
 */

export const testPatient = {
  userId: '00000000-0000-4000-8000-0000000000a1',
  patientId: '00000000-0000-4000-8000-0000000000b1',
  displayName: 'Rowan Example',
};

function signedInPatient(): { view: SignedInView; idleWindowMs: number } {
  const now = Date.now();
  return {
    view: {
      user: {
        id: testPatient.userId,
        email: 'rowan@example.test',
        displayName: testPatient.displayName,
        kind: 'patient',
      },
      clinic: { id: 'c', name: 'Juniper Clinic', timeZone: 'America/New_York', demo: false },
      roles: [],
      permissions: ['portal.self'],
      patientId: testPatient.patientId,
      csrfToken: 'x',
      mfa: { enrolled: false, required: false },
      idleExpiresAt: new Date(now + 900_000).toISOString(),
      absoluteExpiresAt: new Date(now + 3_600_000).toISOString(),
    },
    idleWindowMs: 900_000,
  };
}

export function renderPortal(path: string, seed: (client: QueryClient) => void = () => {}): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(sessionKey, signedInPatient());
  seed(client);
  const html = renderToString(
    createElement(
      MantineProvider,
      { theme },
      createElement(
        QueryClientProvider,
        { client },
        createElement(MemoryRouter, { initialEntries: [path] }, createElement(AppRoutes)),
      ),
    ),
  );
  // React separates adjacent text parts with empty comments; the screen reads them as one.
  return html.replaceAll('<!-- -->', '');
}
