// The plan server's domain object: reads a plan (or a playbook), checks it against the tools that
// exist, simulates it, starts and steers runs. No MCP server plumbing here; the tools are thin.
import { HearthError, invalidArgument } from '../../lib/errors.js';
import { callHash } from '../../policies/approvals.js';
import type { GrantSigner } from '../../policies/grants.js';
import { type CallOutcome, readResult } from './call-result.js';
import type { ToolInfo } from './catalog.js';
import { Conditions } from './conditions.js';
import type { KillPoint } from './kill-point.js';
import { Plan } from './plan-schema.js';
import { type CallRequest, Runner } from './runner.js';
import type { PlanSettings } from './settings.js';
import type { Siblings } from './siblings.js';
import { simulate, type Simulation } from './simulate.js';
import type { CancelMode, PlanStore, RunApproval, RunRow } from './store.js';
import { type PlanIssue, toolsOf, validatePlan, type ValidPlan } from './validate.js';

export interface PlanSource {
  plan?: Record<string, unknown> | undefined;
  playbook?: string | undefined;
  version?: number | undefined;
}

export type Checked = { ok: true; valid: ValidPlan; playbook?: string | undefined } | { ok: false; issues: PlanIssue[] };

export interface PlannerParts {
  settings: PlanSettings;
  store: PlanStore;
  siblings: Siblings;
  grants: GrantSigner;
  kill: KillPoint;
  log: ConstructorParameters<typeof Runner>[0]['log'];
}

export class Planner {
  readonly store: PlanStore;
  readonly conditions = new Conditions();
  readonly runner: Runner;

  constructor(private readonly parts: PlannerParts) {
    this.store = parts.store;
    this.runner = new Runner({
      store: this.store,
      conditions: this.conditions,
      catalog: (plan) => parts.siblings.catalogFor(toolsOf(plan)),
      liveStamp: (server) => parts.siblings.liveStamp(server),
      call: (request) => this.call(request),
      grants: parts.grants,
      kill: parts.kill,
      log: parts.log,
      concurrentRuns: parts.settings.concurrentRuns,
      maxOutputChars: parts.settings.maxOutputChars,
    });
  }

  async close(): Promise<void> {
    await this.runner.close();
    await this.parts.siblings.close();
    this.store.close();
  }

  /** Parses and validates a plan given inline or by playbook name; problems come back as issues, not thrown. */
  async check(source: PlanSource): Promise<Checked> {
    const raw = this.rawPlan(source);
    const parsed = Plan.safeParse(raw.plan);
    if (!parsed.success) return { ok: false, issues: schemaIssues(raw.plan, parsed.error.issues) };
    const result = validatePlan(parsed.data, await this.parts.siblings.catalogFor(toolsOf(parsed.data)), this.conditions);
    return result.ok ? { ok: true, valid: result.valid, ...(raw.playbook ? { playbook: raw.playbook } : {}) } : result;
  }

  /** Like check, but a plan with problems is an INVALID_ARGUMENT error listing them. */
  async require(source: PlanSource): Promise<{ valid: ValidPlan; playbook?: string | undefined }> {
    const checked = await this.check(source);
    if (checked.ok) return checked;
    const first = checked.issues[0]!;
    throw new HearthError(
      'INVALID_ARGUMENT',
      `the plan has ${checked.issues.length} problem(s); ${first.step ? `step ${first.step}, ` : ''}${first.field}: ${first.problem}`,
      `${first.fix} Call plan_validate to see every problem.`,
      { details: { field: first.field, issues: checked.issues } },
    );
  }

