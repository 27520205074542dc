import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { printableText, wrapText } from '../../pdf/text.ts';
import { entryKindLabel } from './ledger-reports.csv.ts';
import type { CountView, DispensingLogView } from './ledger-reports.schemas.ts';

const landscape: [number, number] = [792, 612]; // US Letter, landscape, in points
const margin = 36;
const grey = rgb(0.35, 0.35, 0.35);
const rule = rgb(0.75, 0.75, 0.75);

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

/** A small page writer for tabular reports: wrapped cells, a header repeated on every page, page numbers. */
class ReportWriter {
  page!: PDFPage;
  y = 0;
  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    private readonly runningTitle: string,
  ) {
    this.newPage();
  }

  newPage() {
    this.page = this.doc.addPage(landscape);
    this.y = landscape[1] - margin;
    this.page.drawText(printableText(this.regular, this.runningTitle), {
      x: margin,
      y: margin - 18,
      size: 7,
      font: this.regular,
      color: grey,
    });
  }

  ensure(height: number): boolean {
    if (this.y - height < margin) {
      this.newPage();
      return true;
    }
    return false;
  }

  text(text: string, options: { font?: PDFFont; size?: number; color?: ReturnType<typeof rgb> } = {}) {
    const font = options.font ?? this.regular;
    const size = options.size ?? 9;
    const lineHeight = size * 1.35;
    for (const line of wrapText(font, text, size, landscape[0] - 2 * margin)) {
      this.ensure(lineHeight);
      this.page.drawText(line, {
        x: margin,
        y: this.y - size,
        size,
        font,
        color: options.color ?? rgb(0, 0, 0),
      });
      this.y -= lineHeight;
    }
  }

  gap(points: number) {
    this.y -= points;
  }

  private drawRow(columns: Column[], cells: string[], font: PDFFont, size: number) {
    const lineHeight = size * 1.3;
    const wrapped = columns.map((c, i) => wrapText(font, cells[i] ?? '', size, c.width - 4));
    const height = Math.max(...wrapped.map((w) => w.length)) * lineHeight + 3;
    let x = margin;
    columns.forEach((column, i) => {
      wrapped[i]!.forEach((line, j) => {
        const width = font.widthOfTextAtSize(line, size);
        const lineX = column.align === 'right' ? x + column.width - 2 - width : x + 2;
        this.page.drawText(line, { x: lineX, y: this.y - size - j * lineHeight, size, font });
      });
      x += column.width;
    });
    this.y -= height;
    this.page.drawLine({
      start: { x: margin, y: this.y + 1 },
      end: { x: margin + columns.reduce((s, c) => s + c.width, 0), y: this.y + 1 },
      thickness: 0.4,
      color: rule,
    });
  }

  table(columns: Column[], rows: string[][], size = 7.5) {
    const header = () =>
      this.drawRow(
        columns,
        columns.map((c) => c.title),
        this.bold,
        size,
      );
    this.ensure(size * 4);
    header();
    for (const cells of rows) {
      const lines = Math.max(
        ...columns.map((c, i) => wrapText(this.regular, cells[i] ?? '', size, c.width - 4).length),
      );
      if (this.ensure(lines * size * 1.3 + 3)) header();
      this.drawRow(columns, cells, this.regular, size);
    }
  }

  numberPages() {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      const label = `Page ${i + 1} of ${pages.length}`;
      page.drawText(label, {
        x: landscape[0] - margin - this.regular.widthOfTextAtSize(label, 7),
        y: margin - 18,
        size: 7,
        font: this.regular,
        color: grey,
      });
    });
  }
}

const num = (value: number) =>
  Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/0+$/, '');
const signed = (value: number) => (value > 0 ? `+${num(value)}` : num(value));

async function createReport(title: string, subject: string, createdAt: string) {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setSubject(subject);
  doc.setProducer('Kapstone');
  doc.setCreator('Kapstone');
  doc.setCreationDate(new Date(createdAt));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  return { doc, regular, bold };
}

