// The embedding provider contract. A provider turns texts into unit-length vectors of a fixed
// dimension; its `id` names the model and every setting that changes the vectors, so a collection
// embedded under one id is never searched with vectors from another.

export type EmbedPurpose = 'document' | 'query';

export interface Embedder {
  /** Names the model and its vector-changing settings, e.g. `ollama:nomic-embed-text`. */
  readonly id: string;
  /** Loads what the provider needs (a model, a word table) and reports the vector dimension. */
  ready(signal?: AbortSignal): Promise<{ dimensions: number }>;
  /** One unit-length vector per text, in order. */
  embed(texts: readonly string[], purpose: EmbedPurpose, signal?: AbortSignal): Promise<Float32Array[]>;
  close(): Promise<void> | void;
}

/** Scales a vector to unit length in place; a zero vector stays zero. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}
