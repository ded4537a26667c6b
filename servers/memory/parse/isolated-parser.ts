// Parsing of the formats that unpack (DOCX is a zip, PDF streams are compressed) in a worker thread
// with a memory limit and a time limit. A file that blows either fails alone, with its reason, and
// the worker is replaced; the server's own thread never blocks on a hostile file and keeps
// answering (and hearing SIGTERM). The worker's V8 heap is capped by its resource limits; memory
// outside the heap (unpacked buffers) is watched from here and counts against the same limit.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { type ParsedDocument, ParseFailure } from './document.js';
import type { ParseAnswer, ParseJob } from './parse.worker.js';
import type { ZipLimits } from './zip-bounds.js';

export interface IsolationLimits {
  timeoutMs: number;
  memoryMb: number;
  zip: ZipLimits;
}

const WATCH_MS = 100;
const MB = 1024 * 1024;

/**
 * Starts the worker beside this module. Built, it is a plain .js file. Running from source (tsx,
 * vitest) a worker does not inherit the TypeScript loader, so a tiny bootstrap registers tsx first.
 */
function startWorker(limits: IsolationLimits): Worker {
  const options = {
    workerData: { zip: limits.zip },
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.min(32, Math.ceil(limits.memoryMb / 8)) },
  };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parse.worker.js', import.meta.url), options);
  const require = createRequire(import.meta.url);
  // require.resolve picks tsx's CommonJS build; the worker imports its ES module twin beside it.
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./parse.worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

export class IsolatedParser {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private jobs = 0;
  private closed = false;

  constructor(private readonly limits: IsolationLimits) {}

  /** Parses one file in the worker; files queue one after another. */
  parse(bytes: Buffer, format: 'pdf' | 'docx', signal?: AbortSignal): Promise<ParsedDocument> {
    const run = () => this.run(bytes, format, signal);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private run(bytes: Buffer, format: 'pdf' | 'docx', signal?: AbortSignal): Promise<ParsedDocument> {
    if (this.closed) return Promise.reject(new ParseFailure('unreadable', 'the memory server is shutting down'));
    if (signal?.aborted) return Promise.reject(new ParseFailure('unreadable', 'cancelled before parsing'));
    const worker = (this.worker ??= startWorker(this.limits));
    const id = ++this.jobs;
    const { timeoutMs, memoryMb } = this.limits;
    return new Promise<ParsedDocument>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void, replaceWorker: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(watch);
        signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (replaceWorker) {
          if (this.worker === worker) this.worker = undefined;
          void worker.terminate();
        }
        outcome();
      };
      const fail = (failure: ParseFailure) => finish(() => reject(failure), true);
      const timer = setTimeout(
        () => fail(new ParseFailure('timed-out', `parsing took longer than ${timeoutMs / 1000} s (servers.memory.parseTimeoutMs)`)),
        timeoutMs,
      );
      const tooMuchMemory = () =>
        new ParseFailure('too-large', `parsing needed more than ${memoryMb} MB of memory (servers.memory.parseMemoryMb)`);
      const watch = setInterval(() => {
        worker.getHeapStatistics().then(
          (heap) => {
            if (heap.used_heap_size + heap.external_memory > memoryMb * MB) fail(tooMuchMemory());
          },
          () => undefined,
        );
      }, WATCH_MS);
      const onAbort = () => fail(new ParseFailure('unreadable', 'cancelled while parsing'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const onMessage = (answer: ParseAnswer) => {
        if (answer.id !== id) return;
        if (answer.ok) finish(() => resolve(answer.parsed), false);
        else if (answer.reason === 'error') finish(() => reject(new Error(answer.message)), false);
        else finish(() => reject(new ParseFailure(answer.reason as ParseFailure['reason'], answer.message)), false);
      };
      const onError = (error: Error & { code?: string }) =>
        fail(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? tooMuchMemory()
            : new ParseFailure('unreadable', `the parser stopped: ${error.message.split('\n')[0]}`),
        );
      const onExit = (code: number) => fail(new ParseFailure('unreadable', `the parser stopped (exit ${code})`));
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      // A copy goes to the worker: the caller keeps its buffer (it hashes and stores it).
      worker.postMessage({ id, format, bytes: new Uint8Array(bytes) } satisfies ParseJob);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
