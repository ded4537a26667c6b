// How big one MCP message may be, on stdio and over HTTP. Big enough for the largest single
// argument a tool accepts (a 10 MiB workspace file is about 14 MB as base64 in JSON; six 2-million-
// character texts for memory_ingest are 12 MB), small enough that parsing one stays cheap. A
// bigger message gets a clean JSON-RPC error naming this limit; the server goes on serving.
import { Transform, type TransformCallback } from 'node:stream';

export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** What the guard keeps of an oversized line to find its request id. */
const KEPT = 4096;

export type RequestId = string | number;

/** The id of a JSON-RPC request from the start and the end of its text, when it can be told. */
export function requestIdOf(head: string, tail: string): RequestId | undefined {
  // Serializers put `id` last ({...request, jsonrpc, id}) or first ({jsonrpc, id, method, params}).
  const last = /"id"\s*:\s*("(?:[^"\\]|\\.){0,200}"|-?\d{1,20})\s*\}\s*$/.exec(tail);
  const first = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*("(?:[^"\\]|\\.){0,200}"|-?\d{1,20})\s*,/.exec(head);
  const raw = last?.[1] ?? first?.[1];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as RequestId;
  } catch {
    return undefined;
  }
}

/**
 * Passes newline-delimited messages through whole, up to `maxBytes` each. A longer line is
 * dropped as it streams (never held in memory) and reported once it ends, with its request id
 * when that can be found at either end of it.
 */
export class LineGuard extends Transform {
  private parts: Buffer[] = [];
  private length = 0;
  private dropping = false;
  private head = '';
  private tail = Buffer.alloc(0);

  constructor(
    private readonly maxBytes: number,
    private readonly onOversized: (info: { id: RequestId | undefined; bytes: number }) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      this.accept(chunk.subarray(start, end), newline !== -1);
      start = end;
    }
    done();
  }

  private accept(piece: Buffer, endsLine: boolean): void {
    this.length += piece.length;
    if (!this.dropping && this.length > this.maxBytes) {
      // Keep only what can name the request: its first and last few kilobytes.
      this.dropping = true;
      const first: Buffer[] = [];
      for (let kept = 0, i = 0; kept < KEPT && i < this.parts.length; i++) {
        first.push(this.parts[i]!);
        kept += this.parts[i]!.length;
      }
      this.head = Buffer.concat(first).subarray(0, KEPT).toString('utf8');
      this.parts = [];
    }
    if (this.dropping) this.tail = Buffer.concat([this.tail, piece]).subarray(-KEPT);
    else this.parts.push(piece);
    if (!endsLine) return;
    if (this.dropping) this.onOversized({ id: requestIdOf(this.head, this.tail.toString('utf8')), bytes: this.length });
    else this.push(Buffer.concat(this.parts));
    this.parts = [];
    this.length = 0;
    this.dropping = false;
    this.head = '';
    this.tail = Buffer.alloc(0);
  }

  override _flush(done: TransformCallback): void {
    if (!this.dropping && this.parts.length) this.push(Buffer.concat(this.parts));
    done();
  }
}
