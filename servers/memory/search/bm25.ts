// BM25 exactly as FTS5's bm25() computes it (k1 = 1.2, b = 0.75; a word's frequency is the sum of
// its occurrences weighted per column; the row length is its token count over all columns), so a
// score computed here adds to one FTS5 returned. Used to score query words FTS5 was not asked to
// match (see keyword.ts), by counting them in the text of the rows FTS5 found.
import { indexedForm } from './fts-stats.js';

export const K1 = 1.2;
export const B = 0.75;

/** FTS5's inverse document frequency, floored at a tiny positive value for very common words. */
export function idf(rows: number, frequency: number): number {
  const x = Math.log((rows - frequency + 0.5) / (frequency + 0.5));
  return x <= 0 ? 1e-6 : x;
}

/** One word's contribution to a row's score. */
export function termScore(weight: number, frequency: number, length: number, averageLength: number): number {
  if (frequency <= 0) return 0;
  return (weight * frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * length) / averageLength));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const TOKEN_CHAR = /[\p{L}\p{N}]/u;

function isTokenChar(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
  return TOKEN_CHAR.test(text[at]!);
}

/**
 * Counts, in some text, the tokens whose indexed form is one of `forms`. A Porter stem without
 * its last letter is a prefix of every word it stems from (it only rewrites the end: happy →
 * happi), so a regular expression finds the few candidate tokens and only those are stemmed.
 * Plain ASCII text (the usual case) takes a non-Unicode expression, which is several times faster.
 */
export class TermCounter {
  private readonly index = new Map<string, number>();
  private readonly ascii: RegExp;
  private readonly unicode: RegExp;
  private readonly seen = new Map<string, string>();

  constructor(readonly forms: readonly string[]) {
    forms.forEach((f, i) => {
      if (!this.index.has(f)) this.index.set(f, i);
    });
    const alternatives = [...new Set(forms.map((f) => (f.length > 1 ? f.slice(0, -1) : f)))].map(escape).join('|') || '(?!)';
    this.ascii = new RegExp(`(?:${alternatives})[a-z0-9]*`, 'g');
    this.unicode = new RegExp(`(?:${alternatives})[\\p{L}\\p{N}]*`, 'gu');
  }

  /** Adds `weight` to `counts[i]` for each occurrence of `forms[i]` in `text`. */
  add(text: string, weight: number, counts: Float64Array): void {
    if (!text) return;
    const ascii = ASCII_ONLY.test(text);
    const lower = (ascii ? text : text.normalize('NFD').replace(/\p{M}/gu, '')).toLowerCase();
    const pattern = ascii ? this.ascii : this.unicode;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(lower); m; m = pattern.exec(lower)) {
      // A match inside a longer token is not a token of its own.
      if (m.index > 0 && isTokenChar(lower, m.index - 1)) continue;
      let form = this.seen.get(m[0]);
      if (form === undefined) {
        form = indexedForm(m[0]);
        this.seen.set(m[0], form);
      }
      const i = this.index.get(form);
      if (i !== undefined) counts[i] = counts[i]! + weight;
    }
  }
}
