// The run engine: drives a run through its steps as a durable job. Every step passes four journal
// boundaries — started, called (with its idempotency key), returned, finished — and the journal is
// what a restarted process trusts: finished steps are never called again; a step left "called" is
// called again with the same key only when its server deduplicates by key, otherwise the run pauses
// because the step may have run. Failures after retries compensate completed steps in reverse.
import { callHash } from '../../policies/approvals.js';
import type { GrantSigner } from '../../policies/grants.js';
import { backoffDelay, sleep } from './backoff.js';
import type { CallOutcome, StepError } from './call-result.js';
import type { ToolCatalog, ToolInfo } from './catalog.js';
import type { ConditionContext, Conditions } from './conditions.js';
import type { KillPoint } from './kill-point.js';
import type { Plan, Step } from './plan-schema.js';
import { type Known, MissingOutput, pick, resolveArgs } from './refs.js';
import { RunJournal } from './run-journal.js';
import { templateHash } from './simulate.js';
import { FINAL_STATES, type PlanStore, type RunRow, type RunState, type StepEvent, type StepRow } from './store.js';
import { validatePlan, type ValidPlan } from './validate.js';

export interface RunEvent {
  run: string;
  step?: string;
  event: string;
  state?: RunState;
  done: number;
  total: number;
}

export interface CallRequest {
  tool: ToolInfo;
  args: unknown;
  meta: Record<string, unknown>;
  signal: AbortSignal;
  timeoutMs?: number | undefined;
}

export interface RunnerParts {
  store: PlanStore;
  conditions: Conditions;
  /** The tools the plan names, from their servers' kept lists where those servers are not running. */
  catalog: (plan: Plan) => Promise<ToolCatalog>;
  /** The stamp of the tool list a server gives now, starting it if needed. */
  liveStamp: (server: string) => Promise<string>;
  call: (request: CallRequest) => Promise<CallOutcome>;
  grants: GrantSigner;
  kill: KillPoint;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  concurrentRuns: number;
  maxOutputChars: number;
}

type Forward = { kind: 'completed' } | { kind: 'failed'; reason: string } | { kind: 'paused'; reason: string } | { kind: 'cancelled' };

const GRANT_TTL_MS = 3_600_000;
/** Times a call lost on the way (not a tool error) is repeated under its idempotency key before the step fails. */
const TRANSPORT_RETRIES = 5;
const CLOSE_WAIT_MS = 10_000;
/** How often a driven run looks for an abort asked by another process (`hearth plan cancel` runs its own plan server). */
const ABORT_WATCH_MS = 250;

export class Runner {
  private readonly pid = process.pid;
  private readonly active = new Map<string, Promise<void>>();
  private readonly queue: string[] = [];
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly stop = new AbortController();
  /** Per driven run: aborted by a cancel, it stops the call in flight (the server is told to abort it). */
  private readonly cancels = new Map<string, AbortController>();
  /** Plans checked by the caller that submitted their run a moment ago: its first drive need not check them again. */
  private readonly checked = new Map<string, ValidPlan>();
  /** Per driven run: its progress as last counted, kept current by the step events. */
  private readonly progress = new Map<string, { done: number; total: number }>();

  constructor(private readonly parts: RunnerParts) {}

  /** Listens to every run's events (state changes and step boundaries); returns the unsubscribe. */
  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Drives the run when a slot is free. `checked` is its plan as just validated against the same
   * catalog (a new run); without it, the first drive validates the stored plan again.
   */
  submit(runId: string, checked?: ValidPlan): void {
    if (this.stop.signal.aborted || this.active.has(runId) || this.queue.includes(runId)) return;
    if (checked) this.checked.set(runId, checked);
    this.queue.push(runId);
    this.pump();
  }

  /** On start: every run a previous process left unfinished (and not waiting for a person). */
  resumeAll(): string[] {
    if (this.stop.signal.aborted) return [];
    const ids = this.parts.store.resumable();
    for (const id of ids) this.submit(id);
    return ids;
  }

