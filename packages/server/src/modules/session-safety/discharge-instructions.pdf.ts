import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';
import { wrapText } from '../../pdf/text.ts';
import type { DischargeInstructionsView } from './discharge-instructions.service.ts';

const pageSize: [number, number] = [612, 792]; // US Letter, in points
const margin = 56;

/** The patient's discharge instructions, large and plain, one page where it fits, with the sources last. */
export async function renderDischargeInstructionsPdf(view: DischargeInstructionsView): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(view.title);
  doc.setProducer('Kapstone');
  doc.setCreator('Kapstone');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage(pageSize);
  let y = pageSize[1] - margin;
  const width = pageSize[0] - 2 * margin;
  const write = (text: string, font: PDFFont, size: number, indent = 0, color = rgb(0, 0, 0)) => {
    for (const line of wrapText(font, text, size, width - indent)) {
      if (y - size < margin) {
        page = doc.addPage(pageSize);
        y = pageSize[1] - margin;
      }
      page.drawText(line, { x: margin + indent, y: y - size, size, font, color });
      y -= size * 1.4;
    }
  };
  write(view.title, bold, 17);
  write(`Session of ${view.date}`, regular, 11, 0, rgb(0.35, 0.35, 0.35));
  y -= 8;
  for (const section of view.sections) {
    write(section.heading, bold, 13.5);
    for (const line of section.lines) {
      page.drawText('•', { x: margin + 2, y: y - 12, size: 12, font: regular });
      write(line, regular, 12, 16);
    }
    y -= 8;
  }
  y -= 6;
  write('Sources', bold, 8.5, 0, rgb(0.35, 0.35, 0.35));
  const sources = [
    ...new Set(view.sections.flatMap((s) => s.citations.map((c) => `${c.section}: ${c.source}`))),
  ];
  for (const source of sources) write(source, regular, 7.5, 0, rgb(0.35, 0.35, 0.35));
  return doc.save({ useObjectStreams: false });
}