  /** The inputs of a run: what was given, defaults for the rest, each checked against its declared type. */
  inputs(plan: Plan, given: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const name of Object.keys(given))
      if (!Object.hasOwn(plan.inputs, name))
        throw invalidArgument(
          `inputs.${name}`,
          'the plan declares no such input',
          `The plan takes: ${Object.keys(plan.inputs).join(', ') || 'no inputs'}.`,
        );
    for (const [name, decl] of Object.entries(plan.inputs)) {
      const value = Object.hasOwn(given, name) ? given[name] : decl.default;
      if (value === undefined)
        throw invalidArgument(`inputs.${name}`, 'missing', `Give it${decl.description ? `: ${decl.description}` : ''} (${decl.type}).`);
      if (!hasType(value, decl.type))
        throw invalidArgument(
          `inputs.${name}`,
          `must be ${decl.type === 'integer' ? 'an integer' : `a ${decl.type}`}`,
          `Give a ${decl.type}.`,
        );
      result[name] = value;
    }
    return result;
  }

  simulate(
    valid: ValidPlan,
    inputs: Record<string, unknown>,
    options: {
      mode?: string | undefined;
      signal?: AbortSignal;
      progress?: (done: number, total: number, message: string) => Promise<void>;
    } = {},
  ): Promise<Simulation> {
    return simulate(valid, inputs, {
      conditions: this.conditions,
      call: (tool, args, dryRun, signal) =>
        this.call({
          tool,
          args,
          meta: { ...(dryRun ? { 'hearth/dryRun': true } : {}), ...(options.mode ? { 'hearth/mode': options.mode } : {}) },
          signal: signal ?? new AbortController().signal,
        }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
    });
  }

  /** What an approval of this simulation covers, remembered for the run that follows the approval. */
  rememberPreview(runArgs: unknown, sim: Simulation): void {
    const approval: RunApproval = {
      label: `plan-preview-${callHash('plan', 'plan_run', runArgs).slice(0, 12)}`,
      expiresAt: Date.now() + this.parts.settings.approvalTtlSeconds * 1000,
      templates: sim.templates,
      placeholders: sim.placeholders,
    };
    this.store.savePreview(callHash('plan', 'plan_run', runArgs), approval);
  }

  /** The approval a person gave to exactly these plan_run arguments, if it is still fresh. */
  approvedPreview(runArgs: unknown, approvedBy: string): RunApproval | undefined {
    const found = this.store.takePreview(callHash('plan', 'plan_run', runArgs));
    if (!found) return undefined;
    return { ...found, label: `${found.label} (${approvedBy})` };
  }

  start(
    valid: ValidPlan,
    inputs: Record<string, unknown>,
    extra: { mode?: string | undefined; playbook?: string | undefined; approval?: RunApproval | undefined },
  ): string {
    const id = this.store.createRun({ plan: valid.plan, inputs, ...extra });
    this.runner.submit(id, valid);
    return id;
  }

  /** Stops the run (after its step in flight, or aborting it) and undoes its completed steps. */
  cancel(runId: string, mode: CancelMode): RunRow {
    const run = this.store.run(runId);
    if (['completed', 'failed', 'cancelled'].includes(run.state))
      throw new HearthError('CONFLICT', `run ${runId} is already ${run.state}`, 'Nothing to cancel.', { details: { field: 'run' } });
    this.store.requestCancel(runId, mode);
    if (this.runner.isActive(runId)) {
      // after-step: the driver sees the request before it starts another step.
      if (mode === 'abort') this.runner.abortCall(runId);
    } else {
      // Queued or paused: nothing is driving it, so undo now.
      if (run.state === 'paused') this.store.setRunState(runId, 'compensating', 'cancelled by request');
      this.runner.submit(runId);
    }
    return this.store.run(runId);
  }

  resume(runId: string, stepOutcome: 'ran' | 'not-run' | 'fail' | undefined): RunRow {
    const run = this.store.run(runId);
    if (run.state !== 'paused')
      throw new HearthError(
        'CONFLICT',
        `run ${runId} is ${run.state}, not paused`,
        run.state === 'running' || run.state === 'queued'
          ? 'It is already going; follow it with plan_status.'
          : 'Only a paused run can be resumed.',
        { details: { field: 'run' } },
      );
    const steps = this.store.steps(runId);
    const unknown = steps.find((s) => s.state === 'unknown');
    if (unknown) {
      if (!stepOutcome)
        throw invalidArgument(
          'stepOutcome',
          `step ${unknown.stepId} may have run, and Hearth cannot tell`,
          'Check whether it happened, then pass stepOutcome "ran" (keep going), "not-run" (call it again) or "fail" (undo the completed steps).',
        );
      const change =
        stepOutcome === 'ran'
          ? { state: 'done' as const, output: null, finished: true }
          : stepOutcome === 'not-run'
            ? { state: 'pending' as const }
            : { state: 'failed' as const, error: { code: 'OUTCOME_UNKNOWN', message: 'a person chose to fail it' }, finished: true };
      this.store.stepEvent(runId, unknown.stepId, `person-said-${stepOutcome}`, change);
    }
    for (const waiting of steps.filter((s) => s.state === 'waiting'))
      this.store.stepEvent(runId, waiting.stepId, 'asking-again', { state: 'pending' });
    const undoFailed = steps.some((s) => s.undoState === 'failed' || s.undoState === 'calling');
    if (undoFailed || run.cancelRequested) {
      for (const s of steps.filter((x) => x.undoState === 'failed')) this.store.stepEvent(runId, s.stepId, 'undo-again', { undo: null });
      this.store.setRunState(runId, 'compensating', run.reason);
    } else this.store.setRunState(runId, 'running', null);
    this.runner.submit(runId);
    return this.store.run(runId);
  }

  private rawPlan(source: PlanSource): { plan: unknown; playbook?: string } {
    if ((source.plan === undefined) === (source.playbook === undefined))
      throw invalidArgument(
        'plan',
        'give either plan or playbook',
        'Pass the plan itself, or the name of a saved playbook (plan_playbooks lists them).',
      );
    if (source.plan !== undefined) return { plan: source.plan };
    const saved = this.store.playbook(source.playbook!, source.version);
    return { plan: saved.plan, playbook: `${saved.name}@${saved.version}` };
  }

  private async call(request: CallRequest): Promise<CallOutcome> {
    try {
      const result = await this.parts.siblings.call(request.tool.server, request.tool.remoteName, request.args, {
        meta: request.meta,
        signal: request.signal,
        timeoutMs: request.timeoutMs,
      });
      return readResult(result);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      const timedOut = /timed? ?out/i.test(message);
      return {
        ok: false,
        text: message,
        error: {
          code: timedOut ? 'TIMEOUT' : 'UNAVAILABLE',
          message: `${request.tool.name} on ${request.tool.server}: ${message}`,
          transport: true,
        },
      };
    }
  }
}

export type { ToolInfo };

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

/** Schema problems as plan issues: the field path, the step id when the problem is inside a step, the fix. */
function schemaIssues(raw: unknown, issues: readonly { path: PropertyKey[]; message: string }[]): PlanIssue[] {
  const steps = (raw as { steps?: { id?: unknown }[] } | undefined)?.steps;
  return issues.slice(0, 50).map((issue) => {
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    const stepIndex = issue.path[0] === 'steps' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
    const id = stepIndex !== undefined && Array.isArray(steps) ? steps[stepIndex]?.id : undefined;
    return {
      ...(typeof id === 'string' ? { step: id } : {}),
      field: path || 'plan',
      problem: issue.message,
      fix: 'See the plan language in docs/plan.schema.json (or docs/servers/plan.md) for what this field takes.',
    };
  });
}
