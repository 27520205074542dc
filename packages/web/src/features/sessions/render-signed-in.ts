import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import type { SessionView as SignedInView } from '../../api/types.ts';
import { theme } from '../../app/theme.ts';
import { sessionKey } from '../auth/auth.api.ts';

/**
 * For the screens' tests only (session-screens.test.ts, flow/flow-panels.test.ts; the app never imports it):
 * a tree rendered once with React's server renderer under the app's providers, a nurse signed in with the
 * given permissions and the query cache seeded, as HTML.
 */

export const testNurse = { id: '00000000-0000-4000-8000-000000000001', displayName: 'Nora Nurse' };

function signedIn(permissions: string[]): { view: SignedInView; idleWindowMs: number } {
  const now = Date.now();
  return {
    view: {
      user: {
        id: testNurse.id,
        email: 'nurse@example.test',
        displayName: testNurse.displayName,
        kind: 'staff',
      },
      clinic: { id: 'c', name: 'Demo clinic', timeZone: 'America/New_York', demo: true },
      roles: ['nurse'],
      permissions,
      patientId: null,
      csrfToken: 'x',
      mfa: { enrolled: true, required: false },
      idleExpiresAt: new Date(now + 900_000).toISOString(),
      absoluteExpiresAt: new Date(now + 3_600_000).toISOString(),
    },
    idleWindowMs: 900_000,
  };
}

export function renderSignedIn(
  content: ReactElement,
  permissions: string[],
  seed: (client: QueryClient) => void = () => {},
  path?: string,
): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(sessionKey, signedIn(permissions));
  seed(client);
  const html = renderToString(
    createElement(
      MantineProvider,
      { theme },
      createElement(
        QueryClientProvider,
        { client },
        createElement(MemoryRouter, path ? { initialEntries: [path] } : {}, content),
      ),
    ),
  );
  // React separates adjacent text parts with empty comments; the screen reads them as one.
  return html.replaceAll('<!-- -->', '');
}