  /** Resolves once the run is completed, failed, cancelled or paused, or after `ms`. */
  async wait(runId: string, ms: number): Promise<RunRow> {
    const settled = (state: RunState) => FINAL_STATES.includes(state) || (state === 'paused' && !this.active.has(runId));
    const now = this.parts.store.run(runId);
    if (settled(now.state) || ms <= 0) return now;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      const off = this.subscribe((e) => {
        if (e.run === runId && e.state && (FINAL_STATES.includes(e.state) || e.state === 'paused')) finish();
      });
      // The state alone: reading the run row parses its whole plan.
      const poll = setInterval(() => settled(this.parts.store.runState(runId)) && finish(), 250);
      function finish() {
        clearTimeout(timer);
        clearInterval(poll);
        off();
        resolve();
      }
    });
    return this.parts.store.run(runId);
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Stops the call the run has in flight, if any; the run then undoes its completed steps (the cancel is in the store). */
  abortCall(runId: string): void {
    this.cancels.get(runId)?.abort();
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.queue.length = 0;
    this.checked.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.active.values()), new Promise((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
  }

  private pump(): void {
    while (this.active.size < this.parts.concurrentRuns && this.queue.length) {
      const id = this.queue.shift()!;
      const running = this.drive(id)
        .catch((error: unknown) => {
          this.parts.log.error({ err: String(error), run: id }, 'run driver failed');
          // Never leave a run silently "running": a person sees why it stopped.
          try {
            this.setState(
              id,
              'paused',
              `the plan server hit an internal error (${String(error).slice(0, 200)}); see its log, then call plan_resume`,
            );
          } catch {
            // The database itself is gone (closing); the next start resumes the run.
          }
        })
        .finally(() => {
          this.active.delete(id);
          this.pump();
        });
      this.active.set(id, running);
    }
  }

  private emit(event: Omit<RunEvent, 'done' | 'total'>): void {
    if (this.listeners.size === 0) {
      this.progress.delete(event.run); // nobody kept count meanwhile
      return;
    }
    // Counting a run's steps in SQL per event is quadratic in a long run: a step that finishes or is
    // skipped moves the count by one, a call moves nothing, anything else counts again.
    let progress = this.progress.get(event.run);
    if (!progress || event.state || !['called', 'finished', 'skipped'].includes(event.event)) {
      progress = this.parts.store.progress(event.run);
      this.progress.set(event.run, progress);
    } else if (event.event !== 'called') progress.done++;
    for (const listener of this.listeners) listener({ ...event, ...progress });
  }

  private setState(runId: string, state: RunState, reason: string | null = null): void {
    this.parts.store.setRunState(runId, state, reason);
    this.emit({ run: runId, event: state, state });
  }

  private async drive(runId: string): Promise<void> {
    const { store } = this.parts;
    const checked = this.checked.get(runId);
    this.checked.delete(runId);
    if (!store.claim(runId, this.pid, alive)) return;
    const cancel = new AbortController();
    this.cancels.set(runId, cancel);
    const watch = setInterval(() => {
      try {
        if (store.cancelMode(runId) === 'abort') cancel.abort();
      } catch {
        // Closing: the database is gone, and the run stops with the process.
      }
    }, ABORT_WATCH_MS).unref();
    try {
      const run = store.run(runId);
      if (FINAL_STATES.includes(run.state) || run.state === 'paused') return;
      // Each step confirms its tool against the server's live list before it is called (confirmTool).
      const validation = checked
        ? { ok: true as const, valid: checked }
        : validatePlan(run.plan, await this.parts.catalog(run.plan), this.parts.conditions);
      if (!validation.ok) {
        const first = validation.issues[0]!;
        this.setState(runId, 'failed', `the plan no longer validates: ${first.field}: ${first.problem}`);
        return;
      }
      const valid = validation.valid;
      if (run.state === 'compensating')
        return await this.compensate(run, valid, run.cancelRequested ? 'cancelled' : 'failed', run.reason ?? '');
      if (run.cancelRequested) return await this.compensate(run, valid, 'cancelled', 'cancelled by request');
      this.setState(runId, 'running');
      const outcome = await this.forward(run, valid);
      if (this.stop.signal.aborted && outcome.kind !== 'completed') return; // closing: the next process picks it up
      switch (outcome.kind) {
        case 'completed':
          store.setOutputs(runId, this.outputs(run, valid));
          this.setState(runId, 'completed');
          return;
        case 'paused':
          this.setState(runId, 'paused', outcome.reason);
          return;
        case 'failed':
          return await this.compensate(store.run(runId), valid, 'failed', outcome.reason);
        case 'cancelled':
          return await this.compensate(store.run(runId), valid, 'cancelled', 'cancelled by request');
      }
    } finally {
      clearInterval(watch);
      this.cancels.delete(runId);
      this.progress.delete(runId);
      store.release(runId, this.pid);
    }
  }

  private known(runId: string): Map<string, StepRow> {
    return new Map(this.parts.store.steps(runId).map((s) => [s.stepId, s]));
  }

  private context(run: RunRow, rows: Map<string, StepRow>, own?: unknown): ConditionContext {
    const steps: ConditionContext['steps'] = {};
    for (const [id, row] of rows) if (row.state === 'done') steps[id] = { output: row.output, status: row.state };
    return { inputs: run.inputs, steps, ...(own === undefined ? {} : { output: own }) };
  }

  private resolver(run: RunRow, rows: Map<string, StepRow>, placeholders?: ReadonlySet<string>) {
    return {
      input: (name: string) => run.inputs[name],
      output: (id: string): Known => {
        if (placeholders?.has(id)) return { known: false, from: id };
        const row = rows.get(id);
        return row?.state === 'done' ? { known: true, value: row.output } : { known: false, from: id };
      },
    };
  }

  private async forward(run: RunRow, valid: ValidPlan): Promise<Forward> {
    const { store } = this.parts;
    // Read once, then kept current step by step: a long plan must not re-read every step per step.
    const rows = this.known(run.id);
    const journal = new RunJournal(store, run.id);
    try {
      return await this.forwardSteps(run, valid, rows, journal);
    } finally {
      journal.flush(); // what comes next (a state change, outputs, the undo) reads the journal
    }
  }

  private async forwardSteps(run: RunRow, valid: ValidPlan, rows: Map<string, StepRow>, journal: RunJournal): Promise<Forward> {
    const { store } = this.parts;
    const cancel = this.cancels.get(run.id)?.signal;
    const signal = cancel ? AbortSignal.any([this.stop.signal, cancel]) : this.stop.signal;
    for (const step of valid.order) {
      if (this.stop.signal.aborted) return { kind: 'paused', reason: 'the plan server stopped' };
      const row = rows.get(step.id)!;
      if (row.state === 'done' || row.state === 'skipped') continue;
      // Asked to stop: no further step starts. A step that starts reads the request in the transaction
      // recording its start (RunJournal.start); every other way forward asks here or in runStep first.
      const skippedDep = (valid.deps.get(step.id) ?? []).find((d) => rows.get(d)?.state === 'skipped');
      if ((row.state === 'failed' || row.state === 'unknown' || skippedDep) && store.cancelRequested(run.id)) return { kind: 'cancelled' };
      if (row.state === 'failed') return { kind: 'failed', reason: `step ${step.id} failed: ${row.error?.message ?? 'unknown error'}` };
      if (row.state === 'unknown') return { kind: 'paused', reason: unknownReason(step, row) };
      if (skippedDep) {
        journal.step(step.id, 'skipped', { state: 'skipped', finished: true }, { because: `step ${skippedDep} was skipped` });
        rows.set(step.id, store.step(run.id, step.id));
        this.emit({ run: run.id, step: step.id, event: 'skipped' });
        continue;
      }
      const result = await this.runStep(run, valid, step, row, rows, journal, cancel, signal);
      if (result === undefined || !('kind' in result)) rows.set(step.id, result ?? store.step(run.id, step.id));
      else {
        journal.flush();
        rows.set(step.id, store.step(run.id, step.id));
        return result;
      }
    }
    return { kind: 'completed' };
  }

  /**
   * One step through its boundaries and attempts. Done with its finish held in the journal, the
   * step's row as it will be; done or skipped otherwise, undefined; stopped, why.
   */
  private async runStep(
    run: RunRow,
    valid: ValidPlan,
    step: Step,
    row: StepRow,
    rows: Map<string, StepRow>,
    journal: RunJournal,
    cancel: AbortSignal | undefined,
    signal: AbortSignal,
  ): Promise<Forward | StepRow | undefined> {
    const { conditions } = this.parts;
    const fail = (error: StepError): Forward => {
      journal.step(step.id, 'failed', { state: 'failed', error, finished: true });
      this.emit({ run: run.id, step: step.id, event: 'failed' });
      return { kind: 'failed', reason: `step ${step.id} failed: ${error.message}` };
    };
    const cancelled = (): Forward | undefined => (this.parts.store.cancelRequested(run.id) ? { kind: 'cancelled' } : undefined);
    const current = await this.confirmTool(run, valid, step.tool, journal);
    if (typeof current === 'string')
      return cancelled() ?? fail({ code: 'CONFLICT', message: current, hint: 'Fix the plan for the tools as they are now.' });
    const tool = current;
    if (step.when !== undefined && row.state === 'pending') {
      const truth = conditions.evaluate(conditions.compile(step.when), this.context(run, rows));
      if (truth.value !== true) {
        const stop = cancelled();
        if (stop) return stop;
        if (truth.value === 'unknown')
          return fail({ code: 'CONDITION_FAILED', message: `when ${step.when}: cannot be decided (${truth.why})` });
        journal.step(step.id, 'skipped', { state: 'skipped', finished: true }, { when: step.when });
        this.emit({ run: run.id, step: step.id, event: 'skipped' });
        return undefined;
      }
    }
    let args: unknown;
    try {
      args = resolveArgs(step.args, this.resolver(run, rows));
    } catch (error) {
      if (error instanceof MissingOutput)
        return cancelled() ?? fail({ code: 'INVALID_ARGUMENT', message: error.message, hint: 'Fix the $ref in the plan.' });
      throw error;
    }
    if (step.pre !== undefined && row.state === 'pending') {
      const truth = conditions.evaluate(conditions.compile(step.pre), this.context(run, rows));
      if (truth.value !== true)
        return (
          cancelled() ??
          fail({
            code: 'PRECONDITION_FAILED',
            message: `pre ${step.pre} is ${truth.value === false ? 'false' : `undecidable (${truth.why})`}`,
          })
        );
    }
    const key = step.idempotencyKey === false ? undefined : (step.idempotencyKey ?? `{run}:${step.id}`).replaceAll('{run}', run.id);
    const repeatable = tool.effect === 'read' || (tool.dedupes && key !== undefined);
    let resumedMidCall = row.state === 'calling';
    if (resumedMidCall) {
      const stop = cancelled();
      if (stop) return stop;
    }
    if (resumedMidCall && !repeatable) {
      journal.step(step.id, 'outcome-unknown', { state: 'unknown' });
      this.emit({ run: run.id, step: step.id, event: 'outcome-unknown' });
      return { kind: 'paused', reason: unknownReason(step, row) };
    }
    const retry = step.retry ?? { attempts: 1, backoffMs: 0, maxBackoffMs: 0, jitter: 0, retryOn: [] };
    let attempts = row.attempts;
    let lostCalls = 0;
    for (;;) {
      if (!resumedMidCall) {
        const started: StepEvent = {
          stepId: step.id,
          event: 'started',
          change: { state: 'started', attempt: true },
          detail: { attempt: attempts + 1 },
        };
        const called: StepEvent = {
          stepId: step.id,
          event: 'called',
          change: { state: 'calling', key: key ?? null },
          detail: { key: key ?? null },
        };
        attempts++;
        if (repeatable) {
          // Called again under its key after a kill, "started" and "calling" resume alike: one transaction.
          if (!journal.start([started, called])) return { kind: 'cancelled' };
          this.parts.kill(step.id, 'started');
        } else {
          // Not safe to call twice: "started" (never sent) must be durable apart from "calling" (may have run).
          if (!journal.start([started])) return { kind: 'cancelled' };
          this.parts.kill(step.id, 'started');
          journal.write([called]);
        }
        this.emit({ run: run.id, step: step.id, event: 'called' });
        this.parts.kill(step.id, 'called');
      } else {
        journal.step(
          step.id,
          'recalled',
          {},
          {
            key: key ?? null,
            why: 'resumed after a stop mid-call; the server deduplicates by key',
          },
        );
        // The step's start and call are on record from before: a kill point there fires here too.
        this.parts.kill(step.id, 'started');
        this.parts.kill(step.id, 'called');
      }
      resumedMidCall = false;
      const meta: Record<string, unknown> = { 'hearth/correlationId': `${run.id}.${step.id}` };
      if (run.mode) meta['hearth/mode'] = run.mode;
      if (key !== undefined && tool.effect !== 'read') meta['hearth/idempotencyKey'] = key;
      const grant = this.grantFor(run, step, tool, args, key, rows);
      if (grant) meta['hearth/grant'] = grant;
      const outcome = await this.parts.call({ tool, args, meta, signal, timeoutMs: step.timeoutMs });
      this.parts.kill(step.id, 'returned');
      if (outcome.ok) {
        if (step.post !== undefined) {
          const truth = conditions.evaluate(conditions.compile(step.post), this.context(run, rows, outcome.output));
          if (truth.value !== true)
            return fail({
              code: 'POSTCONDITION_FAILED',
              message: `post ${step.post} is ${truth.value === false ? 'false' : 'undecidable'} after the call`,
            });
        }
        const output = this.bounded(outcome.output);
        const finished: StepEvent = {
          stepId: step.id,
          event: 'finished',
          change: { state: 'done', output, error: null, finished: true },
          detail: outcome.replayed ? { replayed: true } : undefined,
        };
        const after = () => {
          this.emit({ run: run.id, step: step.id, event: 'finished' });
          this.parts.kill(step.id, 'finished');
        };
        if (!repeatable) {
          journal.write([finished]);
          after();
          return undefined;
        }
        journal.hold(finished, after);
        const at = new Date().toISOString();
        return { ...row, state: 'done', attempts, key: key ?? null, startedAt: row.startedAt ?? at, finishedAt: at, output, error: null };
      }
      const { error } = outcome;
      if (this.stop.signal.aborted) return { kind: 'paused', reason: 'the plan server stopped' };
      if (cancel?.aborted) {
        // It never finished, so it has nothing to undo; what it did before it stopped is in the step's error.
        journal.step(step.id, 'aborted', {
          state: 'failed',
          error: {
            code: 'CANCELLED',
            message: `stopped mid-call by plan_cancel; ${tool.server} was told to abort ${tool.remoteName} (${error.message})`,
          },
          finished: true,
        });
        this.emit({ run: run.id, step: step.id, event: 'aborted' });
        return { kind: 'cancelled' };
      }
      if (error.code === 'APPROVAL_REQUIRED') {
        journal.step(step.id, 'waiting', { state: 'waiting', error });
        this.emit({ run: run.id, step: step.id, event: 'waiting' });
        const why =
          step.approval === 'step' ? 'asks for its own approval' : 'has arguments that differ from the approved preview, so it asks again';
        return {
          kind: 'paused',
          reason: `step ${step.id} ${why}: ${error.approvalId ? `approve ${error.approvalId} with \`hearth approvals approve ${error.approvalId}\`, then ` : ''}call plan_resume`,
        };
      }
      if (error.outcomeUnknown) {
        journal.step(step.id, 'outcome-unknown', { state: 'unknown', error });
        return { kind: 'paused', reason: unknownReason(step, row) };
      }
      if (error.transport) {
        // The call was lost on the way: it may have run. Repeat it only where the key makes that safe.
        if (!repeatable) {
          journal.step(step.id, 'outcome-unknown', { state: 'unknown', error });
          return { kind: 'paused', reason: unknownReason(step, row) };
        }
        if (++lostCalls <= TRANSPORT_RETRIES) {
          journal.step(step.id, 'call-lost', {}, { error, retryInMs: 250 * 2 ** lostCalls });
          await sleep(250 * 2 ** lostCalls, this.stop.signal);
          if (this.stop.signal.aborted) return { kind: 'paused', reason: 'the plan server stopped' };
          resumedMidCall = true;
          continue;
        }
      }
      if (attempts < retry.attempts && retry.retryOn.includes(error.code)) {
        const delay = backoffDelay(attempts, retry);
        journal.step(step.id, 'attempt-failed', { state: 'pending', error }, { attempt: attempts, retryInMs: delay });
        this.emit({ run: run.id, step: step.id, event: 'retrying' });
        await sleep(delay, signal);
        // Asked to stop after this step: a failed attempt is where it stops; it has nothing to undo.
        if (cancel?.aborted || this.parts.store.cancelRequested(run.id)) return { kind: 'cancelled' };
        continue;
      }
      return fail(error);
    }
  }

  /**
   * The tool as its server lists it now. The plan was checked against a kept tool list when the server
   * was not running; once it runs and its list differs, the plan is checked again against the live
   * lists: still valid, the run carries on with the new descriptions; not, the answer says why.
   */
  private async confirmTool(run: RunRow, valid: ValidPlan, name: string, journal?: RunJournal): Promise<ToolInfo | string> {
    const tool = valid.tools.get(name)!;
    let live: string;
    try {
      live = await this.parts.liveStamp(tool.server);
    } catch {
      return tool; // unreachable: the call itself reports it, through the usual retries
    }
    if (live === tool.stamp) return tool;
    journal?.flush(); // checking again may start servers: what is done is recorded first
    const again = validatePlan(run.plan, await this.parts.catalog(run.plan), this.parts.conditions);
    if (!again.ok) {
      const first = again.issues[0]!;
      return `the ${tool.server} server's tools changed since the plan was checked, and it no longer validates: ${first.step ? `step ${first.step}, ` : ''}${first.field}: ${first.problem}`;
    }
    for (const [n, info] of again.valid.tools) valid.tools.set(n, info);
    this.parts.store.journal(run.id, null, 'tools-changed', { server: tool.server });
    return valid.tools.get(name)!;
  }

  /** A signed grant for exactly this call, when the person approved the plan and the call is what they saw. */
  private grantFor(
    run: RunRow,
    step: Step,
    tool: ToolInfo,
    args: unknown,
    key: string | undefined,
    rows: Map<string, StepRow>,
  ): string | undefined {
    const approval = run.approval;
    if (!approval || tool.effect === 'read' || step.approval === 'step' || key === undefined || approval.expiresAt <= Date.now())
      return undefined;
    const previewed = approval.templates[step.id];
    const now = resolveArgs(step.args, this.resolver(run, rows, new Set(approval.placeholders)));
    if (previewed === undefined || templateHash(now) !== previewed) return undefined;
    return this.sign(run, tool, args, key);
  }

  private sign(run: RunRow, tool: ToolInfo, args: unknown, key: string): string | undefined {
    const approval = run.approval;
    if (!approval || !tool.dedupes) return undefined;
    return this.parts.grants.sign({
      server: tool.server,
      tool: tool.remoteName,
      argsHash: callHash(tool.server, tool.remoteName, args ?? {}),
      run: run.id,
      key,
      approval: approval.label,
      expiresAt: Math.min(approval.expiresAt, Date.now() + GRANT_TTL_MS),
    });
  }

  /** Undoes the completed steps in reverse, journaled like any step; a failed undo pauses the run. */
  private async compensate(run: RunRow, valid: ValidPlan, end: 'failed' | 'cancelled', reason: string): Promise<void> {
    const { store } = this.parts;
    this.setState(run.id, 'compensating', reason);
    for (const step of [...valid.order].reverse()) {
      if (!step.compensate) continue;
      const rows = this.known(run.id);
      const row = rows.get(step.id)!;
      if (row.state !== 'done' && row.state !== 'compensating') continue;
      if (row.undoState === 'done') continue;
      const current = await this.confirmTool(run, valid, step.compensate.tool);
      if (typeof current === 'string') {
        store.stepEvent(run.id, step.id, 'undo-failed', { undo: 'failed' }, { error: current });
        this.setState(run.id, 'paused', `the undo of step ${step.id} cannot run: ${current}; undo it by hand, then call plan_resume`);
        return;
      }
      const tool = current;
      const key = `${row.key ?? `${run.id}:${step.id}`}:undo`;
      if (row.undoState === 'calling' && !(tool.effect === 'read' || tool.dedupes)) {
        this.setState(
          run.id,
          'paused',
          `the undo of step ${step.id} (${tool.name}) may have run: the plan server stopped mid-call; check, then call plan_resume`,
        );
        return;
      }
      let args: unknown;
      try {
        args = resolveArgs(step.compensate.args, this.resolver(run, rows));
      } catch (error) {
        store.stepEvent(run.id, step.id, 'undo-failed', { undo: 'failed' }, { error: String(error) });
        this.setState(
          run.id,
          'paused',
          `the undo of step ${step.id} cannot be built: ${String(error)}; fix it by hand, then call plan_resume`,
        );
        return;
      }
      store.stepEvent(run.id, step.id, 'undo-started', { state: 'compensating', undo: 'started' });
      store.stepEvent(run.id, step.id, 'undo-called', { undo: 'calling' }, { key });
      const meta: Record<string, unknown> = { 'hearth/correlationId': `${run.id}.${step.id}.undo`, 'hearth/idempotencyKey': key };
      if (run.mode) meta['hearth/mode'] = run.mode;
      const grant = this.sign(run, tool, args, key);
      if (grant) meta['hearth/grant'] = grant;
      const outcome = await this.parts.call({ tool, args, meta, signal: this.stop.signal, timeoutMs: step.timeoutMs });
      if (this.stop.signal.aborted && !outcome.ok) return;
      if (!outcome.ok) {
        store.stepEvent(run.id, step.id, 'undo-failed', { undo: 'failed' }, { error: outcome.error });
        this.setState(
          run.id,
          'paused',
          `the undo of step ${step.id} failed: ${outcome.error.code}: ${outcome.error.message}. Undo it by hand or fix the cause, then call plan_resume`,
        );
        return;
      }
      store.stepEvent(run.id, step.id, 'compensated', { state: 'compensated', undo: 'done' });
      this.emit({ run: run.id, step: step.id, event: 'compensated' });
    }
    this.setState(run.id, end, reason);
  }

  private outputs(run: RunRow, valid: ValidPlan): Record<string, unknown> {
    const rows = this.known(run.id);
    const result: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries(valid.plan.outputs)) {
      const m = /^steps\.([^.]+)\.output((?:\.[^.]+)*)$/.exec(ref.$ref);
      const row = m ? rows.get(m[1]!) : undefined;
      const found = row?.state === 'done' ? pick(row.output, m![2] ? m![2].slice(1).split('.') : []) : { found: false as const };
      result[name] = found.found ? found.value : null;
    }
    return result;
  }

  private bounded(output: unknown): unknown {
    const text = JSON.stringify(output ?? null);
    if (text.length <= this.parts.maxOutputChars) return output ?? null;
    return {
      truncated: true,
      note: `the output was ${text.length} characters; the journal keeps ${this.parts.maxOutputChars}`,
      head: text.slice(0, this.parts.maxOutputChars),
    };
  }
}

function unknownReason(step: Step, row: StepRow): string {
  return `step ${step.id} may have run: ${step.tool} was called${row.key ? '' : ' without an idempotency key'} and the plan server stopped before its result was recorded, so repeating it could do it twice. Check whether it happened, then call plan_resume with stepOutcome ran, not-run or fail`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
