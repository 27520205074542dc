import {
  assessEligibility,
  type EligibilityDecisionKind,
  eligibilityDecisionKinds,
  type Product,
  type RationaleRequirement,
  type Route,
  rationaleRequirement,
} from '@kapstone/clinical';
import { and, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ServiceContext } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { eligibilityDecision } from '../../db/schema/index.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { requireClinicalAccess } from '../screening/vitals.service.ts';
import { assessmentFingerprint, gatherEligibilityFacts } from './eligibility.facts.ts';
import type { AmendmentInput, DecisionInput, DecisionView } from './eligibility.schemas.ts';

type DecisionRow = typeof eligibilityDecision.$inferSelect;

/** The engine's assessment of the chart as it is now: never one sent by a client. Access checked by the caller. */
async function computeAssessment(ctx: ServiceContext, patientId: string, route: Route, product: Product) {
  const { profile, sources, settings } = await gatherEligibilityFacts(ctx, patientId, route, product);
  const assessment = assessEligibility(profile, settings);
  const rationale = Object.fromEntries(
    eligibilityDecisionKinds.map((kind) => [kind, rationaleRequirement(kind, assessment)]),
  ) as Record<EligibilityDecisionKind, RationaleRequirement>;
  return { profile, sources, assessment, rationale, fingerprint: assessmentFingerprint(profile, assessment) };
}

/** The eligibility assessment for a route and product, with its fingerprint for signing. */
export async function assessmentFor(
  ctx: ServiceContext,
  patientId: string,
  query: { route: Route; product: Product },
) {
  const access = await requireClinicalAccess(ctx, patientId);
  const computed = await computeAssessment(ctx, patientId, query.route, query.product);
  ctx.audit.record({
    action: 'eligibility.assessment.read',
    resourceType: 'eligibility_assessment',
    patientId,
    breakGlass: access.breakGlass,
  });
  return {
    patientId,
    route: query.route,
    product: query.product,
    computedAt: ctx.clock.now().toISOString(),
    ...computed,
  };
}

const productNames: Record<Product, string> = {
  'ketamine-racemic': 'racemic ketamine',
  esketamine: 'esketamine',
};
const routeNames: Record<Route, string> = {
  iv: 'intravenous (IV)',
  im: 'intramuscular (IM)',
  sublingual: 'sublingual',
  oral: 'oral',
  intranasal: 'intranasal',
};

/** What the signature means, in words the signer is shown and the record keeps. */
function signatureMeaning(name: string, route: Route, product: Product, amends: DecisionRow | null): string {
  const what = amends
    ? `this amendment of the eligibility decision signed ${amends.signedAt.toISOString()}`
    : 'this eligibility decision';
  return `I, ${name}, sign ${what} for ${productNames[product]} by the ${routeNames[route]} route. I reviewed the assessment shown to me and each of its findings, and the decision is my own clinical judgement.`;
}

interface Signing {
  id: string;
  decision: EligibilityDecisionKind;
  conditions?: string | null;
  rationale?: string | null;
  fingerprint: string;
  route: Route;
  product: Product;
  amends: DecisionRow | null;
  reason: string | null;
}

/**
 * Signs a decision (or an amendment). The password was confirmed by the route. The assessment is recomputed
 * here; if its fingerprint is not the one the prescriber reviewed, the chart changed and the signature is
 * refused (409). A rationale is required where @kapstone/clinical says the decision differs from the engine.
 */
