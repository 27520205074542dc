import type { Page } from 'playwright-core';
import { callApi } from './harness.ts';

/**
 * How a journey gets hold of a portal invitation's link. The link is a credential, so the server hands it out
 * only in demo mode (which these journeys run): in the `demoLink` of the invite answer, and in the text of the
 * mail under Sent mail. Both return the path (`/invite/<token>`), to open against the journey's own server.
 */
const invitePath = /\/invite\/[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/;

/** Invites a patient through the API as the staff member signed in on `page` (needs `portal.invite`). */
export async function inviteByApi(page: Page, patientId: string, email?: string): Promise<string> {
  const answer = await callApi<{ demoLink: string | null }>(
    page,
    'POST',
    `/api/v1/patients/${patientId}/invitations`,
    email ? { email } : {},
  );
  if (answer.status !== 201)
    throw new Error(`invitation refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  const path = answer.body.demoLink?.match(invitePath)?.[0];
  if (!path) throw new Error('no demo link in the answer: is the server in demo mode?');
  return path;
}

/** The newest invitation link mailed to `to`, read from the outbox as an admin signed in on `page`. */
export async function invitationLinkFromOutbox(page: Page, to: string): Promise<string> {
  const answer = await callApi<{ items: { to: string; text: string | null }[] }>(
    page,
    'GET',
    '/api/v1/mail/outbox?limit=100',
  );
  if (answer.status !== 200) throw new Error(`outbox refused: ${answer.status}`);
  const mail = answer.body.items.find((m) => m.to === to.toLowerCase());
  const path = mail?.text?.match(invitePath)?.[0];
  if (!path) throw new Error(`no invitation mail to ${to} with its text (demo mode only)`);
  return path;
}
