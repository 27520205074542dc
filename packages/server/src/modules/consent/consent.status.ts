import type { Route } from '@kapstone/clinical';
import type { ConsentTemplateKind } from '../../db/schema/consent.ts';

/**
 * Where one patient stands with one consent form:
 * - 'not-signed': never signed;
 * - 'outdated': the last signature is on an older version than the one in use (a new version needs re-consent);
 * - 'withdrawn': the last signature was withdrawn;
 * - 'awaiting-countersignature': signed by the patient on the version in use, not yet countersigned;
 * - 'valid': signed on the version in use, countersigned, not withdrawn.
 */
export type ConsentState = 'not-signed' | 'outdated' | 'withdrawn' | 'awaiting-countersignature' | 'valid';

export interface TemplateFacts {
  id: string;
  kind: ConsentTemplateKind;
  title: string;
  required: boolean;
  routes: Route[];
  currentVersion: { id: string; version: number };
}

export interface SignatureFacts {
  id: string;
  templateId: string;
  templateVersionId: string;
  version: number;
  signedAt: Date;
  countersignedAt: Date | null;
  withdrawnAt: Date | null;
}

export interface TemplateStanding {
  template: TemplateFacts;
  state: ConsentState;
  /** The signature the state rests on (the patient's latest on this form), if any. */
  latest: SignatureFacts | null;
}

/** The patient's latest signature on the form decides; a signature is never overwritten, only followed. */
export function standingOf(template: TemplateFacts, signatures: readonly SignatureFacts[]): TemplateStanding {
  const mine = signatures
    .filter((s) => s.templateId === template.id)
    .sort((a, b) => b.signedAt.getTime() - a.signedAt.getTime() || b.version - a.version);
  const latest = mine[0] ?? null;
  let state: ConsentState;
  if (!latest) state = 'not-signed';
  else if (latest.withdrawnAt) state = 'withdrawn';
  else if (latest.templateVersionId !== template.currentVersion.id) state = 'outdated';
  else if (!latest.countersignedAt) state = 'awaiting-countersignature';
  else state = 'valid';
  return { template, state, latest };
}

/** Required before any dosing (the general consent): required, and not tied to particular routes. */
export const requiredForEveryRoute = (t: Pick<TemplateFacts, 'required' | 'routes'>) =>
  t.required && t.routes.length === 0;

/** Required before dosing by this route. */
export const requiredForRoute = (t: Pick<TemplateFacts, 'required' | 'routes'>, route: Route) =>
  t.required && t.routes.includes(route);

const routeNames: Record<Route, string> = {
  iv: 'IV infusion',
  im: 'IM injection',
  sublingual: 'sublingual (under the tongue)',
  oral: 'oral',
  intranasal: 'nasal spray',
};

export function routeName(route: Route): string {
  return routeNames[route];
}

/** What is missing, in words a front desk understands. */
export function problemOf(standing: TemplateStanding, formatDay: (d: Date) => string): string | null {
  const { template, state, latest } = standing;
  const name = `“${template.title}”`;
  switch (state) {
    case 'valid':
      return null;
    case 'not-signed':
      return `${name} has not been signed by the patient yet.`;
    case 'withdrawn':
      return `The patient withdrew ${name} on ${formatDay(latest!.withdrawnAt!)}; they must sign it again before the next dosing session.`;
    case 'outdated':
      return `${name} changed: the patient signed version ${latest!.version}, and version ${template.currentVersion.version} must be signed before the next dosing session.`;
    case 'awaiting-countersignature':
      return `${name} is signed by the patient and waiting for a staff countersignature.`;
  }
}

export interface ConsentStatus {
  valid: boolean;
  problems: string[];
}

/**
 * Valid when every form required for the route (the general consent, plus the route's own when a route is
 * given) is signed on the version in use, countersigned and not withdrawn. A clinic without the general
 * form, or without a form for the route, is never valid: consent cannot rest on a form that does not exist.
 */
export function statusOf(
  templates: readonly TemplateFacts[],
  signatures: readonly SignatureFacts[],
  route: Route | undefined,
  formatDay: (d: Date) => string,
): ConsentStatus {
  const problems: string[] = [];
  const general = templates.filter(requiredForEveryRoute);
  if (general.length === 0)
    problems.push(
      'No general consent form is set up for this clinic; an administrator can add one under Consent templates.',
    );
  const routeSpecific = route ? templates.filter((t) => requiredForRoute(t, route)) : [];
  if (route && routeSpecific.length === 0)
    problems.push(
      `No consent form for ${routeName(route)} treatment is set up for this clinic; an administrator can add one under Consent templates.`,
    );
  for (const template of [...general, ...routeSpecific]) {
    const problem = problemOf(standingOf(template, signatures), formatDay);
    if (problem) problems.push(problem);
  }
  return { valid: problems.length === 0, problems };
}
