// The sandbox's two boundaries, typed once for both sides: the messages between the server process
// and a sandbox process (Node IPC, structured clone), and the calls between a sandbox process and
// the prelude inside each isolate (host callbacks one way, the prelude's API and replies the other).
import type { RunLimits } from '../limits.js';
import type { WorkspaceLimits } from '../workspace/workspace.js';

export interface SlotOptions {
  workspace: string;
  memoryMb: number;
  workspaceLimits: WorkspaceLimits;
}

export interface FileChanges {
  created: string[];
  modified: string[];
  deleted: string[];
}

export interface ErrorInfo {
  name: string;
  message: string;
  stack?: string;
}

/** How a run ended. `timeout`, `cpu` and `memory` are limits; `crashed` means the sandbox process died. */
export type RunStatus = 'ok' | 'threw' | 'timeout' | 'cpu' | 'memory' | 'crashed' | 'cancelled';

export interface Output {
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
}

export interface RunOutcome extends Output {
  status: RunStatus;
  valueType?: string;
  value?: unknown;
  valueTruncated?: boolean;
  error?: ErrorInfo;
  wallMs: number;
  cpuMs: number;
  heapBytes: number;
  files: FileChanges;
  /**
   * The isolate is gone — it died at its memory limit, or it was stopped at its time limit while
   * still executing: the server replaces the whole sandbox process, because code may still be
   * running on its threads (V8 cannot interrupt some builtins). Globals are gone.
   */
  reset: boolean;
}

export interface TestCase {
  name: string;
  code: string;
}

export interface TestLimits extends RunLimits {
  testMs: number;
}

export type TestStatus = 'passed' | 'failed' | 'timeout' | 'skipped';

export interface TestResult {
  name: string;
  status: TestStatus;
  message?: string;
  stack?: string;
  durationMs: number;
}

export interface TestOutcome extends Output {
  load: { status: RunStatus; kind: 'script' | 'module'; error?: ErrorInfo };
  tests: TestResult[];
  /** As in RunOutcome: the sandbox process must be replaced. */
  reset: boolean;
  wallMs: number;
  cpuMs: number;
  files: FileChanges;
}

export interface FetchRequest {
  url: string;
  method: string;
  headers: [string, string][];
  body?: string | Uint8Array;
}

export interface FetchResponse {
  status: number;
  statusText: string;
  url: string;
  redirected: boolean;
  headers: [string, string][];
  body: Uint8Array;
}

export type ParentMessage =
  | { type: 'create'; id: number; slot: string; options: SlotOptions }
  | { type: 'run'; id: number; slot: string; code: string; limits: RunLimits }
  | { type: 'test'; id: number; slot: string; source: string; kind: 'script' | 'module'; tests: TestCase[]; limits: TestLimits }
  | { type: 'dispose'; id: number; slot: string }
  | { type: 'cancel'; slot: string }
  | { type: 'fetched'; op: string; ok: true; response: FetchResponse }
  | { type: 'fetched'; op: string; ok: false; error: string };

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'fetch'; op: string; request: FetchRequest; deadline: number }
  | { type: 'cancel-fetch'; op: string };

// ---- between a sandbox process and the prelude in an isolate ----

/** console's streams: 1 is stdout, 2 is stderr. */
export type Stream = 1 | 2;

export type WorkspaceOp = 'readText' | 'readBytes' | 'writeText' | 'writeBytes' | 'list' | 'exists' | 'stat' | 'delete' | 'deleteRecursive';

/**
 * What the host hands the prelude: copy-only callbacks into the sandbox process. The host checks
 * every argument again (code in the isolate may call these with anything).
 */
export interface HostCallbacks {
  /** Appends console output; returns the characters still allowed on that stream (0: full, stop sending). */
  write(stream: Stream, text: string): number;
  /** One workspace operation, checked against the jail on every call. */
  workspace(op: WorkspaceOp, path: string, data?: string | Uint8Array): unknown;
  /** Starts an asynchronous host operation; the answer comes later through PreludeApi.settle(op, …). */
  start(op: number, kind: 'timer' | 'fetch', payload: unknown): void;
  /** The source of the helpers bundle (csv, stats, chart, table). */
  helpers(): string;
  codec(op: 'encode', value: string): Uint8Array;
  codec(op: 'decode', value: Uint8Array): string;
  codec(op: 'atob' | 'btoa', value: string): string;
}

/** What the prelude hands back: the functions the host drives. */
export interface PreludeApi {
  /** Runs a script; resolves to the JSON of a RunReply. */
  run(code: string, resultChars: number): Promise<string>;
  /** Runs one test body inside an async function; resolves to the JSON of a TestReply. */
  test(code: string): Promise<string>;
  /** Answers an operation started through HostCallbacks.start. */
  settle(op: number, ok: boolean, value: unknown): void;
  /** Puts a module's exports on the global object; returns how many. */
  expose(namespace: Record<string, unknown>): number;
}

export type RunReply = { status: 'ok'; type: string; value: unknown; truncated: boolean } | { status: 'threw'; error: ErrorInfo };

export type TestReply = { status: 'passed' } | { status: 'failed'; error: ErrorInfo };
