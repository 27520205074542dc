import { randomUUID } from 'node:crypto';
import type { Route } from '@kapstone/clinical';
import type { ServiceContext } from '../../context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import {
  type ConsentTemplateKind,
  consentCountersignature,
  consentSignature,
  consentTemplate,
  consentTemplateVersion,
  consentWithdrawal,
} from '../../db/schema/consent.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors.ts';
import { assertChartAccess } from '../../security/care-scope.ts';
import { findActivePlan } from '../plans/plans.service.ts';
import { renderConsentPdf } from './consent.pdf.ts';
import {
  longDate,
  longDateTime,
  namesMatch,
  renderConsentText,
  sha256Hex,
  unknownPlaceholders,
} from './consent.render.ts';
import * as repo from './consent.repository.ts';
import {
  type ConsentStatus,
  problemOf,
  requiredForEveryRoute,
  requiredForRoute,
  type SignatureFacts,
  standingOf,
  statusOf,
  type TemplateFacts,
} from './consent.status.ts';

export type { ConsentStatus } from './consent.status.ts';

/** Forms the clinic may not make a condition of treatment (research use, recording, touch). */
const optionalKinds: readonly ConsentTemplateKind[] = ['touch', 'recording', 'research'];
const routeKinds: readonly ConsentTemplateKind[] = ['iv', 'im', 'sublingual-home', 'esketamine'];

// ---------------------------------------------------------------------------------------------------------
// Templates (admin)

export interface TemplateInput {
  kind: ConsentTemplateKind;
  title: string;
  required: boolean;
  routes: Route[];
  body: string;
  changeNote?: string | null;
}

function presentVersion(v: repo.VersionRow) {
  return {
    id: v.id,
    templateId: v.templateId,
    version: v.version,
    title: v.title,
    body: v.body,
    changeNote: v.changeNote,
    publishedAt: v.publishedAt.toISOString(),
    publishedBy: { id: v.publishedBy, displayName: v.publishedByName },
  };
}

function presentTemplate(t: repo.TemplateRow, versions: repo.VersionRow[]) {
  const mine = versions.filter((v) => v.templateId === t.id);
  const current = mine[0];
  if (!current) throw new Error(`consent template ${t.id} has no version`);
  return {
    id: t.id,
    kind: t.kind,
    title: current.title,
    required: t.required,
    routes: t.routes,
    createdAt: t.createdAt.toISOString(),
    currentVersion: presentVersion(current),
    versions: mine.map((v) => ({
      id: v.id,
      version: v.version,
      title: v.title,
      changeNote: v.changeNote,
      publishedAt: v.publishedAt.toISOString(),
      publishedBy: { id: v.publishedBy, displayName: v.publishedByName },
    })),
  };
}

function checkBody(body: string) {
  const unknown = unknownPlaceholders(body);
  if (unknown.length > 0)
    throw new Invalid('The text uses a placeholder that does not exist.', [
      {
        path: 'body',
        message: `Unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}: use {{patientName}}, {{clinicName}} or {{date}}.`,
      },
    ]);
}

function checkTemplateShape(input: Pick<TemplateInput, 'kind' | 'required' | 'routes'>) {
  if (new Set(input.routes).size !== input.routes.length)
    throw new Invalid('A route is listed twice.', [{ path: 'routes', message: 'List each route once.' }]);
  if (optionalKinds.includes(input.kind) && input.required)
    throw new Invalid('Consent to touch, recording or research use is always optional.', [
      { path: 'required', message: 'Treatment may not depend on this consent: leave it optional.' },
    ]);
  if (input.kind === 'general' && (!input.required || input.routes.length > 0))
    throw new Invalid('The general consent is required before any treatment, whatever the route.', [
      { path: 'routes', message: 'Leave the routes empty and mark the general consent required.' },
    ]);
  if (routeKinds.includes(input.kind) && input.routes.length === 0)
    throw new Invalid('A route-specific consent names the routes it applies to.', [
      { path: 'routes', message: 'Choose at least one route.' },
    ]);
}

