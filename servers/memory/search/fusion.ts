// Combining rankings. Reciprocal rank fusion (Cormack et al., 2009) needs no score calibration
// between BM25 and cosine; maximal marginal relevance (Carbonell & Goldstein, 1998) then trades a
// little relevance for passages that do not repeat each other.
import { dot } from '../store/vectors.js';

const RRF_K = 60;

/** Fused score per id from several best-first rankings. */
export function reciprocalRankFusion(rankings: readonly (readonly number[])[], k = RRF_K): Map<number, number> {
  const fused = new Map<number, number>();
  for (const ranking of rankings) ranking.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (k + rank + 1)));
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
