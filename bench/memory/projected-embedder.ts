// A 384-dimension embedder for latency measurements at the size common sentence models produce:
// the built-in 100-d vectors through a fixed random Gaussian projection. It keeps the built-in
// vectors' neighbourhood structure (a random projection preserves angles approximately), so binary
// quantization faces realistic data, not uniform noise. For speed figures only.
import type { Embedder } from '../../servers/memory/embed/embedder.js';
import { normalize } from '../../servers/memory/embed/embedder.js';

function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

export class ProjectedEmbedder implements Embedder {
  readonly id: string;
  private readonly matrix: Float32Array;

  constructor(
    private readonly inner: Embedder,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.id = `${inner.id}+projected${to}`;
    const g = gaussian(42);
    this.matrix = Float32Array.from({ length: from * to }, () => g());
  }

  async ready(): Promise<{ dimensions: number }> {
    await this.inner.ready();
    return { dimensions: this.to };
  }

  async embed(texts: readonly string[], purpose: 'document' | 'query'): Promise<Float32Array[]> {
    const base = await this.inner.embed(texts, purpose);
    return base.map((v) => {
      const out = new Float32Array(this.to);
      for (let i = 0; i < this.to; i++) {
        let s = 0;
        for (let j = 0; j < this.from; j++) s += this.matrix[i * this.from + j]! * v[j]!;
        out[i] = s;
      }
      return normalize(out);
    });
  }

  close(): void {}
}
