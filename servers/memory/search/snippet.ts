// A short excerpt of a chunk around the query's words, so a person sees why it matched.
const WORD = /[\p{L}\p{N}_]+/gu;

export function snippet(text: string, terms: readonly string[], width = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= width) return flat;
  const stems = terms.map((t) => t.slice(0, Math.max(4, Math.min(t.length, 6))));
  const hits: number[] = [];
  for (const m of flat.matchAll(WORD)) {
    const w = m[0].toLowerCase();
    if (stems.some((s) => w.startsWith(s))) hits.push(m.index);
  }
  let start = 0;
  let bestCount = 0;
  for (const h of hits) {
    const from = Math.max(0, h - 40);
    const count = hits.filter((x) => x >= from && x < from + width).length;
    if (count > bestCount) {
      bestCount = count;
      start = from;
    }
  }
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    if (space > 0 && space - start < 20) start = space + 1;
  }
  const end = Math.min(flat.length, start + width);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end).trim()}${end < flat.length ? '…' : ''}`;
}
