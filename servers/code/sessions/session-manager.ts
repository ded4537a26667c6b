// Sessions: each is one sandbox process holding one isolate (globals survive between runs) and a
// workspace folder. Idle sessions close by themselves (their files stay). A session whose isolate
// hit its memory limit, or whose process died, is replaced and the run reports it. One-shot runs
// and code_test use fresh isolates in a shared process, with the scratch workspace or a session's.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import type { Logger } from 'pino';

import { HearthError, invalidArgument } from '../../../lib/errors.js';
import type { RunLimits } from '../limits.js';
import { type ChildCommand, childCommand } from '../sandbox/child-command.js';
import type { RunOutcome, TestCase, TestLimits, TestOutcome } from '../sandbox/protocol.js';
import { type Fetcher, SandboxCrashed, SandboxProcess } from '../sandbox/sandbox-process.js';
import type { CodeSettings } from '../settings.js';
import { Workspace, type WorkspaceLimits } from '../workspace/workspace.js';

export const SCRATCH = 'scratch';
const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const MAIN_SLOT = 'main';
const EXPIRED_REMEMBERED = 200;

export interface SessionInfo {
  id: string;
  memoryMb: number;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  runs: number;
  resets: number;
  lastReset?: { reason: string; at: string };
  busy: boolean;
}

interface Session {
  id: string;
  memoryMb: number;
  process: SandboxProcess;
  created: number;
  lastUsed: number;
  runs: number;
  resets: number;
  lastReset?: { reason: string; at: string };
  busy: boolean;
  /** Set while a cancelled run winds down (its isolate being stopped); resolves when it has. */
  stopping?: Promise<void>;
}

export interface SessionManagerOptions {
  settings: CodeSettings;
  /** <home>/code/workspaces */
  workspacesRoot: string;
  log: Logger;
  fetcher: Fetcher;
  now?: () => number;
}

