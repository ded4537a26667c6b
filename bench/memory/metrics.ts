// Retrieval metrics at document level: recall@k and nDCG@k with binary relevance.

export function recallAt(ranked: readonly string[], relevant: readonly string[], k: number): number {
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((r) => top.has(r)).length / relevant.length;
}

export function ndcgAt(ranked: readonly string[], relevant: readonly string[], k: number): number {
  const rel = new Set(relevant);
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (rel.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.length); i++) ideal += 1 / Math.log2(i + 2);
  return ideal ? dcg / ideal : 0;
}

/** Documents in the order their first chunk appears. */
export function documentsInOrder(chunkDocs: readonly string[]): string[] {
  return [...new Set(chunkDocs)];
}
