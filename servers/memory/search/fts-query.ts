// A person's query as an FTS5 expression: its words, quoted (so FTS5 syntax in the query cannot
// break or steer the match), joined with OR so BM25 ranks passages by how many and how rare the
// words they share are. Very common English words are dropped: they match everything.
const STOP = new Set(
  'a an and are as at be but by can do does for from how i if in into is it its me my of on or so that the their then there these this to was what when where which who why will with you your'.split(
    ' ',
  ),
);
const TERM = /[\p{L}\p{N}_]+/gu;

export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  for (const m of query.toLowerCase().matchAll(TERM)) {
    const t = m[0].replace(/^_+|_+$/g, '');
    if (t && !STOP.has(t) && !terms.includes(t)) terms.push(t);
  }
  if (terms.length === 0) {
    // Only stop words: search for them after all rather than for nothing.
    for (const m of query.toLowerCase().matchAll(TERM)) if (!terms.includes(m[0])) terms.push(m[0]);
  }
  return terms.slice(0, 32);
}

export function ftsExpression(terms: readonly string[]): string | undefined {
  if (terms.length === 0) return undefined;
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
}
