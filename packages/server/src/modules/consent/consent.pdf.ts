import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { wrapText } from '../../pdf/text.ts';

export interface ConsentDocumentInput {
  clinicName: string;
  title: string;
  version: number;
  /** The exact text the patient signed (stored with the signature). */
  text: string;
  patient: { name: string; mrn: string };
  signature: {
    id: string;
    typedName: string;
    signedAt: string;
    signedAtUtc: string;
    ip: string | null;
    userAgent: string | null;
    textSha256: string;
    /** The stored text still hashes to the stored hash. */
    intact: boolean;
  };
  countersignature: { name: string; at: string } | null;
  withdrawal: { at: string; recordedBy: 'patient' | 'staff'; reason: string | null } | null;
  printedAt: string;
}

const pageSize: [number, number] = [612, 792]; // US Letter, in points
const margin = 56;
const bodySize = 10.5;
const leading = 14.5;

class Writer {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];
  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    readonly mono: PDFFont,
  ) {
    this.newPage();
  }
  newPage() {
    this.page = this.doc.addPage(pageSize);
    this.pages.push(this.page);
    this.y = pageSize[1] - margin;
  }
  ensure(height: number) {
    if (this.y - height < margin + 24) this.newPage();
  }
  gap(points: number) {
    this.y -= points;
  }
  paragraph(
    text: string,
    options: { font?: PDFFont; size?: number; indent?: number; bullet?: boolean } = {},
  ) {
    const font = options.font ?? this.regular;
    const size = options.size ?? bodySize;
    const indent = options.indent ?? 0;
    const width = pageSize[0] - 2 * margin - indent;
    const lines = wrapText(font, text, size, width);
    const lineHeight = Math.max(leading, size * 1.35);
    lines.forEach((line, i) => {
      this.ensure(lineHeight);
      if (options.bullet && i === 0)
        this.page.drawText('•', { x: margin + indent - 10, y: this.y - size, size, font });
      this.page.drawText(line, { x: margin + indent, y: this.y - size, size, font, color: rgb(0, 0, 0) });
      this.y -= lineHeight;
    });
  }
  field(label: string, value: string, valueFont?: PDFFont) {
    this.paragraph(`${label}: ${value}`, { font: valueFont ?? this.regular });
  }
}

/** A printable PDF of a signed consent: the signed text, then the signature block. */
export async function renderConsentPdf(input: ConsentDocumentInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${input.title} (version ${input.version}) - ${input.patient.name}`);
  doc.setSubject(`Signed consent; SHA-256 of the signed text ${input.signature.textSha256}`);
  doc.setKeywords(['consent', `sha256:${input.signature.textSha256}`, `signature:${input.signature.id}`]);
  doc.setProducer('Kapstone');
  doc.setCreator('Kapstone');
  doc.setCreationDate(new Date(input.signature.signedAtUtc));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const w = new Writer(doc, regular, bold, mono);

  w.paragraph(input.clinicName, { font: bold, size: 12 });
  w.paragraph(`Signed consent: ${input.title}`, { font: bold, size: 15 });
  w.paragraph(`Patient: ${input.patient.name} (MRN ${input.patient.mrn})`);
  w.gap(8);

  // The first lines of the stored text repeat the title and header (renderConsentText); printed as signed.
  for (const raw of input.text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '') w.gap(6);
    else if (line.startsWith('## ')) {
      w.gap(4);
      w.paragraph(line.slice(3), { font: bold, size: 12 });
    } else if (line.startsWith('- ')) w.paragraph(line.slice(2), { indent: 14, bullet: true });
    else w.paragraph(line);
  }

  w.gap(12);
  w.ensure(200);
  w.paragraph('Signatures', { font: bold, size: 13 });
  w.gap(2);
  w.field('Signed by the patient, typing their full name', input.signature.typedName, bold);
  w.field('Agreed', '"I have read and agree" was ticked');
  w.field('Signed at', `${input.signature.signedAt} (${input.signature.signedAtUtc} UTC)`);
  w.field('IP address', input.signature.ip ?? 'not recorded');
  w.field('Browser', input.signature.userAgent ?? 'not recorded');
  w.field('Signature id', input.signature.id);
  w.paragraph('SHA-256 of the text shown to and signed by the patient:');
  w.paragraph(input.signature.textSha256, { font: mono, size: 9.5 });
  w.paragraph(
    input.signature.intact
      ? 'The signed text reproduced above matches this hash.'
      : 'WARNING: the stored text no longer matches this hash. Report this to the clinic’s administrator.',
    { font: input.signature.intact ? regular : bold },
  );
  w.gap(6);
  if (input.countersignature)
    w.field('Countersigned by', `${input.countersignature.name}, ${input.countersignature.at}`, bold);
  else w.field('Countersigned by', 'not countersigned yet');
  if (input.withdrawal) {
    w.gap(6);
    w.field(
      'WITHDRAWN',
      `${input.withdrawal.at}, recorded by ${input.withdrawal.recordedBy === 'patient' ? 'the patient' : 'the clinic'}${input.withdrawal.reason ? `. Reason: ${input.withdrawal.reason}` : ''}`,
      bold,
    );
  }

  const total = w.pages.length;
  w.pages.forEach((page, i) => {
    page.drawText(`Printed ${input.printedAt} - page ${i + 1} of ${total}`, {
      x: margin,
      y: margin - 20,
      size: 8,
      font: regular,
      color: rgb(0.35, 0.35, 0.35),
    });
  });
  return doc.save({ useObjectStreams: false });
}
