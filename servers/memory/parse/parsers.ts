// One entry point for every format: bytes in, sections out, or a ParseFailure with a reason.
// Owns the tree-sitter parser (WebAssembly memory) and the worker that parses PDF and DOCX under a
// time and memory limit, so it has a close(). The HTML parser (linkedom, Readability) loads on the
// first HTML file: a quarter of a second the server would otherwise pay at every start.
import { CodeParser } from './code.js';
import { type Format, type ParsedDocument, ParseFailure } from './document.js';
import { IsolatedParser, type IsolationLimits } from './isolated-parser.js';
import { parseMarkdown } from './markdown.js';
import { parseText } from './text.js';
import { DEFAULT_ZIP_LIMITS } from './zip-bounds.js';

export const DEFAULT_ISOLATION: IsolationLimits = { timeoutMs: 120_000, memoryMb: 1024, zip: DEFAULT_ZIP_LIMITS };

function decodeText(bytes: Buffer): string {
  if (bytes.subarray(0, Math.min(bytes.length, 8000)).includes(0)) {
    throw new ParseFailure('corrupt', 'the file holds binary data, not text');
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export class Parsers {
  private readonly code = new CodeParser();
  private readonly isolated: IsolatedParser;

  constructor(limits: IsolationLimits = DEFAULT_ISOLATION) {
    this.isolated = new IsolatedParser(limits);
  }

  /** `maxChars` lets the code parser split classes that would not fit one chunk. */
  async parse(bytes: Buffer, format: Format, path: string, maxChars: number, signal?: AbortSignal): Promise<ParsedDocument> {
    if (bytes.length === 0) throw new ParseFailure('empty', 'the file is empty');
    let parsed: ParsedDocument;
    switch (format) {
      case 'pdf':
      case 'docx':
        parsed = await this.isolated.parse(bytes, format, signal);
        break;
      case 'markdown':
        parsed = parseMarkdown(decodeText(bytes));
        break;
      case 'text':
        parsed = parseText(decodeText(bytes));
        break;
      case 'html':
        parsed = (await import('./html.js')).parseHtml(decodeText(bytes));
        break;
      case 'typescript':
      case 'javascript':
      case 'python':
        parsed = await this.code.parse(decodeText(bytes), format, path, maxChars);
        break;
    }
    if (!parsed.sections.some((s) => s.text.trim())) {
      throw new ParseFailure(
        'empty',
        format === 'pdf' ? 'the PDF has no extractable text (a scan without a text layer?)' : 'the file has no text',
      );
    }
    return parsed;
  }

  /** Inline text given in a call. */
  parseInline(text: string, format: 'markdown' | 'text'): ParsedDocument {
    return format === 'markdown' ? parseMarkdown(text) : parseText(text);
  }

  async close(): Promise<void> {
    this.code.close();
    await this.isolated.close();
  }
}