/**
 * The dispensing log as a printable document an inspector can read: the registrant's location and DEA
 * number, then per lot (substance, finished form, container size: 21 CFR 1304.22(c)(1)-(2)) the opening
 * balance, each entry in the order it happened with who it went to or came from, and the closing balance.
 */
export async function renderDispensingLogPdf(log: DispensingLogView): Promise<Uint8Array> {
  const title = `Controlled-substance dispensing log - ${log.location.name} - ${log.from} to ${log.to}`;
  const { doc, regular, bold } = await createReport(
    title,
    `DEA ${log.location.deaRegistration}; ${log.lots.reduce((n, l) => n + l.entries.length, 0)} entries`,
    log.generatedAt,
  );
  const w = new ReportWriter(doc, regular, bold, `${log.clinicName} - ${title}`);
  w.text(log.clinicName, { font: bold, size: 12 });
  w.text('Controlled-substance dispensing log (Schedule III)', { font: bold, size: 15 });
  w.text(
    `Registered location: ${log.location.name}, ${log.location.address}. DEA registration ${log.location.deaRegistration}.`,
  );
  w.text(
    `Period: ${log.from} to ${log.to} (dates in ${log.timeZone}). Generated ${log.generatedAt} (UTC). Records kept at least ${log.retentionYears} years (21 CFR 1304.04(a)).`,
    { color: grey },
  );
  if (log.incompleteEntries > 0)
    w.text(
      `${log.incompleteEntries} administration line(s) lack a field 21 CFR 1304.22(c) asks for (marked "missing").`,
      { font: bold },
    );
  if (log.lots.length === 0) {
    w.gap(8);
    w.text('No stock and no entries at this location in this period.');
  }
  const columns: Column[] = [
    { title: 'Date', width: 52 },
    { title: 'Entry', width: 62 },
    { title: 'Quantity', width: 50, align: 'right' },
    { title: 'mg', width: 44, align: 'right' },
    { title: 'Balance', width: 46, align: 'right' },
    { title: 'Patient (name, address) / supplier or recipient (name, address, DEA)', width: 190 },
    { title: 'By', width: 74 },
    { title: 'Witness / signed by', width: 74 },
    { title: 'Document / reason', width: 128 },
  ];
  for (const { lot, entries, openingBalance, closingBalance, ...totals } of log.lots) {
    w.gap(10);
    w.ensure(60);
    w.text(
      `${lot.productName}, ${num(lot.concentrationMgPerUnit)} mg/${lot.unit}, ${num(lot.containerSize)} ${lot.unit} per container (${lot.form}), NDC ${lot.ndc}, lot ${lot.lotNumber}, expires ${lot.expiresOn}`,
      { font: bold, size: 10 },
    );
    w.text(
      `Opening balance ${num(openingBalance)} ${lot.unit}. Received ${num(totals.received)}, administered ${num(totals.administered)}, wasted ${num(totals.wasted)}, transferred ${num(totals.transferred)}, lost ${num(totals.lost)}, adjusted or corrected ${signed(totals.adjusted)}. Closing balance ${num(closingBalance)} ${lot.unit}.`,
    );
    w.gap(2);
    w.table(
      columns,
      entries.map((e) => {
        const party = e.patient
          ? `${e.patient.name} (MRN ${e.patient.mrn}); ${e.patient.address ?? 'address missing'}`
          : e.counterparty
            ? [e.counterparty.name, e.counterparty.address, e.counterparty.dea && `DEA ${e.counterparty.dea}`]
                .filter(Boolean)
                .join('; ')
            : '';
        const notes = [
          e.documentNumber,
          e.lossKind && `${e.lossKind}`,
          e.reason,
          e.reversesId && `reverses ${e.reversesId.slice(0, 8)}`,
          e.containers !== null && `${e.containers} container(s)`,
          e.gaps.length > 0 && `missing: ${e.gaps.join(', ')}`,
        ]
          .filter(Boolean)
          .join('; ');
        return [
          e.date,
          entryKindLabel[e.kind] ?? e.kind,
          `${signed(e.quantity)} ${lot.unit}`,
          signed(e.quantityMg),
          num(e.balance),
          party,
          e.recordedBy,
          [e.witness && `witness ${e.witness}`, e.signedBy && `signed ${e.signedBy}`]
            .filter(Boolean)
            .join('; '),
          notes,
        ];
      }),
    );
  }
  w.numberPages();
  return doc.save();
}

