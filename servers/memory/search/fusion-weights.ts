// The keyword weight hybrid search gives a collection: the one measured on that collection
// (`scripts/tune-fusion.ts --database … --collection …` stores it in the collection's row, beside its
// embedder), else the one measured for its embedder on a public benchmark (the table below, written
// by `scripts/tune-fusion.ts` on the SciFact dev split), else an even split for an embedder nobody
// has measured. Re-embedding a collection with another model clears its own measurement.

export interface MeasuredWeight {
  keywordWeight: number;
  /** What it was measured on and what it gave, for people reading this file. */
  measured: string;
}

/** Keyed by embedder id (`Embedder.id`). */
export const MEASURED_WEIGHTS: Readonly<Record<string, MeasuredWeight>> = {
  'builtin:wink-sg100d-sif-v1': {
    keywordWeight: 0.9,
    measured:
      'SciFact train (dev) split, 505 queries, hybrid with MMR λ 0.8, 10 distinct documents: nDCG@10 0.8674 at 0.9, 0.8666 keyword-only, 0.4460 vector-only; 0.8643 at 0.8, 0.7768 at 0.5. Split-half: the halves chose 1.0 and 0.8; 0.9 scores 0.8413 and 0.8937 on them, keyword-only 0.8421 and 0.8912.',
  },
};

/** For an embedder without a measurement: both rankings count the same. */
export const UNMEASURED_WEIGHT = 0.5;

export type WeightSource = 'collection' | 'embedder' | 'unmeasured';

export function keywordWeightOf(collection: { embedder: string; keywordWeight: number | null }): {
  weight: number;
  source: WeightSource;
} {
  if (collection.keywordWeight !== null) return { weight: collection.keywordWeight, source: 'collection' };
  const measured = Object.hasOwn(MEASURED_WEIGHTS, collection.embedder) ? MEASURED_WEIGHTS[collection.embedder] : undefined;
  return measured ? { weight: measured.keywordWeight, source: 'embedder' } : { weight: UNMEASURED_WEIGHT, source: 'unmeasured' };
}
