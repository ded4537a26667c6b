// What every parser produces: a document as an ordered list of sections, each with where it came
// from (heading path, page, first line, code symbol). The chunker cuts sections into chunks.

export const FORMATS = ['markdown', 'text', 'html', 'pdf', 'docx', 'typescript', 'javascript', 'python'] as const;
export type Format = (typeof FORMATS)[number];

export interface Section {
  text: string;
  /** Heading path, outermost first: ['Install', 'On Linux']. */
  heading?: string[];
  /** 1-based page (PDF). */
  page?: number;
  /** 1-based line of the section's first character in the source file, when lines mean something. */
  lineStart?: number;
  /** The function, class or method the section holds (source code). */
  symbol?: string;
}

export interface ParsedDocument {
  format: Format;
  title?: string;
  sections: Section[];
  pages?: number;
}

/** A document that could not be read, with a reason a person can act on. */
export class ParseFailure extends Error {
  override readonly name = 'ParseFailure';
  constructor(
    readonly reason: 'corrupt' | 'encrypted' | 'empty' | 'too-large' | 'timed-out' | 'unsupported' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

const EXTENSIONS: Record<string, Format> = {
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  txt: 'text',
  text: 'text',
  log: 'text',
  rst: 'text',
  csv: 'text',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  pdf: 'pdf',
  docx: 'docx',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  pyi: 'python',
};

export function formatOf(path: string): Format | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return EXTENSIONS[path.slice(dot + 1).toLowerCase()];
}