const countTitle: Record<CountView['kind'], string> = {
  count: 'Physical count',
  'initial-inventory': 'Initial inventory',
  'biennial-inventory': 'Biennial inventory',
};

/**
 * A count or inventory as a printable record (21 CFR 1304.11: date, opening or close of business, and per
 * substance the finished form, units per container and number of containers), with the book balance and the
 * discrepancy of each lot.
 */
export async function renderCountPdf(count: CountView, clinicName: string): Promise<Uint8Array> {
  const title = `${countTitle[count.kind]} - ${count.location.name} - ${count.takenOn}`;
  const { doc, regular, bold } = await createReport(
    title,
    `DEA ${count.location.deaRegistration}; ${count.lines.length} lots`,
    count.recordedAt,
  );
  const w = new ReportWriter(doc, regular, bold, `${clinicName} - ${title}`);
  w.text(clinicName, { font: bold, size: 12 });
  w.text(`${countTitle[count.kind]} of controlled substances (Schedule III)`, { font: bold, size: 15 });
  w.text(
    `Registered location: ${count.location.name}, ${count.location.address}. DEA registration ${count.location.deaRegistration}.`,
  );
  const timing =
    count.businessTime === 'opening'
      ? 'at the opening of business'
      : count.businessTime === 'close'
        ? 'at the close of business'
        : '';
  w.text(
    `Taken on ${count.takenOn} ${timing} (${count.takenAt} UTC) by ${count.countedBy.name}. Recorded ${count.recordedAt}. Kept until at least ${count.retainedUntil}.`,
  );
  if (count.note) w.text(`Note: ${count.note}`);
  if (count.lines.length === 0) {
    w.gap(8);
    w.text(
      count.kind === 'initial-inventory'
        ? 'Zero inventory: no controlled substances on hand at this location.'
        : 'No lots counted.',
      { font: bold },
    );
  } else {
    w.gap(6);
    w.table(
      [
        { title: 'Substance, form, NDC', width: 170 },
        { title: 'Lot / expires', width: 82 },
        { title: 'Per container', width: 56, align: 'right' },
        { title: 'Sealed', width: 40, align: 'right' },
        { title: 'Opened (containers: contents)', width: 80, align: 'right' },
        { title: 'Count', width: 44 },
        { title: 'On hand', width: 56, align: 'right' },
        { title: 'Book', width: 50, align: 'right' },
        { title: 'Difference', width: 50, align: 'right' },
        { title: 'Discrepancy and resolution', width: 92 },
      ],
      count.lines.map((l) => [
        `${l.lot.productName}, ${num(l.lot.concentrationMgPerUnit)} mg/${l.lot.unit} (${l.lot.form}), NDC ${l.lot.ndc}`,
        `${l.lot.lotNumber} / ${l.lot.expiresOn}`,
        `${num(l.lot.containerSize)} ${l.lot.unit}`,
        String(l.sealedContainers),
        `${l.openedContainers}: ${num(l.openedQuantity)} ${l.lot.unit}`,
        l.method === 'estimated' ? 'estimated' : 'exact',
        `${num(l.countedQuantity)} ${l.lot.unit} (${num(l.countedMg)} mg)`,
        num(l.bookBalance),
        signed(l.difference),
        l.status === 'none'
          ? l.discrepancy.kind === 'match'
            ? 'matches'
            : 'within estimate tolerance'
          : `${l.discrepancy.kind}; ${l.status === 'resolved' ? 'resolved' : `open (${signed(l.unresolvedQuantity)})`}${l.resolutions.map((r) => `; ${entryKindLabel[r.kind] ?? r.kind} ${signed(r.quantity)}`).join('')}`,
      ]),
    );
  }
  w.gap(24);
  w.text(
    'Signature of the person who took the inventory: ______________________________   Date: ____________',
  );
  w.numberPages();
  return doc.save();
}
