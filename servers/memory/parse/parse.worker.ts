// Worker entry: parses PDF and DOCX files off the main thread, under the memory limit the host gave
// the worker (see isolated-parser.ts). One file at a time; the answer is the parsed document or
// the reason it could not be read.
import { parentPort, workerData } from 'node:worker_threads';

import { ParseFailure } from './document.js';
import { parseDocx } from './docx.js';
import { parsePdf } from './pdf.js';
import type { ZipLimits } from './zip-bounds.js';

export interface ParseJob {
  id: number;
  format: 'pdf' | 'docx';
  bytes: Uint8Array;
}

export type ParseAnswer =
  | { id: number; ok: true; parsed: Awaited<ReturnType<typeof parsePdf>> }
  | { id: number; ok: false; reason: ParseFailure['reason'] | 'error'; message: string };

const { zip } = workerData as { zip: ZipLimits };

parentPort!.on('message', (job: ParseJob) => {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const work = job.format === 'pdf' ? parsePdf(bytes) : parseDocx(bytes, zip);
  work.then(
    (parsed) => parentPort!.postMessage({ id: job.id, ok: true, parsed } satisfies ParseAnswer),
    (error: unknown) =>
      parentPort!.postMessage({
        id: job.id,
        ok: false,
        reason: error instanceof ParseFailure ? error.reason : 'error',
        message: error instanceof Error ? error.message : String(error),
      } satisfies ParseAnswer),
  );
});
