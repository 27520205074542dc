import type { PlannedEvent, Product, ProtocolId, Route } from '@kapstone/clinical';
import type { ServiceContext } from '../../context.ts';
import type { FieldProblem } from '../../errors.ts';
import { consentStatus } from '../consent/consent.service.ts';
import { findEffectiveDecision } from '../eligibility/eligibility.service.ts';
import { findActivePlan } from '../plans/plans.service.ts';

/** What scheduling needs of the active plan. */
export interface ActivePlanFacts {
  id: string;
  protocolId: ProtocolId;
  route: Route;
  product: Product;
  startDate: string;
  dosingSessions: number;
  /** The course as planCourse made it when the plan was signed. */
  plannedCourse: PlannedEvent[];
}

export interface DosingPathway {
  plan: ActivePlanFacts | null;
  /** Every missing step, each on the field the front desk sees it next to; empty when dosing may be booked. */
  missing: FieldProblem[];
}

const routeNames: Record<Route, string> = {
  iv: 'IV',
  im: 'IM',
  sublingual: 'sublingual',
  oral: 'oral',
  intranasal: 'intranasal',
};

/**
 * The pathway gate (issue 4): no dosing session before (1) a signed eligibility decision that approves
 * (approve or approve-with-conditions), (2) valid consent for the plan's route, and (3) an active treatment
 * plan. Every missing step is listed, not only the first, so the front desk knows all that is left.
 */
export async function dosingPathway(ctx: ServiceContext, patientId: string): Promise<DosingPathway> {
  const planRow = await findActivePlan(ctx, patientId);
  const plan: ActivePlanFacts | null = planRow
    ? {
        id: planRow.id,
        protocolId: planRow.protocolId,
        route: planRow.route,
        product: planRow.product,
        startDate: planRow.startDate,
        dosingSessions: planRow.dosingSessions,
        plannedCourse: planRow.plannedCourse,
      }
    : null;
  const eligibility = await approvalFacts(ctx, patientId, plan);
  const route = plan?.route ?? eligibility?.route;
  const consent = await consentStatus(ctx, patientId, route);

  const missing: FieldProblem[] = [];
  if (!eligibility?.approved) {
    missing.push({
      path: 'kind',
      message: plan
        ? `No signed eligibility approval (approve, or approve with conditions) for ${routeNames[plan.route]} ${plan.product === 'esketamine' ? 'esketamine' : 'ketamine'}.`
        : 'No signed eligibility approval (approve, or approve with conditions).',
    });
  }
  if (!consent.valid) {
    const routeText = route ? ` for the ${routeNames[route]} route` : '';
    const detail = consent.problems.length
      ? ` (${consent.problems.map((p) => p.replace(/\.$/, '')).join('; ')})`
      : '';
    missing.push({ path: 'kind', message: `No valid consent${routeText}${detail}.` });
  }
  if (!plan) missing.push({ path: 'kind', message: 'No active treatment plan: a prescriber must sign one.' });
  return { plan, missing };
}

/**
 * Whether the effective eligibility decision approves, for the plan's route and product when there is a plan.
 * Only "approved or not" leaves this function: the front desk, who books dosing but may not read clinical
 * data, never learns from a refusal whether a decision was deferred or declined.
 */
async function approvalFacts(
  ctx: ServiceContext,
  patientId: string,
  plan: ActivePlanFacts | null,
): Promise<{ approved: boolean; route: Route } | null> {
  const effective = await findEffectiveDecision(
    ctx.tx,
    ctx.clinicId,
    patientId,
    plan ? { route: plan.route, product: plan.product } : {},
  );
  if (!effective) return null;
  return {
    approved: effective.decision === 'approve' || effective.decision === 'approve-with-conditions',
    route: effective.route,
  };
}

/** The 409 message naming every missing step. */
export function pathwayMessage(missing: readonly FieldProblem[]): string {
  const items = missing.map((m) => {
    const text = m.message.replace(/\.$/, '');
    return text.charAt(0).toLowerCase() + text.slice(1);
  });
  return `A dosing session cannot be booked yet. Missing: ${items.join('; ')}.`;
}
