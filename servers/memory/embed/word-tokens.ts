// Splitting text into lower-case words for the word-vector embedder. Identifiers are split the way
// people read them (`parseHttpHeader`, `max_retries` → parse http header, max retries) so code and
// prose about code meet in the same vectors.
const IDENTIFIER_BREAK = /([a-z0-9])([A-Z])|([A-Z]+)([A-Z][a-z])/g;
const WORD = /[\p{L}][\p{L}\p{M}'’]*|\p{N}+/gu;

export function wordsOf(text: string): string[] {
  const spaced = text.replace(
    IDENTIFIER_BREAK,
    (_m, a: string | undefined, b: string | undefined, c: string | undefined, d: string | undefined) =>
      a !== undefined ? `${a} ${b}` : `${c} ${d}`,
  );
  const out: string[] = [];
  for (const match of spaced.matchAll(WORD)) {
    const word = match[0]
      .toLowerCase()
      .replace(/[’']s$/, '')
      .replace(/[’']/g, '');
    if (word) out.push(word);
  }
  return out;
}
