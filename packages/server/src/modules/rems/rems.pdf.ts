import type { RemsDeadline, RemsFormCompleteness, SpravatoMonitoringFormData } from '@kapstone/clinical';
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { fitText, printableText, wrapText } from '../../pdf/text.ts';

export interface RemsFormDocumentInput {
  form: SpravatoMonitoringFormData;
  completeness: Pick<RemsFormCompleteness, 'complete' | 'missing' | 'warnings'>;
  deadline: RemsDeadline | null;
  submission: {
    submittedAt: string;
    method: 'online' | 'fax';
    confirmation: string | null;
    late: boolean;
  } | null;
  printedAt: string;
}

const pageSize: [number, number] = [612, 792]; // US Letter, in points
const margin = 40;
const width = pageSize[0] - 2 * margin;
const ink = rgb(0, 0, 0);
const grey = rgb(0.4, 0.4, 0.4);
const missingInk = rgb(0.75, 0.1, 0.1);

/**
 * Draws the form as boxes the way the paper form lays them out (clinical-reference 2.6): one row of labelled
 * fields per line, yes/no answers as ticked boxes, and a missing required field marked in red.
 */
class FormWriter {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];
  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    private readonly missing: Set<string>,
  ) {
    this.newPage();
  }
  newPage() {
    this.page = this.doc.addPage(pageSize);
    this.pages.push(this.page);
    this.y = pageSize[1] - margin;
  }
  ensure(height: number) {
    if (this.y - height < margin + 20) this.newPage();
  }
  text(text: string, options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb> } = {}) {
    const size = options.size ?? 9;
    const font = options.bold ? this.bold : this.regular;
    const lines = wrapText(font, text, size, width);
    for (const l of lines) {
      this.ensure(size + 4);
      this.page.drawText(l, { x: margin, y: this.y - size, size, font, color: options.color ?? ink });
      this.y -= size + 4;
    }
  }
  section(title: string) {
    this.ensure(40);
    this.y -= 6;
    this.page.drawRectangle({ x: margin, y: this.y - 14, width, height: 14, color: rgb(0.88, 0.9, 0.93) });
    this.page.drawText(printableText(this.bold, title), {
      x: margin + 4,
      y: this.y - 10.5,
      size: 9.5,
      font: this.bold,
    });
    this.y -= 18;
  }
  /** One row of boxed fields; each takes a share of the width. */
  row(fields: { label: string; value: string | null; field?: string; share?: number }[]) {
    const height = 26;
    this.ensure(height + 4);
    const total = fields.reduce((sum, f) => sum + (f.share ?? 1), 0);
    let x = margin;
    for (const f of fields) {
      const w = (width * (f.share ?? 1)) / total;
      const absent = f.field ? this.missing.has(f.field) : false;
      this.page.drawRectangle({
        x,
        y: this.y - height,
        width: w - 4,
        height,
        borderColor: absent ? missingInk : grey,
        borderWidth: absent ? 1.2 : 0.6,
      });
      this.page.drawText(fitText(this.regular, f.label, 6.5, w - 10), {
        x: x + 3,
        y: this.y - 8,
        size: 6.5,
        font: this.regular,
        color: grey,
      });
      const shown = f.value ?? (absent ? 'MISSING' : '');
      this.page.drawText(fitText(this.bold, shown, 9.5, w - 10), {
        x: x + 3,
        y: this.y - 21,
        size: 9.5,
        font: this.bold,
        color: f.value === null && absent ? missingInk : ink,
      });
      x += w;
    }
    this.y -= height + 4;
  }
  /** A yes/no question with two boxes, the answer ticked. */
  yesNo(label: string, value: boolean | null, field?: string) {
    const absent = field ? this.missing.has(field) : false;
    this.ensure(16);
    const box = (x: number, ticked: boolean) => {
      this.page.drawRectangle({ x, y: this.y - 10, width: 9, height: 9, borderColor: ink, borderWidth: 0.7 });
      if (ticked) this.page.drawText('X', { x: x + 1.8, y: this.y - 8.6, size: 8, font: this.bold });
    };
    this.page.drawText(fitText(this.regular, label, 9, width - 120), {
      x: margin,
      y: this.y - 9,
      size: 9,
      font: this.regular,
      color: absent ? missingInk : ink,
    });
    const bx = margin + width - 110;
    box(bx, value === true);
    this.page.drawText('Yes', { x: bx + 12, y: this.y - 9, size: 8.5, font: this.regular });
    box(bx + 45, value === false);
    this.page.drawText('No', { x: bx + 57, y: this.y - 9, size: 8.5, font: this.regular });
    if (absent)
      this.page.drawText('MISSING', {
        x: bx + 78,
        y: this.y - 9,
        size: 7,
        font: this.bold,
        color: missingInk,
      });
    this.y -= 15;
  }
}

