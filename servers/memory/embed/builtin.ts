// The built-in offline embedder: a smooth-inverse-frequency (SIF) weighted average of GloVe-derived
// word vectors, with the shared common component removed (Arora et al., 2017). Needs nothing but an
// npm package, so search has a semantic signal on a fresh machine: "automobile" finds "car".
import { type Embedder, normalize } from './embedder.js';
import { ensureWordTable, loadWordTable, wordProbability, type WordTable } from './word-table.js';
import { wordsOf } from './word-tokens.js';

export interface BuiltinOptions {
  cacheDir: string;
  /** SIF's smoothing constant: smaller values down-weight frequent words harder. */
  a?: number;
}

const SUFFIXES = ['s', 'es', 'ing', 'ed', 'ly'];

export class BuiltinEmbedder implements Embedder {
  readonly id = 'builtin:wink-sg100d-sif-v1';
  private table: WordTable | undefined;
  private loading: Promise<WordTable> | undefined;
  private readonly weights: Float32Array[] = [];
  private readonly a: number;

  constructor(private readonly options: BuiltinOptions) {
    this.a = options.a ?? 1e-3;
  }

  async ready(signal?: AbortSignal): Promise<{ dimensions: number }> {
    this.loading ??= ensureWordTable(this.options.cacheDir, signal).then((file) => loadWordTable(file));
    try {
      this.table = await this.loading;
    } catch (error) {
      this.loading = undefined;
      throw error;
    }
    return { dimensions: this.table.dimensions };
  }

  private lookup(table: WordTable, word: string): number | undefined {
    const direct = table.index.get(word);
    if (direct !== undefined) return direct;
    for (const suffix of SUFFIXES) {
      if (word.length > suffix.length + 2 && word.endsWith(suffix)) {
        const stem = table.index.get(word.slice(0, -suffix.length));
        if (stem !== undefined) return stem;
      }
    }
    return undefined;
  }

  /** The SIF vector of one text; exposed for tests and the benchmark. */
  embedOne(table: WordTable, text: string): Float32Array {
    const dims = table.dimensions;
    const sum = new Float32Array(dims);
    let count = 0;
    for (const word of wordsOf(text)) {
      const row = this.lookup(table, word);
      if (row === undefined) continue;
      const p = wordProbability(row);
      const weight = (this.a / (this.a + p)) * table.scales[row]!;
      const base = row * dims;
      for (let d = 0; d < dims; d++) sum[d] = sum[d]! + weight * table.vectors[base + d]!;
      count++;
    }
    if (count === 0) return sum;
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += sum[d]! * table.common[d]!;
    for (let d = 0; d < dims; d++) sum[d] = sum[d]! - dot * table.common[d]!;
    return normalize(sum);
  }

  async embed(texts: readonly string[], _purpose: 'document' | 'query', signal?: AbortSignal): Promise<Float32Array[]> {
    await this.ready(signal);
    const table = this.table!;
    return texts.map((t) => this.embedOne(table, t));
  }

  close(): void {
    this.table = undefined;
    this.loading = undefined;
    this.weights.length = 0;
  }
}
