// The server's handle on one sandbox process: spawns it, sends requests over IPC, answers its
// fetch requests (through a policy-checking fetcher), and notices when it dies. A request that
// gets no answer within its deadline kills the process: the server never waits on a sandbox.
import { type ChildProcess, spawn } from 'node:child_process';

import type { Logger } from 'pino';

import { describeError, HearthError } from '../../../lib/errors.js';
import type { RunLimits } from '../limits.js';
import type { ChildCommand } from './child-command.js';
import type {
  ChildMessage,
  FetchRequest,
  FetchResponse,
  ParentMessage,
  RunOutcome,
  SlotOptions,
  TestCase,
  TestLimits,
  TestOutcome,
} from './protocol.js';
import { RssWatch } from './rss-watch.js';

/** Performs a sandbox fetch after checking the policy; rejects with a message the code will see. */
export type Fetcher = (request: FetchRequest, deadline: number, signal: AbortSignal) => Promise<FetchResponse>;

export interface SandboxProcessOptions {
  workspacesRoot: string;
  /** How to start the process (see child-command.ts); shared by the processes of one server. */
  command: () => Promise<ChildCommand>;
  log: Logger;
  fetcher: Fetcher;
}

/** The sandbox process ended (crash, abort, kill) while a request was outstanding. */
export class SandboxCrashed extends Error {
  constructor(
    readonly why: string,
    /** The process ran out of memory outside the isolate's own limit (V8 aborted). */
    readonly outOfMemory: boolean,
  ) {
    super(`the sandbox process ended: ${why}`);
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout | undefined };
type Outbound = ParentMessage extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

const START_TIMEOUT_MS = 30_000;
// Past its own limits a run answers within milliseconds; one that does not is inside a builtin V8
// cannot interrupt (a giant fill or sort), and is ended soon after its wall limit.
const ANSWER_GRACE_MS = 1_000;
const STDERR_KEPT = 8_000;
// The resident-set cap of a sandbox process: Node itself, plus three times the heap limits of the
// isolates it holds (young generation, code and buffers live outside the old-space limit).
const BASE_RSS_MB = 256;
const RSS_PER_HEAP_MB = 3;

export class SandboxProcess {
  private child: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly fetches = new Map<string, AbortController>();
  private seq = 0;
  private stderr = '';
  private closed = false;
  private retired = false;
  private readonly slotHeapsMb = new Map<string, number>();
  /** Slots whose current run or test was cancelled by its caller. */
  private readonly cancelAsked = new Set<string>();
  private rssWatch: RssWatch | undefined;
  private killedForMemory = false;

  constructor(private readonly options: SandboxProcessOptions) {}

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Out of service: no new work; it ends once the requests in flight are answered. */
  get retiring(): boolean {
    return this.retired;
  }

