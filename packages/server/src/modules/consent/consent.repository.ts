import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { consentTemplateKinds } from '../../db/schema/consent.ts';
import {
  clinic,
  consentCountersignature,
  consentSignature,
  consentTemplate,
  consentTemplateVersion,
  consentWithdrawal,
  patient,
  userAccount,
} from '../../db/schema/index.ts';

/** Every query here takes the clinic as a required argument and filters by it. */

export type TemplateRow = typeof consentTemplate.$inferSelect;
export type VersionRow = typeof consentTemplateVersion.$inferSelect & { publishedByName: string };

/** The clinic's forms in a reader's order: the general form, the route forms, then the optional ones. */
export async function findTemplates(db: Db, clinicId: string): Promise<TemplateRow[]> {
  const rows = await db.select().from(consentTemplate).where(eq(consentTemplate.clinicId, clinicId));
  return rows.sort((a, b) => consentTemplateKinds.indexOf(a.kind) - consentTemplateKinds.indexOf(b.kind));
}

export async function findTemplateById(
  db: Db,
  clinicId: string,
  templateId: string,
  lock = false,
): Promise<TemplateRow | undefined> {
  const query = db
    .select()
    .from(consentTemplate)
    .where(and(eq(consentTemplate.clinicId, clinicId), eq(consentTemplate.id, templateId)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** All versions of the clinic's templates (or of the given ones), newest first within a template. */
export async function findVersions(db: Db, clinicId: string, templateIds?: string[]): Promise<VersionRow[]> {
  if (templateIds && templateIds.length === 0) return [];
  return db
    .select({
      id: consentTemplateVersion.id,
      clinicId: consentTemplateVersion.clinicId,
      templateId: consentTemplateVersion.templateId,
      version: consentTemplateVersion.version,
      title: consentTemplateVersion.title,
      body: consentTemplateVersion.body,
      changeNote: consentTemplateVersion.changeNote,
      publishedAt: consentTemplateVersion.publishedAt,
      publishedBy: consentTemplateVersion.publishedBy,
      publishedByName: userAccount.displayName,
    })
    .from(consentTemplateVersion)
    .innerJoin(
      userAccount,
      and(
        eq(userAccount.clinicId, consentTemplateVersion.clinicId),
        eq(userAccount.id, consentTemplateVersion.publishedBy),
      ),
    )
    .where(
      and(
        eq(consentTemplateVersion.clinicId, clinicId),
        templateIds ? inArray(consentTemplateVersion.templateId, templateIds) : undefined,
      ),
    )
    .orderBy(asc(consentTemplateVersion.templateId), desc(consentTemplateVersion.version));
}

export async function findVersionById(db: Db, clinicId: string, versionId: string) {
  const [row] = await db
    .select({ version: consentTemplateVersion, template: consentTemplate })
    .from(consentTemplateVersion)
    .innerJoin(
      consentTemplate,
      and(
        eq(consentTemplate.clinicId, consentTemplateVersion.clinicId),
        eq(consentTemplate.id, consentTemplateVersion.templateId),
      ),
    )
    .where(and(eq(consentTemplateVersion.clinicId, clinicId), eq(consentTemplateVersion.id, versionId)));
  return row;
}

export async function latestVersionNumber(db: Db, clinicId: string, templateId: string): Promise<number> {
  const [row] = await db
    .select({ version: consentTemplateVersion.version })
    .from(consentTemplateVersion)
    .where(
      and(eq(consentTemplateVersion.clinicId, clinicId), eq(consentTemplateVersion.templateId, templateId)),
    )
    .orderBy(desc(consentTemplateVersion.version))
    .limit(1);
  return row?.version ?? 0;
}

export interface SignatureRecord {
  signature: typeof consentSignature.$inferSelect;
  version: number;
  templateId: string;
  templateKind: string;
  templateTitle: string;
  countersignature: typeof consentCountersignature.$inferSelect | null;
  withdrawal: typeof consentWithdrawal.$inferSelect | null;
}

function signatureQuery(db: Db) {
  return db
    .select({
      signature: consentSignature,
      version: consentTemplateVersion.version,
      templateId: consentTemplate.id,
      templateKind: consentTemplate.kind,
      templateTitle: consentTemplateVersion.title,
      countersignature: consentCountersignature,
      withdrawal: consentWithdrawal,
    })
    .from(consentSignature)
    .innerJoin(
      consentTemplateVersion,
      and(
        eq(consentTemplateVersion.clinicId, consentSignature.clinicId),
        eq(consentTemplateVersion.id, consentSignature.templateVersionId),
      ),
    )
    .innerJoin(
      consentTemplate,
      and(
        eq(consentTemplate.clinicId, consentTemplateVersion.clinicId),
        eq(consentTemplate.id, consentTemplateVersion.templateId),
      ),
    )
    .leftJoin(
      consentCountersignature,
      and(
        eq(consentCountersignature.clinicId, consentSignature.clinicId),
        eq(consentCountersignature.signatureId, consentSignature.id),
      ),
    )
    .leftJoin(
      consentWithdrawal,
      and(
        eq(consentWithdrawal.clinicId, consentSignature.clinicId),
        eq(consentWithdrawal.signatureId, consentSignature.id),
      ),
    )
    .$dynamic();
}

/** A patient's signatures, newest first, with their countersignature and withdrawal. */
export async function findSignaturesOfPatient(
  db: Db,
  clinicId: string,
  patientId: string,
): Promise<SignatureRecord[]> {
  return signatureQuery(db)
    .where(and(eq(consentSignature.clinicId, clinicId), eq(consentSignature.patientId, patientId)))
    .orderBy(desc(consentSignature.signedAt));
}

/** One signature of one patient: another patient's or another clinic's signature is simply not found. */
export async function findSignatureOfPatient(
  db: Db,
  clinicId: string,
  patientId: string,
  signatureId: string,
): Promise<SignatureRecord | undefined> {
  const [row] = await signatureQuery(db).where(
    and(
      eq(consentSignature.clinicId, clinicId),
      eq(consentSignature.patientId, patientId),
      eq(consentSignature.id, signatureId),
    ),
  );
  return row;
}

/** A signature by id in the clinic, whoever it belongs to (to tell an idempotent retry from a clash). */
export async function findSignatureById(db: Db, clinicId: string, signatureId: string) {
  const [row] = await db
    .select()
    .from(consentSignature)
    .where(and(eq(consentSignature.clinicId, clinicId), eq(consentSignature.id, signatureId)));
  return row;
}

/** The patient's row, locked: signatures of one patient are taken one after the other. */
export async function lockPatient(db: Db, clinicId: string, patientId: string) {
  const [row] = await db
    .select({
      id: patient.id,
      givenName: patient.givenName,
      familyName: patient.familyName,
    })
    .from(patient)
    .where(and(eq(patient.clinicId, clinicId), eq(patient.id, patientId)))
    .for('update');
  return row;
}

export async function findPatientName(db: Db, clinicId: string, patientId: string) {
  const [row] = await db
    .select({ givenName: patient.givenName, familyName: patient.familyName, mrn: patient.mrn })
    .from(patient)
    .where(and(eq(patient.clinicId, clinicId), eq(patient.id, patientId)));
  return row;
}

export async function findClinic(db: Db, clinicId: string) {
  const [row] = await db
    .select({ name: clinic.name, timeZone: clinic.timeZone })
    .from(clinic)
    .where(eq(clinic.id, clinicId));
  if (!row) throw new Error('the caller’s clinic is missing');
  return row;
}

export async function findStaffName(db: Db, clinicId: string, userId: string): Promise<string> {
  const [row] = await db
    .select({ displayName: userAccount.displayName })
    .from(userAccount)
    .where(and(eq(userAccount.clinicId, clinicId), eq(userAccount.id, userId)));
  if (!row) throw new Error('the acting staff member is missing');
  return row.displayName;
}