async function sign(ctx: ServiceContext, patientId: string, input: Signing) {
  const access = await requireClinicalAccess(ctx, patientId);
  if (ctx.actor.kind !== 'staff') throw new NotFound('Patient');
  const conditions = input.conditions?.trim() || null;
  const rationale = input.rationale?.trim() || null;

  const existing = await findDecision(ctx, patientId, input.id, false);
  if (existing) return { created: false, decision: await replay(ctx, patientId, existing, input) };

  if (!input.amends) {
    const latest = await latestOfChain(ctx, patientId, input.route, input.product);
    if (latest)
      throw new Conflict(
        'A decision is already signed for this route and product: amend it instead of signing another.',
        [{ path: 'decision', message: `Amend ${latest.id}.` }],
      );
  }
  if (input.amends) {
    const [later] = await ctx.tx
      .select({ id: eligibilityDecision.id })
      .from(eligibilityDecision)
      .where(
        and(
          eq(eligibilityDecision.clinicId, ctx.clinicId),
          eq(eligibilityDecision.amendsId, input.amends.id),
        ),
      );
    if (later)
      throw new Conflict('This decision was already amended: amend the latest version.', [
        { path: 'decisionId', message: `Amend ${later.id} instead.` },
      ]);
  }

  const computed = await computeAssessment(ctx, patientId, input.route, input.product);
  if (computed.fingerprint !== input.fingerprint)
    throw new Conflict(
      'The screening changed since you loaded it: review the assessment again before signing.',
      [{ path: 'fingerprint', message: 'The assessment changed; reload it and review again.' }],
    );
  const requirement = computed.rationale[input.decision];
  if (requirement.required && !rationale)
    throw new Invalid(requirement.reason ?? 'A rationale is required.', [
      { path: 'rationale', message: requirement.reason ?? 'A rationale is required.' },
    ]);

  const actor = ctx.actor;
  const now = ctx.clock.now();
  try {
    await ctx.tx.transaction(async (sp) => {
      await sp.insert(eligibilityDecision).values({
        id: input.id,
        clinicId: ctx.clinicId,
        patientId,
        route: input.route,
        product: input.product,
        decision: input.decision,
        conditions,
        rationale,
        engineDecision: computed.assessment.decision,
        assessment: computed.assessment,
        profile: computed.profile,
        sources: computed.sources,
        fingerprint: computed.fingerprint,
        amendsId: input.amends?.id ?? null,
        amendmentReason: input.reason,
        signedBy: actor.userId,
        signerName: actor.displayName,
        signerRoles: [...actor.roles],
        signedAt: now,
        signatureMeaning: signatureMeaning(actor.displayName, input.route, input.product, input.amends),
      });
    });
  } catch (error) {
    if (isUniqueViolation(error, 'eligibility_decision_one_chain_key'))
      throw new Conflict(
        'A decision was just signed for this route and product: reload, and amend it if it needs to change.',
        [{ path: 'decision', message: 'Already signed.' }],
      );
    if (isUniqueViolation(error, 'eligibility_decision_amends_once_key'))
      throw new Conflict('This decision was already amended: amend the latest version.', [
        { path: 'decisionId', message: 'Already amended.' },
      ]);
    if (isUniqueViolation(error)) {
      // The same id again: a concurrent retry of this signature (replayed), or another clinic's row.
      const raced = await findDecision(ctx, patientId, input.id, false);
      if (raced) return { created: false, decision: await replay(ctx, patientId, raced, input) };
      throw new Conflict('This signature id is already used: sign with a new id.', [
        { path: 'id', message: 'Generate a new id.' },
      ]);
    }
    throw error;
  }
  ctx.audit.record({
    action: input.amends ? 'eligibility.decision.amend' : 'eligibility.decision.sign',
    resourceType: 'eligibility_decision',
    resourceId: input.id,
    patientId,
    breakGlass: access.breakGlass,
    detail: {
      ...(input.amends ? { amends: input.amends.id } : {}),
      rationaleRequired: requirement.required,
    },
  });
  return { created: true, decision: await presentOne(ctx, patientId, input.id) };
}

/** The decision of the patient's chain for a route and product that no later one amends, if any. */
async function latestOfChain(ctx: ServiceContext, patientId: string, route: Route, product: Product) {
  const [row] = await ctx.tx
    .select({ id: eligibilityDecision.id })
    .from(eligibilityDecision)
    .where(
      and(
        eq(eligibilityDecision.clinicId, ctx.clinicId),
        eq(eligibilityDecision.patientId, patientId),
        eq(eligibilityDecision.route, route),
        eq(eligibilityDecision.product, product),
        sql`NOT EXISTS (SELECT 1 FROM ${eligibilityDecision} n WHERE n.clinic_id = ${eligibilityDecision.clinicId} AND n.amends_id = ${eligibilityDecision.id})`,
      ),
    )
    .limit(1);
  return row;
}

/** A retried signature returns the decision it made; the same id with other content is a conflict. */
async function replay(ctx: ServiceContext, patientId: string, existing: DecisionRow, input: Signing) {
  const same =
    existing.patientId === patientId &&
    existing.decision === input.decision &&
    existing.conditions === (input.conditions?.trim() || null) &&
    existing.rationale === (input.rationale?.trim() || null) &&
    existing.route === input.route &&
    existing.product === input.product &&
    existing.amendsId === (input.amends?.id ?? null);
  if (!same)
    throw new Conflict('A different decision was already signed with this id: generate a new one.', [
      { path: 'id', message: 'Generate a new id for a new signature.' },
    ]);
  return presentOne(ctx, patientId, existing.id);
}

export function signDecision(ctx: ServiceContext, patientId: string, input: Omit<DecisionInput, 'password'>) {
  return sign(ctx, patientId, { ...input, amends: null, reason: null });
}

export async function amendDecision(
  ctx: ServiceContext,
  patientId: string,
  decisionId: string,
  input: Omit<AmendmentInput, 'password'>,
) {
  await requireClinicalAccess(ctx, patientId);
  const target = await findDecision(ctx, patientId, decisionId, true);
  if (!target) throw new NotFound('Eligibility decision');
  return sign(ctx, patientId, {
    ...input,
    route: target.route,
    product: target.product,
    amends: target,
    reason: input.reason,
  });
}