/** Runs `work`, asking the sandbox to cancel when the signal fires. */
async function withCancel<T>(signal: AbortSignal | undefined, cancel: () => void, work: () => Promise<T>): Promise<T> {
  if (!signal) return work();
  const onAbort = () => cancel();
  // Aborted while the sandbox was still being prepared: the cancel goes with the run.
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await work();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function crashOutcome(error: SandboxCrashed, wallMs: number): RunOutcome {
  return {
    status: error.outOfMemory ? 'memory' : 'crashed',
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    wallMs,
    cpuMs: 0,
    heapBytes: 0,
    files: { created: [], modified: [], deleted: [] },
    reset: true,
    error: { name: 'SandboxCrashed', message: error.message },
  };
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly expired = new Map<string, string>();
  private shared: SandboxProcess | undefined;
  private readonly sweeper: NodeJS.Timeout;
  private seq = 0;
  private closed = false;
  private command: Promise<ChildCommand> | undefined;
  readonly workspacesRoot: string;
  readonly workspaceLimits: WorkspaceLimits;

  constructor(private readonly options: SessionManagerOptions) {
    mkdirSync(options.workspacesRoot, { recursive: true, mode: 0o700 });
    this.workspacesRoot = realpathSync(options.workspacesRoot);
    const s = options.settings;
    this.workspaceLimits = { maxFileBytes: s.maxFileBytes, maxWorkspaceBytes: s.maxWorkspaceBytes, maxWorkspaceFiles: s.maxWorkspaceFiles };
    const every = Math.max(1_000, Math.min(60_000, (s.idleMinutes * 60_000) / 4));
    this.sweeper = setInterval(() => void this.sweep(), every);
    this.sweeper.unref();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private newProcess(): SandboxProcess {
    const command = () => {
      // Worked out once per server (a source checkout bundles the sandbox entry with esbuild).
      this.command ??= childCommand({ workspacesRoot: this.workspacesRoot, permissionModel: this.options.settings.permissionModel }).catch(
        (error: unknown) => {
          this.command = undefined;
          throw error;
        },
      );
      return this.command;
    };
    return new SandboxProcess({ workspacesRoot: this.workspacesRoot, command, log: this.options.log, fetcher: this.options.fetcher });
  }

  private checkName(name: string, field: string): void {
    if (!NAME.test(name))
      throw invalidArgument(
        field,
        `${JSON.stringify(name)} is not a valid session name`,
        'Use 1-40 lowercase letters, digits, - or _, starting with a letter or digit.',
      );
  }

  /** The workspace folder of a session (open or not) or of the scratch space. */
  workspace(session: string | undefined, field = 'session'): Workspace {
    const id = session ?? SCRATCH;
    this.checkName(id, field);
    const dir = join(this.workspacesRoot, id);
    if (id !== SCRATCH && !this.sessions.has(id) && !existsSync(dir)) throw this.notFound(id, field);
    return new Workspace(dir, this.workspaceLimits);
  }

  private notFound(id: string, field: string): HearthError {
    const why = this.expired.get(id);
    return new HearthError(
      'NOT_FOUND',
      `${field}: there is no open session ${id}${why ? ` (${why})` : ''}`,
      why
        ? `Open it again with code_session_open({ name: "${id}" }): its files are still there, its variables are not.`
        : 'Open one with code_session_open, list them with code_session_list, or leave session out for a one-shot run.',
      { details: { field } },
    );
  }

  private session(id: string, field = 'session'): Session {
    this.checkName(id, field);
    const s = this.sessions.get(id);
    if (!s) throw this.notFound(id, field);
    return s;
  }

  info(s: Session): SessionInfo {
    const idleMs = this.options.settings.idleMinutes * 60_000;
    return {
      id: s.id,
      memoryMb: s.memoryMb,
      createdAt: new Date(s.created).toISOString(),
      lastUsedAt: new Date(s.lastUsed).toISOString(),
      expiresAt: new Date(s.lastUsed + idleMs).toISOString(),
      runs: s.runs,
      resets: s.resets,
      ...(s.lastReset ? { lastReset: s.lastReset } : {}),
      busy: s.busy,
    };
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  async open(name: string | undefined, memoryMb: number): Promise<{ session: SessionInfo; reused: boolean }> {
    if (this.closed) throw new HearthError('UNAVAILABLE', 'the code server is shutting down', 'Try again after it restarts.');
    const id = name ?? `s-${randomBytes(4).toString('hex')}`;
    this.checkName(id, 'name');
    if (id === SCRATCH) throw invalidArgument('name', `${SCRATCH} is reserved for one-shot runs`, 'Choose another name.');
    const existing = this.sessions.get(id);
    if (existing) {
      existing.lastUsed = this.now();
      return { session: this.info(existing), reused: true };
    }
    if (this.sessions.size >= this.options.settings.maxSessions) {
      throw new HearthError(
        'LIMIT_EXCEEDED',
        `${this.sessions.size} sessions are open, the most this server allows`,
        'Close one with code_session_close (see code_session_list), or leave session out for a one-shot run.',
      );
    }
    const process = this.newProcess();
    const now = this.now();
    const session: Session = { id, memoryMb, process, created: now, lastUsed: now, runs: 0, resets: 0, busy: true };
    this.sessions.set(id, session);
    try {
      await process.createSlot(MAIN_SLOT, { workspace: join(this.workspacesRoot, id), memoryMb, workspaceLimits: this.workspaceLimits });
    } catch (error) {
      this.sessions.delete(id);
      await process.close();
      if (error instanceof HearthError) throw error;
      throw new HearthError(
        'UNAVAILABLE',
        `could not start the sandbox for session ${id}: ${(error as Error).message}`,
        'Try again; `hearth doctor` checks isolated-vm.',
      );
    } finally {
      session.busy = false;
    }
    this.expired.delete(id);
    return { session: this.info(session), reused: false };
  }

  async close(id: string, keepFiles: boolean): Promise<{ filesDeleted: boolean }> {
    const s = this.session(id);
    this.sessions.delete(id);
    await s.process.close();
    if (!keepFiles) rmSync(join(this.workspacesRoot, id), { recursive: true, force: true });
    return { filesDeleted: !keepFiles };
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].sort((a, b) => a.created - b.created).map((s) => this.info(s));
  }

  /** Workspace folders on disk, open or not. */
  workspaceNames(): string[] {
    try {
      return readdirSync(this.workspacesRoot).filter((n) => NAME.test(n) && statSync(join(this.workspacesRoot, n)).isDirectory());
    } catch {
      return [];
    }
  }

  /** A fresh sandbox process and isolate for the session; its files stay, its globals go. */
  private async restart(s: Session, reason: string): Promise<void> {
    await s.process.recycle();
    s.resets += 1;
    s.lastReset = { reason, at: new Date(this.now()).toISOString() };
    try {
      await s.process.createSlot(MAIN_SLOT, {
        workspace: join(this.workspacesRoot, s.id),
        memoryMb: s.memoryMb,
        workspaceLimits: this.workspaceLimits,
      });
    } catch (error) {
      this.options.log.warn({ session: s.id, err: (error as Error).message }, 'could not restart the session sandbox');
    }
  }

  async runInSession(
    id: string,
    code: string,
    limits: RunLimits,
    signal?: AbortSignal,
  ): Promise<{ outcome: RunOutcome; session: SessionInfo }> {
    let s = this.session(id);
    // A cancelled run is over for its caller; the next run waits for it to wind down rather than being refused.
    while (s.busy && s.stopping) {
      await s.stopping;
      s = this.session(id);
    }
    if (s.busy)
      throw new HearthError('CONFLICT', `session ${id} is already running code`, 'Wait for that run to finish, or use another session.');
    s.busy = true;
    s.lastUsed = this.now();
    const started = Date.now();
    let wound!: () => void;
    const windDown = new Promise<void>((resolve) => (wound = resolve));
    let outcome: RunOutcome;
    try {
      const process = s.process;
      const cancel = () => {
        s.stopping = windDown;
        process.cancel(MAIN_SLOT);
      };
      outcome = await withCancel(signal, cancel, () => process.run(MAIN_SLOT, code, limits));
      if (outcome.reset)
        await this.restart(
          s,
          outcome.status === 'cancelled'
            ? 'cancelled while its code was running'
            : outcome.status === 'memory'
              ? 'memory limit'
              : 'stopped at its time limit while still running',
        );
    } catch (error) {
      if (!(error instanceof SandboxCrashed)) throw error;
      outcome = crashOutcome(error, Date.now() - started);
      if (!error.outOfMemory && Date.now() - started >= limits.wallMs) outcome.status = 'timeout';
      await this.restart(
        s,
        outcome.status === 'memory' ? 'memory limit (process)' : outcome.status === 'timeout' ? 'time limit (process)' : 'sandbox crash',
      );
    } finally {
      s.busy = false;
      s.stopping = undefined;
      s.runs += 1;
      s.lastUsed = this.now();
      wound();
    }
    return { outcome, session: this.info(s) };
  }

  private sharedProcess(): SandboxProcess {
    // A crashed process starts again on its next request.
    this.shared ??= this.newProcess();
    return this.shared;
  }

  /** A fresh isolate in the shared process, disposed afterwards. */
  private async withFreshSlot<T extends { reset: boolean }>(
    session: string | undefined,
    memoryMb: number,
    work: (process: SandboxProcess, slot: string) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.closed) throw new HearthError('UNAVAILABLE', 'the code server is shutting down', 'Try again after it restarts.');
    const id = session ?? SCRATCH;
    if (session !== undefined) this.session(session);
    const process = this.sharedProcess();
    const slot = `t${++this.seq}`;
    await process.createSlot(slot, { workspace: join(this.workspacesRoot, id), memoryMb, workspaceLimits: this.workspaceLimits });
    try {
      const result = await withCancel(
        signal,
        () => process.cancel(slot),
        () => work(process, slot),
      );
      // After a cancel, a reset is the cancel stopping the code: the isolate is disposed and its
      // thread free. Any other reset is a memory death, which retires the process.
      if (result.reset && !signal?.aborted) this.retireShared(process);
      return result;
    } finally {
      if (process.alive && !process.retiring) await process.disposeSlot(slot).catch(() => undefined);
    }
  }

  /**
   * After a memory death the shared process is replaced for new work, but it ends only once the
   * other one-shot runs and tests in it have finished: one caller's runaway code never takes
   * another caller's run down with it.
   */
  private retireShared(process: SandboxProcess): void {
    if (this.shared === process) this.shared = undefined;
    process.retire();
  }

  async runOnce(code: string, limits: RunLimits, memoryMb: number, signal?: AbortSignal): Promise<RunOutcome> {
    const started = Date.now();
    try {
      return await this.withFreshSlot(undefined, memoryMb, (p, slot) => p.run(slot, code, limits), signal);
    } catch (error) {
      if (!(error instanceof SandboxCrashed)) throw error;
      const outcome = crashOutcome(error, Date.now() - started);
      if (!error.outOfMemory && Date.now() - started >= limits.wallMs) outcome.status = 'timeout';
      return outcome;
    }
  }

  async test(
    session: string | undefined,
    source: string,
    kind: 'script' | 'module',
    tests: TestCase[],
    limits: TestLimits,
    signal?: AbortSignal,
  ): Promise<TestOutcome> {
    const memoryMb = session ? this.session(session).memoryMb : this.options.settings.memoryMb;
    if (session) this.session(session).lastUsed = this.now();
    const started = Date.now();
    try {
      return await this.withFreshSlot(session, memoryMb, (p, slot) => p.test(slot, source, kind, tests, limits), signal);
    } catch (error) {
      if (!(error instanceof SandboxCrashed)) throw error;
      return {
        load: { status: error.outOfMemory ? 'memory' : 'crashed', kind, error: { name: 'SandboxCrashed', message: error.message } },
        tests: tests.map((t) => ({ name: t.name, status: 'skipped', message: 'not run: the sandbox process ended', durationMs: 0 })),
        stdout: '',
        stderr: '',
        stdoutTruncated: false,
        stderrTruncated: false,
        wallMs: Date.now() - started,
        cpuMs: 0,
        files: { created: [], modified: [], deleted: [] },
        reset: true,
      };
    }
  }

  /** Closes sessions idle past the limit; their files stay. */
  async sweep(): Promise<string[]> {
    const idleMs = this.options.settings.idleMinutes * 60_000;
    const now = this.now();
    const gone: string[] = [];
    for (const s of [...this.sessions.values()]) {
      if (s.busy || now - s.lastUsed < idleMs) continue;
      this.sessions.delete(s.id);
      gone.push(s.id);
      this.expired.set(s.id, `it was closed after ${this.options.settings.idleMinutes} minutes without use`);
      if (this.expired.size > EXPIRED_REMEMBERED) this.expired.delete(this.expired.keys().next().value!);
      await s.process.close();
    }
    return gone;
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all([...all.map((s) => s.process.close()), this.shared?.close()]);
  }
}
