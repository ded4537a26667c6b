// A local sentence-embedding model exported to ONNX (the layout transformers.js reads: a folder
// with tokenizer.json, tokenizer_config.json, config.json and model.onnx or onnx/model.onnx).
// Tokenizing is done by Hugging Face's tokenizers.js and inference by ONNX Runtime's WebAssembly
// build, so nothing native is installed and nothing is ever fetched: the folder is all it reads.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type * as OrtModule from 'onnxruntime-web';

import { describeError, HearthError } from '../../../lib/errors.js';
import type { OnnxSettings } from '../settings.js';
import { type Embedder, type EmbedPurpose, normalize } from './embedder.js';

type Ort = typeof OrtModule;
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;
/** The part of tokenizers.js' Tokenizer used here (its published types do not resolve under NodeNext). */
interface TokenizerT {
  encode(text: string, options: { return_token_type_ids: true }): { ids: number[]; attention_mask?: number[]; token_type_ids?: number[] };
}
type TokenizerClass = new (tokenizer: object, config: object) => TokenizerT;

interface Loaded {
  ort: Ort;
  session: Session;
  tokenizer: TokenizerT;
  dimensions: number;
  output: string;
}

function modelFile(dir: string): string | undefined {
  return ['onnx/model.onnx', 'model.onnx', 'onnx/model_quantized.onnx', 'model_quantized.onnx']
    .map((f) => join(dir, f))
    .find((f) => existsSync(f));
}

export class OnnxEmbedder implements Embedder {
  readonly id: string;
  private loaded: Promise<Loaded> | undefined;
  private readonly dir: string;

  constructor(private readonly settings: OnnxSettings) {
    this.dir = resolve(settings.dir);
    const prefixes = settings.queryPrefix || settings.documentPrefix ? `+prefix(${settings.queryPrefix}|${settings.documentPrefix})` : '';
    this.id = `onnx:${this.dir}:${settings.pooling}:${settings.maxTokens}${prefixes}`;
  }

  private async load(): Promise<Loaded> {
    const dir = this.dir;
    const missing = (what: string) =>
      new HearthError(
        'UNAVAILABLE',
        `the ONNX embedder's folder ${dir} has no ${what}`,
        'Point servers.memory.embedder.dir at a sentence-embedding model exported to ONNX (tokenizer.json plus model.onnx or onnx/model.onnx), or use the builtin provider.',
      );
    if (!existsSync(dir))
      throw new HearthError(
        'UNAVAILABLE',
        `the ONNX embedder's folder ${dir} does not exist`,
        'Models are never downloaded: copy an exported model there, or use the builtin provider.',
      );
    const model = modelFile(dir);
    if (!model) throw missing('model.onnx');
    if (!existsSync(join(dir, 'tokenizer.json'))) throw missing('tokenizer.json');
    try {
      const { Tokenizer } = (await import('@huggingface/tokenizers')) as unknown as { Tokenizer: TokenizerClass };
      const config = existsSync(join(dir, 'tokenizer_config.json'))
        ? (JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as object)
        : {};
      const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as object, config);
      const ort = await import('onnxruntime-web');
      // One thread: worker threads would compete with the server for the machine's cores.
      ort.env.wasm.numThreads = 1;
      const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(model)), {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
      });
      const output = session.outputNames.includes('last_hidden_state')
        ? 'last_hidden_state'
        : session.outputNames.includes('sentence_embedding')
          ? 'sentence_embedding'
          : session.outputNames[0]!;
      const loaded: Loaded = { ort, session, tokenizer, dimensions: 0, output };
      const [probe] = await this.run(loaded, ['dimension probe']);
      loaded.dimensions = probe!.length;
      return loaded;
    } catch (error) {
      if (error instanceof HearthError) throw error;
      throw new HearthError(
        'UNAVAILABLE',
        `could not load the ONNX model in ${dir}: ${describeError(error)}`,
        'Check that the folder holds a complete ONNX export of a text-embedding model.',
      );
    }
  }

  async ready(): Promise<{ dimensions: number }> {
    this.loaded ??= this.load();
    try {
      return { dimensions: (await this.loaded).dimensions };
    } catch (error) {
      this.loaded = undefined;
      throw error;
    }
  }

  async embed(texts: readonly string[], purpose: EmbedPurpose, signal?: AbortSignal): Promise<Float32Array[]> {
    await this.ready();
    const loaded = await this.loaded!;
    const prefix = purpose === 'query' ? this.settings.queryPrefix : this.settings.documentPrefix;
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.settings.batchSize) {
      if (signal?.aborted) throw new HearthError('CANCELLED', 'embedding was cancelled', 'Nothing more was stored.');
      out.push(
        ...(await this.run(
          loaded,
          texts.slice(i, i + this.settings.batchSize).map((t) => prefix + t),
        )),
      );
    }
    return out;
  }

  /** Tokenizes a batch (padded to its longest), runs the model, pools and normalizes. */
  private async run(loaded: Loaded, texts: readonly string[]): Promise<Float32Array[]> {
    const { ort, session, tokenizer } = loaded;
    const encoded = texts.map((t) => {
      const e = tokenizer.encode(t, { return_token_type_ids: true });
      const n = Math.min(e.ids.length, this.settings.maxTokens);
      // Tokenizers without a post-processor report no masks or type ids: every token is real, type 0.
      return {
        ids: e.ids.slice(0, n),
        mask: e.attention_mask?.slice(0, n) ?? new Array<number>(n).fill(1),
        types: e.token_type_ids?.slice(0, n) ?? new Array<number>(n).fill(0),
      };
    });
    const width = Math.max(1, ...encoded.map((e) => e.ids.length));
    const tensor = (pick: (e: (typeof encoded)[number]) => number[]) => {
      const data = new BigInt64Array(texts.length * width);
      encoded.forEach((e, row) => pick(e).forEach((v, col) => (data[row * width + col] = BigInt(v))));
      return new ort.Tensor('int64', data, [texts.length, width]);
    };
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
    for (const name of session.inputNames) {
      if (name === 'input_ids') feeds[name] = tensor((e) => e.ids);
      else if (name === 'attention_mask') feeds[name] = tensor((e) => e.mask);
      else if (name === 'token_type_ids') feeds[name] = tensor((e) => e.types);
    }
    const result = await session.run(feeds);
    const output = result[loaded.output]!;
    const data = output.data as Float32Array;
    const dims = output.dims;
    if (dims.length === 2) return texts.map((_t, row) => normalize(data.slice(row * dims[1]!, (row + 1) * dims[1]!)));
    const [, seq, hidden] = dims as [number, number, number];
    return encoded.map((e, row) => {
      const v = new Float32Array(hidden);
      if (this.settings.pooling === 'cls') v.set(data.subarray(row * seq * hidden, row * seq * hidden + hidden));
      else {
        let count = 0;
        for (let t = 0; t < e.ids.length; t++) {
          if (!e.mask[t]) continue;
          count++;
          const base = (row * seq + t) * hidden;
          for (let d = 0; d < hidden; d++) v[d] = v[d]! + data[base + d]!;
        }
        if (count) for (let d = 0; d < hidden; d++) v[d] = v[d]! / count;
      }
      return normalize(v);
    });
  }

  async close(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    if (loaded) await (await loaded.catch(() => undefined))?.session.release();
  }
}
