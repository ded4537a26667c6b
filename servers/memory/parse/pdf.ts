// PDF: pdf.js extracts the text of each page; each page is a section, so citations carry the page
// number. Password-protected and damaged files fail with that reason.
import { type ParsedDocument, ParseFailure, type Section } from './document.js';

interface TextItem {
  str: string;
  hasEOL?: boolean;
}

export async function parsePdf(bytes: Buffer, signal?: AbortSignal): Promise<ParsedDocument> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    stopAtErrors: false,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') throw new ParseFailure('encrypted', 'the PDF is password-protected');
    throw new ParseFailure('corrupt', `not a readable PDF (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    const sections: Section[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      if (signal?.aborted) break;
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items as TextItem[]) {
        if (typeof item.str !== 'string') continue;
        text += item.str;
        text += item.hasEOL ? '\n' : item.str.endsWith(' ') ? '' : ' ';
      }
      page.cleanup();
      text = text
        .replace(/[ \t]+\n/g, '\n')
        .replace(/[ \t]{2,}/g, ' ')
        .trim();
      if (text) sections.push({ text, page: n });
    }
    let title: string | undefined;
    try {
      const meta = await doc.getMetadata();
      const info = meta.info as { Title?: unknown } | undefined;
      if (typeof info?.Title === 'string' && info.Title.trim()) title = info.Title.trim();
    } catch {
      title = undefined;
    }
    return { format: 'pdf', ...(title ? { title } : {}), sections, pages: doc.numPages };
  } finally {
    await doc.destroy();
  }
}
