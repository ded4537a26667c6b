// A minimal PDF writer: one or more A4 pages of left-aligned Helvetica lines, enough to make real
// PDF documents in code (the demo's CV) without a PDF library at run time. Text is Latin-1, which
// is what the standard 14 fonts with WinAnsiEncoding can show.

export interface PdfLine {
  text: string;
  size?: number;
  /** Extra space before the line, in points. */
  gap?: number;
}

const escapePdf = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);

function pageContent(lines: readonly PdfLine[]): string {
  const out = ['BT'];
  let y = 800;
  for (const line of lines) {
    const size = line.size ?? 11;
    y -= (line.gap ?? 0) + size * 1.35;
    out.push(`/F1 ${size} Tf 1 0 0 1 56 ${y.toFixed(1)} Tm (${escapePdf(line.text)}) Tj`);
  }
  out.push('ET');
  return out.join('\n');
}

const LINES_PER_PAGE = 48;

/** The PDF file's bytes. */
export function makePdf(title: string, lines: readonly PdfLine[]): Buffer {
  const pages: PdfLine[][] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE));
  if (pages.length === 0) pages.push([]);
  // Objects: 1 catalog, 2 pages, 3 font, 4 info, then a page and its content stream per page.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 5 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = `<< /Title (${escapePdf(title)}) /Producer (Hearth) >>`;
  pages.forEach((page, i) => {
    const content = pageContent(page);
    objects[pageIds[i]!] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`;
    objects[pageIds[i]! + 1] = `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
  });
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(body, 'latin1');
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