export async function listTemplates(ctx: ServiceContext) {
  const templates = await repo.findTemplates(ctx.tx, ctx.clinicId);
  const versions = await repo.findVersions(ctx.tx, ctx.clinicId);
  return { items: templates.map((t) => presentTemplate(t, versions)) };
}

export async function getTemplate(ctx: ServiceContext, templateId: string) {
  const template = await repo.findTemplateById(ctx.tx, ctx.clinicId, templateId);
  if (!template) throw new NotFound('Consent template');
  return presentTemplate(template, await repo.findVersions(ctx.tx, ctx.clinicId, [templateId]));
}

/** Creates a form with its first version. One form per kind and clinic. */
export async function createTemplate(ctx: ServiceContext, input: TemplateInput) {
  checkTemplateShape(input);
  checkBody(input.body);
  const now = ctx.clock.now();
  const templateId = randomUUID();
  const versionId = randomUUID();
  try {
    await ctx.tx.transaction(async (sp) => {
      await sp.insert(consentTemplate).values({
        id: templateId,
        clinicId: ctx.clinicId,
        kind: input.kind,
        title: input.title,
        required: input.required,
        routes: input.routes,
        createdAt: now,
        createdBy: ctx.actor.userId,
      });
      await sp.insert(consentTemplateVersion).values({
        id: versionId,
        clinicId: ctx.clinicId,
        templateId,
        version: 1,
        title: input.title,
        body: input.body,
        changeNote: input.changeNote ?? null,
        publishedAt: now,
        publishedBy: ctx.actor.userId,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Conflict('The clinic already has a form of this kind; publish a new version of it instead.', [
        { path: 'kind', message: 'A form of this kind exists.' },
      ]);
    throw error;
  }
  ctx.audit.record({
    action: 'consent-template.create',
    resourceType: 'consent_template',
    resourceId: templateId,
    detail: { kind: input.kind, versionId, version: 1 },
  });
  return getTemplate(ctx, templateId);
}

/**
 * Publishes a new version. Older versions stay as they were (the table is append-only); signatures on them
 * become outdated, so the patient must sign the new wording before the next dosing session.
 */
export async function publishVersion(
  ctx: ServiceContext,
  templateId: string,
  input: { title?: string; body: string; changeNote: string },
) {
  checkBody(input.body);
  // The template row is locked so that two publications in the same instant get consecutive numbers.
  const template = await repo.findTemplateById(ctx.tx, ctx.clinicId, templateId, true);
  if (!template) throw new NotFound('Consent template');
  const [previous] = await repo.findVersions(ctx.tx, ctx.clinicId, [templateId]);
  const version = (previous?.version ?? 0) + 1;
  const id = randomUUID();
  await ctx.tx.insert(consentTemplateVersion).values({
    id,
    clinicId: ctx.clinicId,
    templateId,
    version,
    title: input.title ?? previous?.title ?? template.title,
    body: input.body,
    changeNote: input.changeNote,
    publishedAt: ctx.clock.now(),
    publishedBy: ctx.actor.userId,
  });
  ctx.audit.record({
    action: 'consent-template.publish',
    resourceType: 'consent_template_version',
    resourceId: id,
    detail: { templateId, kind: template.kind, version },
  });
  return getTemplate(ctx, templateId);
}

// ---------------------------------------------------------------------------------------------------------
// Where a patient stands

async function patientFacts(ctx: ServiceContext, patientId: string) {
  const templates = await repo.findTemplates(ctx.tx, ctx.clinicId);
  const versions = await repo.findVersions(ctx.tx, ctx.clinicId);
  const records = await repo.findSignaturesOfPatient(ctx.tx, ctx.clinicId, patientId);
  const facts: TemplateFacts[] = templates.map((t) => {
    const current = versions.find((v) => v.templateId === t.id)!;
    return {
      id: t.id,
      kind: t.kind,
      title: current.title,
      required: t.required,
      routes: t.routes,
      currentVersion: { id: current.id, version: current.version },
    };
  });
  const signatures: SignatureFacts[] = records.map((r) => ({
    id: r.signature.id,
    templateId: r.templateId,
    templateVersionId: r.signature.templateVersionId,
    version: r.version,
    signedAt: r.signature.signedAt,
    countersignedAt: r.countersignature?.countersignedAt ?? null,
    withdrawnAt: r.withdrawal?.withdrawnAt ?? null,
  }));
  return { templates, versions, facts, signatures, records };
}

/**
 * Whether the patient may be dosed as far as consent goes (cross-area contract): for each form required for
 * the route (the general consent, plus the route's own), a signature on the version in use, countersigned
 * and not withdrawn. `problems` says what is missing in plain words.
 */
export async function consentStatus(
  ctx: ServiceContext,
  patientId: string,
  route?: Route,
): Promise<ConsentStatus> {
  await assertChartAccess(ctx, patientId);
  const { facts, signatures } = await patientFacts(ctx, patientId);
  const { timeZone } = await repo.findClinic(ctx.tx, ctx.clinicId);
  return statusOf(facts, signatures, route, (d) => longDate(d, timeZone));
}

function presentSignature(r: repo.SignatureRecord, timeZone: string, forStaff: boolean) {
  return {
    id: r.signature.id,
    templateId: r.templateId,
    templateKind: r.templateKind as ConsentTemplateKind,
    title: r.templateTitle,
    templateVersionId: r.signature.templateVersionId,
    version: r.version,
    typedName: r.signature.typedName,
    signedAt: r.signature.signedAt.toISOString(),
    signedAtLocal: longDateTime(r.signature.signedAt, timeZone),
    textSha256: r.signature.textSha256,
    ...(forStaff ? { ip: r.signature.ip, userAgent: r.signature.userAgent } : {}),
    countersignature: r.countersignature
      ? {
          by: { id: r.countersignature.countersignedBy, displayName: r.countersignature.countersignerName },
          at: r.countersignature.countersignedAt.toISOString(),
        }
      : null,
    withdrawal: r.withdrawal
      ? {
          at: r.withdrawal.withdrawnAt.toISOString(),
          recordedBy: r.withdrawal.recordedByKind,
          reason: r.withdrawal.reason,
        }
      : null,
  };
}

async function standings(ctx: ServiceContext, patientId: string, forStaff: boolean) {
  const { facts, signatures, records } = await patientFacts(ctx, patientId);
  // The active plan's route decides which route-specific forms are needed now (none before a plan).
  const route = (await findActivePlan(ctx, patientId))?.route ?? null;
  const { timeZone } = await repo.findClinic(ctx.tx, ctx.clinicId);
  const formatDay = (d: Date) => longDate(d, timeZone);
  const byId = new Map(records.map((r) => [r.signature.id, r]));
  const forms = facts.map((template) => {
    const standing = standingOf(template, signatures);
    return {
      template: {
        id: template.id,
        kind: template.kind,
        title: template.title,
        required: template.required,
        routes: template.routes,
      },
      currentVersion: template.currentVersion,
      state: standing.state,
      /** Needed before the next dosing session: the general form, and the active plan's route forms. */
      neededNow: requiredForEveryRoute(template) || (route !== null && requiredForRoute(template, route)),
      problem: template.required ? problemOf(standing, formatDay) : null,
      latestSignature: standing.latest
        ? presentSignature(byId.get(standing.latest.id)!, timeZone, forStaff)
        : null,
    };
  });
  return {
    route,
    status: statusOf(facts, signatures, route ?? undefined, formatDay),
    forms,
    signatures: records.map((r) => presentSignature(r, timeZone, forStaff)),
  };
}

/** Staff view of a chart's consent: each form's standing, the general status, and every signature. */
export async function patientConsents(ctx: ServiceContext, patientId: string) {
  const access = await assertChartAccess(ctx, patientId);
  const result = await standings(ctx, patientId, true);
  ctx.audit.record({
    action: 'consent.list',
    resourceType: 'consent_signature',
    patientId,
    breakGlass: access.breakGlass,
    detail: { count: result.signatures.length },
  });
  return result;
}

function portalPatientId(ctx: ServiceContext): string {
  if (ctx.actor.kind !== 'patient') throw new Forbidden('This is the patient portal’s own consent view.');
  return ctx.actor.patientId;
}

/** The portal: what to sign and what was signed. */
export async function myConsents(ctx: ServiceContext) {
  const patientId = portalPatientId(ctx);
  await assertChartAccess(ctx, patientId);
  const result = await standings(ctx, patientId, false);
  ctx.audit.record({
    action: 'consent.list',
    resourceType: 'consent_signature',
    patientId,
    detail: { count: result.signatures.length },
  });
  return result;
}

async function renderFor(ctx: ServiceContext, patientId: string, versionId: string) {
  const found = await repo.findVersionById(ctx.tx, ctx.clinicId, versionId);
  if (!found) throw new NotFound('Consent form');
  const person = await repo.findPatientName(ctx.tx, ctx.clinicId, patientId);
  if (!person) throw new NotFound('Patient');
  const clinicRow = await repo.findClinic(ctx.tx, ctx.clinicId);
  const text = renderConsentText({
    title: found.version.title,
    version: found.version.version,
    body: found.version.body,
    patientName: `${person.givenName} ${person.familyName}`,
    clinicName: clinicRow.name,
    date: longDate(ctx.clock.now(), clinicRow.timeZone),
  });
  const latest = await repo.latestVersionNumber(ctx.tx, ctx.clinicId, found.template.id);
  return { found, person, text, current: latest === found.version.version };
}

/** The text of a form as this patient is to read and sign it today, with its SHA-256. */
export async function readConsentText(ctx: ServiceContext, versionId: string) {
  const patientId = portalPatientId(ctx);
  await assertChartAccess(ctx, patientId);
  const { found, text, current } = await renderFor(ctx, patientId, versionId);
  ctx.audit.record({
    action: 'consent.text.read',
    resourceType: 'consent_template_version',
    resourceId: versionId,
    patientId,
  });
  return {
    templateVersionId: found.version.id,
    templateId: found.template.id,
    kind: found.template.kind,
    title: found.version.title,
    version: found.version.version,
    current,
    changeNote: found.version.changeNote,
    text,
    textSha256: sha256Hex(text),
  };
}

export interface SignatureInput {
  id: string;
  typedName: string;
  agreed: true;
  textSha256: string;
}

/**
 * The patient signs the version in use. Idempotent by the client's id: a retry of the same signature gets
 * the first one back (`created: false`). The typed name must be the patient's legal name; the hash must
 * be that of the text the server renders now, or the patient saw something else (409).
 */
export async function signConsent(ctx: ServiceContext, versionId: string, input: SignatureInput) {
  const patientId = portalPatientId(ctx);
  await assertChartAccess(ctx, patientId);
  const { timeZone } = await repo.findClinic(ctx.tx, ctx.clinicId);
  const person = await repo.lockPatient(ctx.tx, ctx.clinicId, patientId);
  if (!person) throw new NotFound('Patient');

  const earlier = await repo.findSignatureById(ctx.tx, ctx.clinicId, input.id);
  if (earlier) {
    if (earlier.patientId !== patientId || earlier.templateVersionId !== versionId)
      throw new Conflict('This signature id is already in use.', [
        { path: 'id', message: 'Generate a new id for a new signature.' },
      ]);
    const record = await repo.findSignatureOfPatient(ctx.tx, ctx.clinicId, patientId, input.id);
    return { created: false, signature: presentSignature(record!, timeZone, false) };
  }

  const { found, text, current } = await renderFor(ctx, patientId, versionId);
  if (!current)
    throw new Conflict('A newer version of this form has been published: please read it and sign that one.', [
      { path: 'templateVersionId', message: 'This version is no longer in use.' },
    ]);
  const legalName = `${person.givenName} ${person.familyName}`;
  if (!namesMatch(input.typedName, legalName))
    throw new Invalid('The typed name must be your full legal name as the clinic has it.', [
      {
        path: 'typedName',
        message:
          'Type your full name exactly as it appears in your record (capitals and accents do not matter).',
      },
    ]);
  const textSha256 = sha256Hex(text);
  if (input.textSha256 !== textSha256)
    throw new Conflict('The text changed since you opened it: please read it again before signing.', [
      { path: 'textSha256', message: 'The text changed.' },
    ]);
  const records = await repo.findSignaturesOfPatient(ctx.tx, ctx.clinicId, patientId);
  const active = records.find((r) => r.signature.templateVersionId === versionId && !r.withdrawal);
  if (active)
    throw new Conflict('You have already signed this version of the form.', [
      { path: 'templateVersionId', message: 'Already signed.' },
    ]);

  try {
    await ctx.tx.transaction(async (sp) => {
      await sp.insert(consentSignature).values({
        id: input.id,
        clinicId: ctx.clinicId,
        patientId,
        templateVersionId: versionId,
        signedBy: ctx.actor.userId,
        typedName: input.typedName.trim(),
        agreed: input.agreed,
        signedAt: ctx.clock.now(),
        ip: ctx.request.ip,
        userAgent: ctx.request.userAgent,
        renderedText: text,
        textSha256,
      });
    });
  } catch (error) {
    // The id exists in another clinic: astronomically unlikely for a random UUID, but never a 500.
    if (isUniqueViolation(error))
      throw new Conflict('This signature id is already in use.', [
        { path: 'id', message: 'Generate a new id for a new signature.' },
      ]);
    throw error;
  }
  ctx.audit.record({
    action: 'consent.sign',
    resourceType: 'consent_signature',
    resourceId: input.id,
    patientId,
    detail: { templateId: found.template.id, kind: found.template.kind, version: found.version.version },
  });
  const record = await repo.findSignatureOfPatient(ctx.tx, ctx.clinicId, patientId, input.id);
  return { created: true, signature: presentSignature(record!, timeZone, false) };
}

/** A staff member countersigns a patient's signature, once. */
export async function countersign(ctx: ServiceContext, patientId: string, signatureId: string) {
  const access = await assertChartAccess(ctx, patientId);
  const record = await repo.findSignatureOfPatient(ctx.tx, ctx.clinicId, patientId, signatureId);
  if (!record) throw new NotFound('Consent signature');
  const { timeZone } = await repo.findClinic(ctx.tx, ctx.clinicId);
  if (record.withdrawal) throw new Conflict('The patient withdrew this consent; it cannot be countersigned.');
  if (record.countersignature)
    throw new Conflict(
      `Already countersigned by ${record.countersignature.countersignerName} on ${longDate(record.countersignature.countersignedAt, timeZone)}.`,
    );
  const id = randomUUID();
  const name = await repo.findStaffName(ctx.tx, ctx.clinicId, ctx.actor.userId);
  try {
    await ctx.tx.transaction(async (sp) => {
      await sp.insert(consentCountersignature).values({
        id,
        clinicId: ctx.clinicId,
        signatureId,
        countersignedBy: ctx.actor.userId,
        countersignerName: name,
        countersignedAt: ctx.clock.now(),
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict('Someone countersigned this consent a moment ago.');
    throw error;
  }
  ctx.audit.record({
    action: 'consent.countersign',
    resourceType: 'consent_signature',
    resourceId: signatureId,
    patientId,
    breakGlass: access.breakGlass,
    detail: { countersignatureId: id },
  });
  const updated = await repo.findSignatureOfPatient(ctx.tx, ctx.clinicId, patientId, signatureId);
  return presentSignature(updated!, timeZone, true);
}

/**
 * Records a withdrawal: by the patient in the portal, or by a staff member on the patient's word (with a
 * reason). Recorded once and never deleted; withdrawing a withdrawn consent returns the first withdrawal
 * (`created: false`), so a retried request is harmless.
 */
export async function withdrawConsent(
  ctx: ServiceContext,
  patientId: string,
  signatureId: string,
  input: { reason?: string | null },
) {
  const access = await assertChartAccess(ctx, patientId);
  const record = await repo.findSignatureOfPatient(ctx.tx, ctx.clinicId, patientId, signatureId);
  if (!record) throw new NotFound('Consent signature');
  const { timeZone } = await repo.findClinic(ctx.tx, ctx.clinicId);
  if (record.withdrawal)
    return { created: false, signature: presentSignature(record, timeZone, ctx.actor.kind === 'staff') };
  const id = randomUUID();
  const forStaff = ctx.actor.kind === 'staff';
  try {
    await ctx.tx.transaction(async (sp) => {
      await sp.insert(consentWithdrawal).values({
        id,
        clinicId: ctx.clinicId,
        signatureId,
        recordedBy: ctx.actor.userId,
        recordedByKind: ctx.actor.kind,
        withdrawnAt: ctx.clock.now(),
        reason: input.reason?.trim() || null,
      });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent withdrawal won: the consent is withdrawn either way, and that one is the record.
    const winner = await repo.findSignatureOfPatient(ctx.tx, ctx.clinicId, patientId, signatureId);
    return { created: false, signature: presentSignature(winner!, timeZone, forStaff) };
  }
  ctx.audit.record({
    action: 'consent.withdraw',
    resourceType: 'consent_signature',
    resourceId: signatureId,
    patientId,
    breakGlass: access.breakGlass,
    detail: { withdrawalId: id, recordedBy: ctx.actor.kind, kind: record.templateKind },
  });
  const updated = await repo.findSignatureOfPatient(ctx.tx, ctx.clinicId, patientId, signatureId);
  return { created: true, signature: presentSignature(updated!, timeZone, forStaff) };
}

export async function withdrawMyConsent(
  ctx: ServiceContext,
  signatureId: string,
  input: { reason?: string | null },
) {
  return withdrawConsent(ctx, portalPatientId(ctx), signatureId, input);
}

/**
 * The printable copy of a signed consent: the exact text signed, then the signature block. Reading it is a
 * read of patient data, so it is audited. The stored hash is checked against the stored text first.
 */
export async function consentDocument(ctx: ServiceContext, patientId: string, signatureId: string) {
  const access = await assertChartAccess(ctx, patientId);
  const record = await repo.findSignatureOfPatient(ctx.tx, ctx.clinicId, patientId, signatureId);
  if (!record) throw new NotFound('Consent signature');
  const clinicRow = await repo.findClinic(ctx.tx, ctx.clinicId);
  const person = await repo.findPatientName(ctx.tx, ctx.clinicId, patientId);
  const intact = sha256Hex(record.signature.renderedText) === record.signature.textSha256;
  const pdf = await renderConsentPdf({
    clinicName: clinicRow.name,
    title: record.templateTitle,
    version: record.version,
    text: record.signature.renderedText,
    patient: { name: `${person!.givenName} ${person!.familyName}`, mrn: person!.mrn },
    signature: {
      id: record.signature.id,
      typedName: record.signature.typedName,
      signedAt: longDateTime(record.signature.signedAt, clinicRow.timeZone),
      signedAtUtc: record.signature.signedAt.toISOString(),
      ip: record.signature.ip,
      userAgent: record.signature.userAgent,
      textSha256: record.signature.textSha256,
      intact,
    },
    countersignature: record.countersignature
      ? {
          name: record.countersignature.countersignerName,
          at: longDateTime(record.countersignature.countersignedAt, clinicRow.timeZone),
        }
      : null,
    withdrawal: record.withdrawal
      ? {
          at: longDateTime(record.withdrawal.withdrawnAt, clinicRow.timeZone),
          recordedBy: record.withdrawal.recordedByKind,
          reason: record.withdrawal.reason,
        }
      : null,
    printedAt: longDateTime(ctx.clock.now(), clinicRow.timeZone),
  });
  ctx.audit.record({
    action: 'consent.document.read',
    resourceType: 'consent_signature',
    resourceId: signatureId,
    patientId,
    breakGlass: access.breakGlass,
  });
  return {
    pdf,
    filename: `consent-${record.templateKind}-v${record.version}-${record.signature.signedAt.toISOString().slice(0, 10)}.pdf`,
  };
}

export async function myConsentDocument(ctx: ServiceContext, signatureId: string) {
  return consentDocument(ctx, portalPatientId(ctx), signatureId);
}
