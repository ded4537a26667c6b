// Combining rankings. Each ranking's scores are scaled to [0, 1] over its own candidates (min-max),
// then added with a weight: keywordWeight · BM25 + (1 − keywordWeight) · cosine. A weight chosen by
// measurement for each embedder (fusion-weights.ts) keeps a weak embedder from outvoting BM25;
// reciprocal rank fusion, used before, gave both rankings an equal say whatever their quality and
// ranked below BM25 alone on the public SciFact benchmark. Maximal marginal relevance (Carbonell &
// Goldstein, 1998) then trades a little relevance for passages that do not repeat each other.
import { dot } from '../store/vectors.js';

export interface Scored {
  id: number;
  score: number;
}

/** Scores of a ranking scaled to [0, 1] (best = 1); a ranking of equal scores scales to 1. */
export function minMax(ranking: readonly Scored[]): Map<number, number> {
  const out = new Map<number, number>();
  if (ranking.length === 0) return out;
  let min = Infinity;
  let max = -Infinity;
  for (const r of ranking) {
    min = Math.min(min, r.score);
    max = Math.max(max, r.score);
  }
  const span = max - min;
  for (const r of ranking) out.set(r.id, span > 0 ? (r.score - min) / span : 1);
  return out;
}

/**
 * Fused score per id: `w · keyword + (1 − w) · vector` over min-max-scaled scores, where `w` is
 * the keyword weight of the id's collection. An id missing from one ranking scores 0 there.
 */
export function weightedFusion(
  keyword: readonly Scored[],
  vector: readonly Scored[],
  keywordWeight: (id: number) => number,
): Map<number, number> {
  const k = minMax(keyword);
  const v = minMax(vector);
  const fused = new Map<number, number>();
  for (const id of new Set([...k.keys(), ...v.keys()])) {
    const w = keywordWeight(id);
    fused.set(id, w * (k.get(id) ?? 0) + (1 - w) * (v.get(id) ?? 0));
  }
  return fused;
}

/**
 * Picks `limit` ids by MMR: λ·relevance − (1−λ)·(highest similarity to an already picked one).
 * Relevance is scaled to [0, 1]. Ids without a vector count as dissimilar to everything.
 */
export function mmr(
  candidates: readonly { id: number; relevance: number }[],
  vectors: ReadonlyMap<number, Float32Array>,
  lambda: number,
  limit: number,
): { id: number; score: number }[] {
  const max = Math.max(...candidates.map((c) => c.relevance), Number.MIN_VALUE);
  const pool = candidates.map((c) => ({ id: c.id, rel: c.relevance / max, maxSim: 0 }));
  const picked: { id: number; score: number }[] = [];
  while (picked.length < limit && pool.length > 0) {
    let best = 0;
    let bestScore = -Infinity;
    pool.forEach((c, i) => {
      const score = lambda * c.rel - (1 - lambda) * c.maxSim;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    const [chosen] = pool.splice(best, 1);
    picked.push({ id: chosen!.id, score: bestScore });
    const v = vectors.get(chosen!.id);
    if (v)
      for (const c of pool) {
        const w = vectors.get(c.id);
        if (w) c.maxSim = Math.max(c.maxSim, dot(v, w));
      }
  }
  return picked;
}