async function findDecision(ctx: ServiceContext, patientId: string, id: string, samePatient: boolean) {
  const [row] = await ctx.tx
    .select()
    .from(eligibilityDecision)
    .where(
      and(
        eq(eligibilityDecision.clinicId, ctx.clinicId),
        eq(eligibilityDecision.id, id),
        ...(samePatient ? [eq(eligibilityDecision.patientId, patientId)] : []),
      ),
    );
  return row;
}

/** Every decision and amendment of the patient, newest first, each with the amendment that followed it. */
async function loadHistory(ctx: ServiceContext, patientId: string): Promise<DecisionView[]> {
  const next = alias(eligibilityDecision, 'next');
  const rows = await ctx.tx
    .select({ row: eligibilityDecision, amendedById: next.id })
    .from(eligibilityDecision)
    .leftJoin(
      next,
      and(eq(next.clinicId, eligibilityDecision.clinicId), eq(next.amendsId, eligibilityDecision.id)),
    )
    .where(and(eq(eligibilityDecision.clinicId, ctx.clinicId), eq(eligibilityDecision.patientId, patientId)))
    // At one instant, an amended decision sorts after its amendment.
    .orderBy(desc(eligibilityDecision.signedAt), sql`${next.id} IS NULL DESC`, desc(eligibilityDecision.id))
    .limit(200);
  return rows.map(({ row, amendedById }) => presentDecision(row, amendedById ?? null));
}

async function presentOne(ctx: ServiceContext, patientId: string, id: string): Promise<DecisionView> {
  const found = (await loadHistory(ctx, patientId)).find((d) => d.id === id);
  if (!found) throw new NotFound('Eligibility decision');
  return found;
}

export function presentDecision(row: DecisionRow, amendedById: string | null): DecisionView {
  return {
    id: row.id,
    patientId: row.patientId,
    route: row.route,
    product: row.product,
    decision: row.decision,
    conditions: row.conditions,
    rationale: row.rationale,
    engineDecision: row.engineDecision,
    assessment: row.assessment,
    profile: row.profile,
    sources: row.sources,
    fingerprint: row.fingerprint,
    amendsId: row.amendsId,
    amendmentReason: row.amendmentReason,
    amendedById,
    signedBy: { id: row.signedBy, displayName: row.signerName, roles: row.signerRoles },
    signedAt: row.signedAt.toISOString(),
    signatureMeaning: row.signatureMeaning,
    locked: true,
  };
}

/** The effective decision (the latest signed decision or amendment) with the whole history. */
export async function eligibilityOverview(ctx: ServiceContext, patientId: string) {
  const access = await requireClinicalAccess(ctx, patientId);
  const history = await loadHistory(ctx, patientId);
  ctx.audit.record({
    action: 'eligibility.read',
    resourceType: 'eligibility_decision',
    patientId,
    breakGlass: access.breakGlass,
    detail: { count: history.length },
  });
  return { effective: history[0] ?? null, history };
}

/**
 * For other areas (plans, scheduling): the latest signed decision or amendment, optionally for one route
 * and product, or null. The caller's chart access is checked at the clinical level (else NotFound).
 */
/** The effective signed decision of a patient, for clinical readers (the screening page, the chart). */
export async function effectiveEligibility(
  ctx: ServiceContext,
  patientId: string,
  filter: { route?: Route; product?: Product } = {},
): Promise<EffectiveDecision | null> {
  await requireClinicalAccess(ctx, patientId);
  return findEffectiveDecision(ctx.tx, ctx.clinicId, patientId, filter);
}

export interface EffectiveDecision {
  decision: EligibilityDecisionKind;
  signedAt: string;
  route: Route;
  product: Product;
}

/**
 * The latest signed decision (or amendment) that no later one amends, for a route and product if given.
 * No access check: callers prove access first (effectiveEligibility for clinical readers; the scheduling gate,
 * which tells the front desk only whether dosing is approved).
 */
export async function findEffectiveDecision(
  db: Db,
  clinicId: string,
  patientId: string,
  filter: { route?: Route; product?: Product } = {},
): Promise<EffectiveDecision | null> {
  const [row] = await db
    .select({
      decision: eligibilityDecision.decision,
      signedAt: eligibilityDecision.signedAt,
      route: eligibilityDecision.route,
      product: eligibilityDecision.product,
    })
    .from(eligibilityDecision)
    .where(
      and(
        eq(eligibilityDecision.clinicId, clinicId),
        eq(eligibilityDecision.patientId, patientId),
        ...(filter.route ? [eq(eligibilityDecision.route, filter.route)] : []),
        ...(filter.product ? [eq(eligibilityDecision.product, filter.product)] : []),
        sql`NOT EXISTS (SELECT 1 FROM ${eligibilityDecision} n WHERE n.clinic_id = ${eligibilityDecision.clinicId} AND n.amends_id = ${eligibilityDecision.id})`,
      ),
    )
    .orderBy(desc(eligibilityDecision.signedAt), desc(eligibilityDecision.id))
    .limit(1);
  return row ? { ...row, signedAt: row.signedAt.toISOString() } : null;
}
