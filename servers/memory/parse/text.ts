// Plain text: one section; the chunker cuts it at paragraph and sentence boundaries.
import type { ParsedDocument } from './document.js';

export function parseText(source: string): ParsedDocument {
  return { format: 'text', sections: source.trim() ? [{ text: source, lineStart: 1 }] : [] };
}
