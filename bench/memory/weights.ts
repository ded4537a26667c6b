// Choosing a keyword weight from measured per-query scores, and checking that the choice carries
// over to queries it was not chosen on (split-half: choose on one half, score on the other).
import type { QueryScore } from './evaluate.js';

export interface WeightChoice {
  weight: number;
  ndcg: number;
}

/** The weight with the best mean nDCG@10 over the given queries; ties go to more keyword weight. */
export function chooseWeight(byWeight: ReadonlyMap<number, readonly QueryScore[]>, queries: readonly number[]): WeightChoice {
  let best: WeightChoice = { weight: NaN, ndcg: -Infinity };
  for (const [weight, scores] of [...byWeight].sort((a, b) => a[0] - b[0])) {
    const ndcg = queries.reduce((a, i) => a + scores[i]!.ndcg, 0) / Math.max(1, queries.length);
    if (ndcg >= best.ndcg) best = { weight, ndcg };
  }
  return best;
}

function meanNdcg(scores: readonly QueryScore[], queries: readonly number[]): number {
  return queries.reduce((a, i) => a + scores[i]!.ndcg, 0) / Math.max(1, queries.length);
}

export interface SplitHalf {
  tunedOn: string;
  weight: number;
  /** nDCG@10 on the other half: with the weight chosen on this half, the best possible there, keyword mode. */
  heldOut: number;
  heldOutBest: number;
  heldOutKeyword: number;
}

/** Tune on even-numbered queries, score on odd ones, and the other way round. */
export function splitHalf(
  byWeight: ReadonlyMap<number, readonly QueryScore[]>,
  keyword: readonly QueryScore[],
  count: number,
): SplitHalf[] {
  const even = Array.from({ length: count }, (_v, i) => i).filter((i) => i % 2 === 0);
  const odd = Array.from({ length: count }, (_v, i) => i).filter((i) => i % 2 === 1);
  return [
    { name: 'even', tune: even, test: odd },
    { name: 'odd', tune: odd, test: even },
  ].map(({ name, tune, test }) => {
    const chosen = chooseWeight(byWeight, tune);
    return {
      tunedOn: `${name}-numbered queries (${tune.length})`,
      weight: chosen.weight,
      heldOut: meanNdcg(byWeight.get(chosen.weight)!, test),
      heldOutBest: chooseWeight(byWeight, test).ndcg,
      heldOutKeyword: meanNdcg(keyword, test),
    };
  });
}
