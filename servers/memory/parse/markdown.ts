// Markdown: marked's lexer splits the source into block tokens; headings open sections, so every
// chunk knows its heading path, and each token's raw text keeps the line count exact.
import { createRequire } from 'node:module';

import type * as Marked from 'marked';
import type { Token } from 'marked';

import type { ParsedDocument, Section } from './document.js';

const require = createRequire(import.meta.url);

const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---\r?\n/;

function lines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function plainHeading(token: Token): string {
  return (token as { text: string }).text.replace(/[*_`[\]]|\(([^)]*)\)/g, '').trim();
}

export function parseMarkdown(source: string): ParsedDocument {
  let line = 1;
  let body = source;
  let title: string | undefined;
  const front = FRONT_MATTER.exec(source);
  if (front) {
    const t = /^title:\s*["']?(.+?)["']?\s*$/m.exec(front[0]);
    if (t) title = t[1];
    line += lines(front[0]);
    body = source.slice(front[0].length);
  }
  // Loaded on first use, not on the way to the memory server's first tools/list.
  const { Lexer } = require('marked') as typeof Marked;
  const tokens = new Lexer({ gfm: true }).lex(body);
  const sections: Section[] = [];
  const path: string[] = [];
  let current: Section = { text: '', heading: [], lineStart: line };
  // A heading directly followed by a sub-heading makes no section of its own.
  let hasBody = false;
  const flush = () => {
    if (hasBody && current.text.trim()) sections.push({ ...current, text: current.text.replace(/\s+$/, '') });
  };
  for (const token of tokens) {
    if (token.type === 'heading') {
      flush();
      const heading = plainHeading(token);
      const depth = (token as Token & { depth: number }).depth;
      path.length = Math.min(path.length, depth - 1);
      while (path.length < depth - 1) path.push('');
      path.push(heading);
      if (depth === 1 && title === undefined) title = heading;
      current = { text: `${token.raw.trimEnd()}\n\n`, heading: path.filter(Boolean), lineStart: line };
      hasBody = false;
    } else if (token.type !== 'space' || current.text) {
      if (!current.text) current.lineStart = line;
      current.text += token.raw;
      if (token.type !== 'space') hasBody = true;
    }
    line += lines(token.raw);
  }
  flush();
  return { format: 'markdown', ...(title ? { title } : {}), sections };
}