const bp = (value: { systolic: number; diastolic: number; atMinutes: number } | null) =>
  value ? `${value.systolic}/${value.diastolic} mmHg (at ${value.atMinutes} min)` : null;

/** A form-like PDF of the SPRAVATO REMS Patient Monitoring Form, for submission online or by fax. */
export async function renderRemsFormPdf(input: RemsFormDocumentInput): Promise<Uint8Array> {
  const { form } = input;
  const doc = await PDFDocument.create();
  doc.setTitle(`SPRAVATO REMS Patient Monitoring Form - ${form.session.treatmentDate ?? ''}`);
  doc.setSubject('SPRAVATO REMS Patient Monitoring Form data (clinical-reference 2.6)');
  doc.setProducer('Kapstone');
  doc.setCreator('Kapstone');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const w = new FormWriter(doc, regular, bold, new Set(input.completeness.missing.map((m) => m.field)));

  w.text('SPRAVATO (esketamine) REMS - Patient Monitoring Form', { size: 14, bold: true });
  w.text(
    'Complete after every treatment session and submit within 7 days at www.SPRAVATOrems.com or by fax to 1-877-778-0091 (REMS phone 1-855-382-6022). Prepared by Kapstone from the session record; not the official form.',
    { size: 8, color: grey },
  );
  const status = input.submission
    ? `Submitted ${input.submission.submittedAt.slice(0, 10)} (${input.submission.method}${input.submission.confirmation ? `, ref. ${input.submission.confirmation}` : ''})${input.submission.late ? ' - after the 7-day deadline' : ''}`
    : input.deadline
      ? `Not submitted yet - due by ${input.deadline.dueDate}${input.deadline.overdue ? ' (OVERDUE)' : ''}`
      : 'Not submitted yet';
  w.text(status, {
    size: 9,
    bold: true,
    color: input.deadline?.overdue && !input.submission ? missingInk : ink,
  });
  if (!input.completeness.complete)
    w.text(`Incomplete: ${input.completeness.missing.map((m) => m.label).join('; ')}.`, {
      size: 8.5,
      color: missingInk,
    });
  for (const warning of input.completeness.warnings) w.text(`Check: ${warning.message}`, { size: 8.5 });

  const p = form.patient;
  w.section('Patient information');
  w.row([
    { label: 'First name *', value: p.firstName, field: 'patient.firstName', share: 2 },
    { label: 'MI', value: p.middleInitial, share: 0.5 },
    { label: 'Last name *', value: p.lastName, field: 'patient.lastName', share: 2 },
    { label: 'Date of birth *', value: p.dateOfBirth, field: 'patient.dateOfBirth', share: 1.2 },
    { label: 'Sex *', value: p.sex, field: 'patient.sex', share: 0.8 },
  ]);
  w.yesNo('Is this the patient’s first SPRAVATO treatment?', p.firstTreatment, 'patient.firstTreatment');
  w.yesNo('Is the patient enrolled in the SPRAVATO REMS?', p.enrolledInRems, 'patient.enrolledInRems');

  const m = form.concomitantMedications;
  w.section('Concomitant medications that may cause sedation or blood-pressure changes');
  w.yesNo('Benzodiazepines *', m.benzodiazepines, 'concomitantMedications.benzodiazepines');
  w.yesNo(
    'Non-benzodiazepine sedative hypnotics *',
    m.nonBenzodiazepineSedativeHypnotics,
    'concomitantMedications.nonBenzodiazepineSedativeHypnotics',
  );
  w.yesNo('Psychostimulants *', m.psychostimulants, 'concomitantMedications.psychostimulants');
  w.yesNo('Monoamine oxidase inhibitors (MAOIs) *', m.maois, 'concomitantMedications.maois');
  w.yesNo('Opioids', m.opioids, 'concomitantMedications.opioids');

  const h = form.monitoringHcp;
  w.section('Healthcare provider who monitored the patient');
  w.row([
    { label: 'First name *', value: h.firstName, field: 'monitoringHcp.firstName' },
    { label: 'Last name *', value: h.lastName, field: 'monitoringHcp.lastName' },
    { label: 'Telephone *', value: h.telephone, field: 'monitoringHcp.telephone' },
    { label: 'Email *', value: h.email, field: 'monitoringHcp.email', share: 1.4 },
  ]);
  const s = form.setting;
  w.section('Healthcare setting');
  w.row([
    { label: 'Setting name *', value: s.name, field: 'setting.name', share: 2 },
    { label: 'Address 1 *', value: s.address1, field: 'setting.address1', share: 2 },
    { label: 'Address 2', value: s.address2, share: 1.2 },
  ]);
  w.row([
    { label: 'City *', value: s.city, field: 'setting.city', share: 2 },
    { label: 'State *', value: s.state, field: 'setting.state', share: 0.7 },
    { label: 'ZIP *', value: s.zip, field: 'setting.zip', share: 1 },
  ]);

  const t = form.session;
  w.section('Treatment session');
  const dose =
    t.doseMg === null
      ? null
      : t.doseMg === 56 || t.doseMg === 84
        ? `${t.doseMg} mg`
        : `Other: ${t.doseMg} mg`;
  w.row([
    { label: 'Treatment date *', value: t.treatmentDate, field: 'session.treatmentDate' },
    { label: 'Dose given * (56 mg / 84 mg / other)', value: dose, field: 'session.doseMg' },
    {
      label: 'Lot number',
      value: t.lotNumbers.length ? t.lotNumbers.join(', ') : null,
      field: 'session.lotNumbers',
    },
  ]);
  w.row([
    {
      label: 'Total time (first device to end of monitoring), minutes; at least 120',
      value: t.totalMinutes === null ? null : String(t.totalMinutes),
      field: 'session.totalMinutes',
    },
    {
      label: 'Without the 2-hour minimum, ready to leave at (minutes from start)',
      value: t.readyToLeaveMinutes === null ? null : String(t.readyToLeaveMinutes),
      field: 'session.readyToLeaveMinutes',
    },
  ]);

  const v = form.vitals;
  w.section('Vital signs');
  w.yesNo(
    'Vital signs in an acceptable range before administration?',
    v.acceptableBeforeAdministration,
    'vitals.acceptableBeforeAdministration',
  );
  w.yesNo(
    'Vital signs in an acceptable range before session completion?',
    v.acceptableBeforeCompletion,
    'vitals.acceptableBeforeCompletion',
  );
  w.row([
    {
      label: 'BP before administration',
      value: bp(v.beforeAdministration),
      field: 'vitals.beforeAdministration',
    },
    {
      label: 'BP 40 min after administration',
      value: bp(v.fortyMinutesAfter),
      field: 'vitals.fortyMinutesAfter',
    },
    {
      label: 'BP before session completion',
      value: bp(v.beforeCompletion),
      field: 'vitals.beforeCompletion',
    },
  ]);

  const o = form.observed;
  w.section('During the session, did the patient experience');
  w.yesNo('Sedation', o.sedation, 'observed.sedation');
  w.yesNo('Dissociation', o.dissociation, 'observed.dissociation');
  w.yesNo('Respiratory depression', o.respiratoryDepression, 'observed.respiratoryDepression');
  w.yesNo('A serious adverse event', form.seriousAdverseEvents.occurred, 'seriousAdverseEvents.occurred');
  for (const description of form.seriousAdverseEvents.descriptions) w.text(`- ${description}`, { size: 8.5 });

  w.y -= 6;
  w.text(
    '* required on the REMS form. Field wording follows form revision 11/2021 (clinical-reference 2.6).',
    {
      size: 7,
      color: grey,
    },
  );
  const total = w.pages.length;
  w.pages.forEach((page, i) => {
    page.drawText(printableText(regular, `Printed ${input.printedAt} - page ${i + 1} of ${total}`), {
      x: margin,
      y: margin - 20,
      size: 7.5,
      font: regular,
      color: grey,
    });
  });
  return doc.save({ useObjectStreams: false });
}
