// Cutting sections into chunks of about `size` characters. Cuts prefer a paragraph break, then a
// line break, then a sentence end, then a space; neighbouring chunks of one section share `overlap`
// characters so a passage cut in two is still found whole in one of them. Every chunk keeps its
// section's place (heading path, page, symbol) and its own line range.
import type { Section } from '../parse/document.js';
import type { ChunkInput } from '../store/store.js';

export interface ChunkOptions {
  size: number;
  overlap: number;
}

const BREAKS = [/\n\s*\n/g, /\n/g, /[.!?;:]["')\]]?\s/g, /\s/g];

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The best cut in text[from, from + size]: the last preferred break after the window's middle. */
function cutPoint(text: string, from: number, size: number): number {
  const limit = Math.min(text.length, from + size);
  if (limit === text.length) return limit;
  const window = text.slice(from, limit);
  const floor = Math.floor(size * 0.5);
  for (const pattern of BREAKS) {
    let best = -1;
    for (const m of window.matchAll(pattern)) {
      const end = m.index + m[0].length;
      if (end >= floor) best = end;
    }
    if (best > 0) return from + best;
  }
  return limit;
}

function nextStart(text: string, cut: number, overlap: number, from: number): number {
  if (overlap === 0) return cut;
  let start = Math.max(from + 1, cut - overlap);
  // Start on a word: move forward to just after whitespace.
  const space = text.slice(start, cut).search(/\s/);
  if (space >= 0 && start + space + 1 < cut) start += space + 1;
  return start;
}

export function chunkSections(sections: readonly Section[], options: ChunkOptions): ChunkInput[] {
  const chunks: ChunkInput[] = [];
  for (const section of sections) {
    const text = section.text;
    let from = 0;
    while (from < text.length) {
      const cut = text.length - from <= options.size ? text.length : cutPoint(text, from, options.size);
      const raw = text.slice(from, cut);
      const lead = raw.length - raw.trimStart().length;
      const body = raw.trim();
      if (body) {
        const chunk: ChunkInput = { text: body };
        if (section.heading?.length) chunk.heading = section.heading.join(' > ');
        if (section.page !== undefined) chunk.page = section.page;
        if (section.symbol !== undefined) chunk.symbol = section.symbol;
        if (section.lineStart !== undefined) {
          chunk.lineStart = section.lineStart + countLines(text, 0, from + lead);
          chunk.lineEnd = chunk.lineStart + countLines(body, 0, body.length);
        }
        chunks.push(chunk);
      }
      if (cut >= text.length) break;
      from = nextStart(text, cut, options.overlap, from);
    }
  }
  return chunks;
}

/** The text an embedder sees for a chunk: where it sits, then what it says. */
export function embeddingText(
  title: string,
  chunk: { text: string; heading?: string | null | undefined; symbol?: string | null | undefined },
): string {
  const place = [title, chunk.heading, chunk.symbol].filter((p) => p).join(' — ');
  return place ? `${place}\n${chunk.text}` : chunk.text;
}
