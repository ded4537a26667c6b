// Whether a tool's text holds anything its structured result lacks: every word of the text that
// carries data (four or more letters or digits) must appear somewhere in structuredContent — a key,
// a string, a number — unless it is one of the words the tool's rendering itself adds. A page outline
// or a row printed only in the text shows up as a list of missing words.
const WORD = /[\p{L}\p{N}]{4,}/gu;

function corpus(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    for (const w of String(value).toLowerCase().match(WORD) ?? []) into.add(w);
  } else if (Array.isArray(value)) for (const v of value) corpus(v, into);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      corpus(k, into);
      corpus(v, into);
    }
  return into;
}

/** The words of `text` that neither `structured` nor the rendering's own vocabulary contains. */
export function wordsOnlyInText(text: string, structured: unknown, rendering: readonly string[] = []): string[] {
  const known = corpus(structured, new Set(rendering.map((w) => w.toLowerCase())));
  // Numbers are shown rounded or with separators (12,000 / 1.5 MB): compare digits without them.
  for (const w of [...known]) if (/^\d+$/.test(w)) known.add(Number(w).toLocaleString('en-US').replace(/,/g, ''));
  const missing = new Set<string>();
  for (const w of text.toLowerCase().match(WORD) ?? []) if (!known.has(w)) missing.add(w);
  return [...missing];
}
