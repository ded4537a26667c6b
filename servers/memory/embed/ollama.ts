// Ollama embeddings over its HTTP API (POST /api/embed {model, input: [...]} → {embeddings}).
// Ollama normalizes nothing for every model, so vectors are scaled to unit length here.
import { describeError, HearthError } from '../../../lib/errors.js';
import type { OllamaSettings } from '../settings.js';
import { type Embedder, type EmbedPurpose, normalize } from './embedder.js';

interface EmbedResponse {
  embeddings?: number[][];
  error?: string;
}

export class OllamaEmbedder implements Embedder {
  readonly id: string;
  private dimensions: number | undefined;

  constructor(private readonly settings: OllamaSettings) {
    const prefixes = settings.queryPrefix || settings.documentPrefix ? `+prefix(${settings.queryPrefix}|${settings.documentPrefix})` : '';
    this.id = `ollama:${settings.model}${prefixes}`;
  }

  async ready(signal?: AbortSignal): Promise<{ dimensions: number }> {
    if (this.dimensions === undefined) {
      const [probe] = await this.request(['dimension probe'], signal);
      this.dimensions = probe!.length;
    }
    return { dimensions: this.dimensions };
  }

  async embed(texts: readonly string[], purpose: EmbedPurpose, signal?: AbortSignal): Promise<Float32Array[]> {
    const prefix = purpose === 'query' ? this.settings.queryPrefix : this.settings.documentPrefix;
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.settings.batchSize) {
      out.push(
        ...(await this.request(
          texts.slice(i, i + this.settings.batchSize).map((t) => prefix + t),
          signal,
        )),
      );
    }
    if (this.dimensions !== undefined && out.some((v) => v.length !== this.dimensions)) {
      throw new HearthError(
        'UNAVAILABLE',
        `Ollama model ${this.settings.model} returned vectors of a different dimension than before`,
        'The model behind the name changed; restart the server so collections are re-embedded.',
      );
    }
    return out;
  }

  private async request(input: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const url = new URL('/api/embed', this.settings.baseUrl);
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: this.settings.model, input, truncate: true }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw new HearthError('CANCELLED', 'embedding was cancelled', 'Nothing more was stored.');
      if (timeout.aborted)
        throw new HearthError(
          'TIMEOUT',
          `Ollama at ${this.settings.baseUrl} did not answer within ${this.settings.timeoutMs} ms`,
          'Check that Ollama is running and not overloaded, or raise servers.memory.embedder.timeoutMs.',
        );
      throw new HearthError(
        'UNAVAILABLE',
        `cannot reach Ollama at ${this.settings.baseUrl} (${describeError(error)})`,
        'Start Ollama (`ollama serve`), or set servers.memory.embedder.provider to builtin.',
      );
    }
    let body: EmbedResponse;
    try {
      body = (await response.json()) as EmbedResponse;
    } catch {
      throw new HearthError(
        'UNAVAILABLE',
        `Ollama at ${this.settings.baseUrl} answered ${response.status} with a body that is not JSON`,
        'Check that baseUrl points at Ollama.',
      );
    }
    if (!response.ok) {
      const hint = response.status === 404 ? `Pull the model first: \`ollama pull ${this.settings.model}\`.` : 'Check the Ollama log.';
      throw new HearthError(
        'UNAVAILABLE',
        `Ollama refused to embed with ${this.settings.model}: ${body.error ?? `HTTP ${response.status}`}`,
        hint,
      );
    }
    const embeddings = body.embeddings;
    if (!Array.isArray(embeddings) || embeddings.length !== input.length || embeddings.some((e) => !Array.isArray(e) || e.length === 0)) {
      throw new HearthError(
        'UNAVAILABLE',
        `Ollama returned ${Array.isArray(embeddings) ? embeddings.length : 'no'} embeddings for ${input.length} inputs`,
        `Check that ${this.settings.model} is an embedding model.`,
      );
    }
    return embeddings.map((e) => normalize(Float32Array.from(e)));
  }

  close(): void {
    this.dimensions = undefined;
  }
}