  start(): Promise<void> {
    if (this.retired && !this.starting) return Promise.reject(new SandboxCrashed('retired', false));
    if (this.closed)
      return Promise.reject(new HearthError('UNAVAILABLE', 'the code server is shutting down', 'Try again after it restarts.'));
    this.starting ??= this.spawn().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async spawn(): Promise<void> {
    const { command, args } = await this.options.command();
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: {},
      cwd: this.options.workspacesRoot,
    });
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEPT);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new HearthError(
            'UNAVAILABLE',
            'the sandbox process did not start in time',
            'The machine may be overloaded; try again. `hearth doctor` checks isolated-vm.',
          ),
        );
      }, START_TIMEOUT_MS);
      const onMessage = (m: ChildMessage) => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          new HearthError(
            'UNAVAILABLE',
            `the sandbox process failed to start (${signal ?? `exit ${code}`}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`,
            'Check that isolated-vm is built for this Node (`hearth doctor`).',
          ),
        );
      });
    });
    this.killedForMemory = false;
    this.rssWatch =
      child.pid === undefined
        ? undefined
        : new RssWatch(
            child.pid,
            () => this.rssCapBytes(),
            (rss, cap) => this.endForMemory(child, rss, cap),
          );
    child.on('message', (m: ChildMessage) => this.onMessage(m));
    // 'close' comes after stderr has drained, so the reason for a crash is in hand.
    child.on('close', (code, signal) => this.onExit(code, signal));
    child.on('error', (error) => this.options.log.warn({ err: describeError(error) }, 'sandbox process error'));
  }

  private onMessage(m: ChildMessage): void {
    if (m.type === 'reply') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (this.pending.size === 0) this.rssWatch?.stop();
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
      this.endIfRetiredAndIdle();
    } else if (m.type === 'fetch') {
      const controller = new AbortController();
      this.fetches.set(m.op, controller);
      this.options.fetcher(m.request, m.deadline, controller.signal).then(
        (response) => this.reply({ type: 'fetched', op: m.op, ok: true, response }, m.op),
        (error: unknown) => this.reply({ type: 'fetched', op: m.op, ok: false, error: describeError(error) }, m.op),
      );
    } else if (m.type === 'cancel-fetch') {
      this.fetches.get(m.op)?.abort();
      this.fetches.delete(m.op);
    }
  }

  private reply(message: ParentMessage, op: string): void {
    if (!this.fetches.delete(op)) return; // cancelled: the run is over
    if (this.alive) this.child!.send(message);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const tail = this.stderr;
    const outOfMemory =
      this.killedForMemory || /heap out of memory|out-of-memory|is_heap_oom|Reached heap limit|allocation failed/i.test(tail);
    this.rssWatch?.stop();
    this.rssWatch = undefined;
    this.slotHeapsMb.clear();
    const why = signal ? `killed by ${signal}` : `exit code ${code}`;
    if (!this.closed && signal !== 'SIGKILL')
      this.options.log.warn({ why, outOfMemory, stderr: tail.slice(-1000) }, 'sandbox process ended');
    for (const controller of this.fetches.values()) controller.abort();
    this.fetches.clear();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new SandboxCrashed(why, outOfMemory));
    }
    this.pending.clear();
    this.child = undefined;
    this.starting = undefined;
    this.stderr = '';
  }

  private async request<T>(message: Outbound, answerWithinMs?: number): Promise<T> {
    await this.start();
    const child = this.child;
    if (!child || !this.alive) throw new SandboxCrashed('not running', false);
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer =
        answerWithinMs === undefined
          ? undefined
          : setTimeout(() => {
              // The sandbox did not answer within its own limits plus a grace: end it.
              this.options.log.warn({ id, type: message.type }, 'sandbox process did not answer in time; killing it');
              child.kill('SIGKILL');
            }, answerWithinMs + ANSWER_GRACE_MS);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.rssWatch?.start();
      child.send({ ...message, id });
      // A cancel asked for before its run reached the sandbox follows the run (a cancel that came
      // first would find nothing running there and be lost).
      if ((message.type === 'run' || message.type === 'test') && this.cancelAsked.has(message.slot))
        child.send({ type: 'cancel', slot: message.slot } satisfies ParentMessage);
    });
  }

  private rssCapBytes(): number {
    let heaps = 0;
    for (const mb of this.slotHeapsMb.values()) heaps += mb;
    return (BASE_RSS_MB + RSS_PER_HEAP_MB * heaps) * 1024 * 1024;
  }

  private endForMemory(child: ChildProcess, rssBytes: number, capBytes: number): void {
    if (child !== this.child || !this.alive) return;
    this.options.log.warn(
      { rssMb: Math.round(rssBytes / 2 ** 20), capMb: Math.round(capBytes / 2 ** 20) },
      'sandbox process passed its memory cap; ending it',
    );
    this.killedForMemory = true;
    child.kill('SIGKILL');
  }

  createSlot(slot: string, options: SlotOptions): Promise<boolean> {
    this.slotHeapsMb.set(slot, options.memoryMb);
    return this.request({ type: 'create', slot, options }, 20_000);
  }

  async run(slot: string, code: string, limits: RunLimits): Promise<RunOutcome> {
    try {
      return await this.request<RunOutcome>({ type: 'run', slot, code, limits }, limits.wallMs);
    } finally {
      this.cancelAsked.delete(slot);
    }
  }

  async test(slot: string, source: string, kind: 'script' | 'module', tests: TestCase[], limits: TestLimits): Promise<TestOutcome> {
    try {
      return await this.request<TestOutcome>({ type: 'test', slot, source, kind, tests, limits }, limits.wallMs + tests.length * 50);
    } finally {
      this.cancelAsked.delete(slot);
    }
  }

  /**
   * Takes the process out of service after one of its isolates died at its memory limit (V8 cannot
   * interrupt some builtins, so that isolate's thread may still be busy). Runs of other slots in
   * flight finish first; then the process ends, and the owner starts a new one for new work.
   */
  retire(): void {
    this.retired = true;
    this.endIfRetiredAndIdle();
  }

  private endIfRetiredAndIdle(): void {
    if (this.retired && this.pending.size === 0) void this.recycle();
  }

  /** Ends the process so the next request starts a fresh one. */
  async recycle(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.kill('SIGKILL');
    await closed;
  }

  /** Asks the sandbox to end the slot's current run as cancelled. */
  cancel(slot: string): void {
    this.cancelAsked.add(slot);
    if (this.alive) this.child!.send({ type: 'cancel', slot } satisfies ParentMessage);
  }

  disposeSlot(slot: string): Promise<boolean> {
    this.slotHeapsMb.delete(slot);
    return this.request({ type: 'dispose', slot }, 10_000);
  }

  /** Ends the process. Outstanding requests fail with SandboxCrashed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.recycle();
  }
}
