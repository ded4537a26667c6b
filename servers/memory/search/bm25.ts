// BM25 exactly as FTS5's bm25() computes it (k1 = 1.2, b = 0.75; a word's frequency is the sum of
// its occurrences weighted per column; the row length is its token count over all columns), so a
// score computed here adds to one FTS5 returned. Used to score query words FTS5 was not asked to
// match (see keyword.ts), by counting them and the row's tokens in the text of the rows FTS5 found.
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

/** Latin letters with diacritics and combining marks: the text is folded only when it has some. */
const FOLDABLE = /[\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Text as the tokenizer sees it: diacritics removed (remove_diacritics 2), lower-case. */
function fold(text: string): string {
  return (FOLDABLE.test(text) ? text.normalize('NFD').replace(/\p{M}/gu, '') : text).toLowerCase();
}

/**
 * Counts, in some text, its tokens (runs of letters and digits, as the index's tokenizer splits
 * them) and those whose indexed form is one of `forms`, in one pass. A Porter stem without its last
 * letter is a prefix of every word it stems from (it only rewrites the end: happy → happi), so only
 * tokens starting with one of those prefixes are stemmed, each distinct token once.
 */
export class TermCounter {
  private readonly index = new Map<string, number>();
  /** Prefixes by their first character. */
  private readonly prefixes = new Map<number, string[]>();
  private readonly forms = new Map<string, string>();
  private readonly wordChars = new Map<number, boolean>();

  constructor(forms: readonly string[]) {
    forms.forEach((f, i) => {
      if (!this.index.has(f)) this.index.set(f, i);
      const prefix = f.length > 1 ? f.slice(0, -1) : f;
      const list = this.prefixes.get(prefix.charCodeAt(0)) ?? [];
      if (!list.includes(prefix)) list.push(prefix);
      this.prefixes.set(prefix.charCodeAt(0), list);
    });
  }

  private isWordChar(code: number): boolean {
    let known = this.wordChars.get(code);
    if (known === undefined) {
      known = WORD_CHAR.test(String.fromCharCode(code));
      this.wordChars.set(code, known);
    }
    return known;
  }

  /** Adds `weight` to `counts[i]` for each occurrence of `forms[i]`; returns the number of tokens. */
  add(text: string, weight: number, counts: Float64Array): number {
    const folded = fold(text);
    const length = folded.length;
    let tokens = 0;
    let start = -1;
    for (let i = 0; i <= length; i++) {
      const code = i < length ? folded.charCodeAt(i) : 0x20;
      const word = code < 0x80 ? (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) : this.isWordChar(code);
      if (word) {
        if (start < 0) start = i;
        continue;
      }
      if (start < 0) continue;
      tokens++;
      const candidates = this.prefixes.get(folded.charCodeAt(start));
      if (candidates) this.count(folded, start, i, candidates, weight, counts);
      start = -1;
    }
    return tokens;
  }

  private count(text: string, start: number, end: number, candidates: readonly string[], weight: number, counts: Float64Array): void {
    for (const prefix of candidates) {
      if (end - start < prefix.length || !text.startsWith(prefix, start)) continue;
      const token = text.slice(start, end);
      let form = this.forms.get(token);
      if (form === undefined) {
        form = indexedForm(token);
        this.forms.set(token, form);
      }
      const slot = this.index.get(form);
      if (slot !== undefined) counts[slot] = counts[slot]! + weight;
      return;
    }
  }
}

/** Tokens in a text as the index's tokenizer splits it. */
export function countTokens(text: string): number {
  return new TermCounter([]).add(text, 0, new Float64Array(0));
}
