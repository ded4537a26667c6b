// DOCX: mammoth turns Word's styles into semantic HTML (Heading 1 → h1), which then splits into
// sections like any HTML. A file that is not a valid Office Open XML package fails as corrupt (an
// encrypted .docx is such a file: an OLE container, not a zip). What the zip unpacks to is bounded
// first (zip-bounds.ts); this runs in the parse worker (isolated-parser.ts).
import { parseHTML } from 'linkedom';
import mammoth from 'mammoth';

import { type ParsedDocument, ParseFailure } from './document.js';
import { sectionsFromElement } from './html-sections.js';
import { checkZipBounds, DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-bounds.js';

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export async function parseDocx(bytes: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ParsedDocument> {
  if (bytes.subarray(0, 8).equals(OLE_MAGIC)) {
    throw new ParseFailure('encrypted', 'the DOCX file is password-protected (encrypted Office container)');
  }
  checkZipBounds(bytes, limits);
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes })).value;
  } catch (error) {
    throw new ParseFailure(
      'corrupt',
      `not a readable DOCX file (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
  }
  const { document } = parseHTML(`<html><body>${html}</body></html>`);
  const sections = sectionsFromElement(document.body);
  const title = document.querySelector('h1')?.textContent?.trim() || undefined;
  return { format: 'docx', ...(title ? { title } : {}), sections };
}
