// The dispatcher: the one place a tool call goes through. It decides nothing itself; it carries out a
// fixed sequence of steps, each of which either passes the call on or ends it with a result:
//
//   admit     the tool exists (else a protocol error), the policy allows it, the caller is under its rate
//   validate  the arguments' shape (depth and size), then strict arguments, and the private audit copy of them
//   replay    a write/external call whose idempotency key already finished gets that first result
//   decide    the policy's verdict for this effect, mode, dry-run, client, standing approval and plan grant
//             (policies/decide.ts); when it is to ask, the preview, and the verdict again knowing whether the
//             call changes anything
//   gate      preview only | ask the person (elicitation) | the approval queue | straight on
//   execute   claim the idempotency key; for a write or external tool, the audit row saying it started (no row,
//             no run); the handler, with progress and cancellation; its output checked against its schema
//   finish    redact the result; the audit row; the log line
//
// A write or external handler runs only after an audit row saying it started was written, and the
// finishing row records how it ended: an action without its row cannot happen. Every failure on the
// way becomes a tool error with a stable code; nothing escapes as a crash.
import { randomBytes } from 'node:crypto';

import {
  type CallToolResult,
  inputRequired,
  type InputRequiredResult,
  inputResponse,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
  type Tool as McpTool,
} from '@modelcontextprotocol/server';
import * as z from 'zod';

import { argumentProblem } from '../lib/argument-limits.js';
import { changesSomething } from '../lib/effect.js';
import { describeError, HearthError } from '../lib/errors.js';
import { changesNothing, type DryRunResult, type Preview, renderPreview } from '../lib/preview.js';
import { callHash } from '../policies/approvals.js';
import type { AuditDecision, AuditEntry } from '../policies/audit.js';
import { decide } from '../policies/decide.js';
import { Mode } from '../policies/modes.js';
import { ClientLogLevels } from './client-log-levels.js';
import { IDEMPOTENCY_KEY } from './idempotency.js';
import type { Kernel } from './kernel.js';
import { truncate } from './output.js';
import type { ClientIdentity, Tool, ToolContext } from './tool.js';
import { toolContext } from './tool-context.js';
import { describeTool } from './tool-listing.js';
import { errorResult, successResult, toHearthError } from './tool-result.js';
import { argumentShapeError, fieldPath, validationError } from './validation.js';

/** `_meta` keys Hearth reads on tools/call. */
const META = {
  dryRun: 'hearth/dryRun',
  mode: 'hearth/mode',
  approvalId: 'hearth/approvalId',
  correlationId: 'hearth/correlationId',
  idempotencyKey: 'hearth/idempotencyKey',
  grant: 'hearth/grant',
  /** Set on a result that is the remembered first result of an idempotency key. */
  replayed: 'hearth/replayed',
} as const;

/** How long a repeat waits for the first call with its idempotency key, still running elsewhere, to finish. */
const KEY_WAIT_MS = 60_000;
/** How long closing waits for calls in flight to finish, so their results (and keys) are recorded. */
const DRAIN_MS = 15_000;

const ELICIT_PREVIEW_CHARS = 4_000;
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,80}$/;

const ApprovalAnswer = z.object({
  approve: z.boolean().meta({ title: 'Approve', description: 'Yes runs the call once; no cancels it.' }),
});

type Result = CallToolResult | InputRequiredResult;
type Log = ToolContext['log'];

/** One call on its way through the steps. */
interface Call {
  readonly name: string;
  readonly correlationId: string;
  readonly client: ClientIdentity;
  readonly started: number;
  readonly log: Log;
  readonly meta: Record<string, unknown>;
  readonly ctx: ServerContext;
}

/** A call whose tool exists. */
interface KnownCall extends Call {
  readonly tool: Tool;
  readonly mode: Mode;
  /** What the audit row, the approval queue and the logs show of the arguments: masked, never the real ones. */
  auditArgs: unknown;
}

/** A call with valid arguments, ready to be gated and run. */
interface ValidCall extends KnownCall {
  readonly args: unknown;
  readonly toolCtx: ToolContext;
  /** The call's idempotency key, on a write/external call that is not a dry-run. */
  readonly key: string | undefined;
  /**
   * The hash of the checked arguments (idempotency keys, approvals, the audit row of a change), and of
   * the arguments exactly as sent, before defaults (what a plan grant binds). Each is computed when a
   * step first needs it: a read without a key or a grant needs neither.
   */
  readonly argsHash: () => string;
  readonly sentHash: () => string;
}

/** How a step ends a call early: the audit decision it records and the error the caller sees. */
interface Refusal {
  decision: AuditDecision;
  error: HearthError;
  extra?: Record<string, unknown>;
}

export class ToolDispatcher {
  private readonly byName: Map<string, Tool>;
  /** Each tool's input refusing unknown fields, built on its first call (listing needs none of them). */
  private readonly strictInputs = new Map<string, z.ZodType>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly kernel: Kernel,
    tools: readonly Tool[],
    private readonly logLevels: ClientLogLevels = new ClientLogLevels(),
  ) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  list(): McpTool[] {
    const allowed = [...this.byName.values()].filter((t) => this.kernel.policy.toolAllowed(t.name));
    const names = new Set(allowed.map((t) => t.name));
    return allowed.map((t) => describeTool(t, names));
  }

  /** Runs one tools/call, counted as in flight until it ends so `drain` can wait for it. */
  call(name: string, rawArgs: unknown, ctx: ServerContext, client: ClientIdentity): Promise<Result> {
    const running = this.dispatch(name, rawArgs, ctx, client);
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return running;
  }

  /**
   * Waits (up to a limit) for the calls in flight: a server closing because its client went away
   * still records what a running call did, so a repeat with its idempotency key finds the result.
   */
  async drain(limitMs = DRAIN_MS): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.inFlight), new Promise((resolve) => (timer = setTimeout(resolve, limitMs)))]);
    clearTimeout(timer);
  }

  /** Every outcome is a tool result, except an unknown tool (a protocol error). */
  private async dispatch(name: string, rawArgs: unknown, ctx: ServerContext, client: ClientIdentity): Promise<Result> {
    const started = performance.now();
    const meta = (ctx.mcpReq._meta ?? {}) as Record<string, unknown>;
    const requestedId = meta[META.correlationId];
    const correlationId =
      typeof requestedId === 'string' && CORRELATION_ID.test(requestedId) ? requestedId : `c_${randomBytes(6).toString('hex')}`;
    const log = this.kernel.log.child({ correlationId, tool: name, client: client.id });
    const base: Call = { name, correlationId, client, started, log, meta, ctx };

    const tool = this.byName.get(name);
    if (!tool) return this.unknownTool(base, rawArgs);
    const requestedMode = Mode.safeParse(meta[META.mode]);
    const call: KnownCall = {
      ...base,
      tool,
      mode: this.kernel.policy.modeFor(this.kernel.server, requestedMode.success ? requestedMode.data : undefined),
      auditArgs: storableArgs(rawArgs),
    };

    const refusal = this.admit(call);
    if (refusal) return this.refuse(call, refusal);
    const validated = this.validate(call, rawArgs);
    if (!validated.ok) return this.refuse(call, validated.refusal);
    try {
      return await this.gate(validated.call);
    } catch (error) {
      const hearth = toHearthError(error);
      if (hearth.code === 'INTERNAL') log.error({ err: error }, 'tool failed before it could run');
      return this.refuse(call, { decision: 'rejected', error: hearth });
    }
  }

  // ---- admit and validate ----

  /** The protocol answers an unknown tool with Invalid Params, not a tool result; the audit still records it. */
  private unknownTool(call: Call, rawArgs: unknown): never {
    const names = [...this.byName.keys()];
    const error = new HearthError(
      'NOT_FOUND',
      `there is no tool named ${call.name} on the ${this.kernel.server} server`,
      `Call tools/list to see the tools; this server has ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}.`,
    );
    const result = this.kernel.redactor.value(errorResult(error));
    this.appendAudit({
      correlationId: call.correlationId,
      server: this.kernel.server,
      tool: call.name,
      client: call.client.id,
      effect: 'unknown',
      mode: this.kernel.policy.modeFor(this.kernel.server),
      decision: 'rejected',
      args: this.kernel.redactor.value(storableArgs(rawArgs)),
      outcome: 'error',
      errorCode: error.code,
      summary: firstText(result),
      durationMs: performance.now() - call.started,
    });
    this.logLine(call, 'rejected', result, error);
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${error.message}. ${error.hint}`, {
      code: error.code,
      tool: this.kernel.redactor.text(call.name),
    });
  }

  private admit(call: KnownCall): Refusal | undefined {
    try {
      // hearth.db opens with the first call: one that cannot open it is refused (and logged), never
      // run without its audit row.
      this.kernel.open();
    } catch (error) {
      return { decision: 'rejected', error: toHearthError(error) };
    }
    try {
      this.kernel.policy.assertToolAllowed(call.name);
    } catch (error) {
      return { decision: 'denied-by-policy', error: toHearthError(error) };
    }
    const rate = this.kernel.policy.checkRate(call.client.id, call.name, call.tool.effect);
    if (!rate.ok) {
      const error = new HearthError(
        'RATE_LIMITED',
        `too many calls to ${call.name} from this client`,
        `Wait ${rate.retryAfterMs < 1000 ? `${rate.retryAfterMs} ms` : `${rate.retryAfterSeconds} s`} (error.retryAfterMs) and try again.`,
        { details: { retryAfterSeconds: rate.retryAfterSeconds, retryAfterMs: rate.retryAfterMs } },
      );
      return { decision: 'rejected', error };
    }
    return undefined;
  }

  private validate(call: KnownCall, rawArgs: unknown): { ok: true; call: ValidCall } | { ok: false; refusal: Refusal } {
    // Before anything walks them (zod, the hash, the clone, the log): a value nested thousands deep
    // overflows any recursive walk, one with millions of parts makes every walk slow.
    const shape = argumentProblem(rawArgs ?? {});
    if (shape) return { ok: false, refusal: { decision: 'rejected', error: argumentShapeError(call.name, shape) } };
    let strict = this.strictInputs.get(call.name);
    if (!strict) this.strictInputs.set(call.name, (strict = call.tool.input.strict()));
    const parsed = strict.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      return { ok: false, refusal: { decision: 'rejected', error: validationError(call.name, call.tool.input, parsed.error) } };
    }
    const args = parsed.data;
    const rawKey = call.meta[META.idempotencyKey];
    const keyed = call.tool.effect !== 'read' && call.meta[META.dryRun] !== true && rawKey !== undefined;
    if (keyed && (typeof rawKey !== 'string' || !IDEMPOTENCY_KEY.test(rawKey))) {
      const error = new HearthError(
        'INVALID_ARGUMENT',
        `_meta.${META.idempotencyKey}: must be 1-200 letters, digits or . _ : @ / -`,
        'Send a key such as "<run id>:<step id>", the same one for every retry of the same call.',
        { details: { field: `_meta.${META.idempotencyKey}` } },
      );
      return { ok: false, refusal: { decision: 'rejected', error } };
    }
    try {
      // A private copy: the tool masks more of it as it learns (ctx.secret), never the real arguments.
      call.auditArgs = structuredClone(call.tool.auditArgs ? call.tool.auditArgs(args) : args);
    } catch (error) {
      return { ok: false, refusal: { decision: 'rejected', error: toHearthError(error) } };
    }
    // Redacting the arguments walks all of them: only for a log that keeps the line.
    if (call.log.isLevelEnabled('debug'))
      call.log.debug({ args: this.kernel.redactor.value(call.auditArgs), mode: call.mode }, 'tool call started');
    const toolCtx = toolContext(this.kernel, call.ctx, {
      tool: call.name,
      correlationId: call.correlationId,
      client: call.client,
      mode: call.mode,
      log: call.log,
      auditArgs: call.auditArgs,
      keyed,
    });
    const key = keyed ? (rawKey as string) : undefined;
    const argsHash = once(() => callHash(this.kernel.server, call.name, args));
    const sentHash = once(() => callHash(this.kernel.server, call.name, rawArgs ?? {}));
    return { ok: true, call: Object.assign(call, { args, toolCtx, key, argsHash, sentHash }) };
  }

  // ---- gate: carry out the policy's decision ----

  private async gate(call: ValidCall): Promise<Result> {
    if (call.key !== undefined) {
      const first = this.kernel.idempotency.peek(call.key, call.name, call.argsHash());
      if (first) return this.replay(call, first);
    }
    const facts = {
      effect: call.tool.effect,
      mode: call.mode,
      dryRun: call.meta[META.dryRun] === true,
      canElicit: call.client.canElicit,
      standing: call.tool.standingApproval?.(call.args, call.toolCtx),
      granted: this.grantFor(call),
    };
    let decision = decide(facts);
    let preview: Preview | undefined;
    if (decision.kind === 'ask' || decision.kind === 'approval-queue') {
      // Whether there is anything to ask about shows only in the preview.
      preview = await this.preview(call);
      decision = decide({ ...facts, changesNothing: changesNothing(preview) });
    }
    switch (decision.kind) {
      case 'run':
        return this.execute(call, 'ran');
      case 'run-granted':
        return this.execute(call, 'ran-granted', `plan approval ${decision.approval}: `);
      case 'run-within-policy':
        call.log.debug({ standing: decision.reason }, 'draft call runs under a standing approval');
        return this.execute(call, 'ran-within-policy');
      case 'run-unchanged':
        call.log.debug({ preview: preview?.summary }, 'draft call changes nothing; it runs without asking');
        return this.execute(call, 'ran-unchanged');
      case 'preview':
        return this.previewOnly(call, decision.reason);
      case 'ask':
        return this.ask(call, preview);
      case 'approval-queue':
        return this.approvalQueue(call, preview);
    }
  }

  /** The plan approval a valid signed grant for exactly this call names; anything else is no grant. */
  private grantFor(call: ValidCall): string | undefined {
    const token = call.meta[META.grant];
    if (token === undefined || call.tool.effect === 'read') return undefined;
    const check = this.kernel.grants.check(token, {
      server: this.kernel.server,
      tool: call.name,
      argsHash: call.sentHash(),
      idempotencyKey: call.key,
    });
    if (!check.ok) {
      call.log.warn({ problem: check.problem }, 'a plan grant was presented and not accepted; the call asks as usual');
      return undefined;
    }
    return check.grant.approval;
  }

  private replay(call: ValidCall, first: CallToolResult): CallToolResult {
    call.log.debug({ key: call.key }, 'idempotency key already used: returning the first result');
    const marked: CallToolResult = { ...first, _meta: { ...first._meta, [META.replayed]: true } };
    return this.finish(call, 'replayed', marked, undefined, `replayed idempotency key ${call.key}: `);
  }

  private async previewOnly(call: ValidCall, reason: DryRunResult['reason']): Promise<CallToolResult> {
    const preview = await this.preview(call);
    const structured: DryRunResult = { dryRun: true, reason, preview };
    const note =
      reason === 'dry-run'
        ? 'Dry run: nothing was changed.'
        : 'Observe mode: nothing was changed. A person can switch the mode in the policy file.';
    return this.finish(call, 'previewed', successResult({ structured, text: `${note}\n${renderPreview(preview)}` }));
  }

  /** Draft mode through the client: the first round asks the person; the echoed round carries the answer. */
  private async ask(call: ValidCall, made?: Preview): Promise<Result> {
    const hash = call.argsHash();
    const echoed = call.ctx.mcpReq.requestState<{ h: string }>();
    if (echoed?.h === hash) {
      const view = inputResponse(call.ctx.mcpReq.inputResponses, 'approval');
      const answer = view.kind === 'elicit' && view.action === 'accept' ? ApprovalAnswer.safeParse(view.content) : undefined;
      if (answer?.success && answer.data.approve) return this.execute(call, 'ran-approved');
      const how =
        view.kind !== 'elicit' || view.action === 'accept' ? 'answered no to' : view.action === 'cancel' ? 'cancelled' : 'declined';
      return this.refuse(call, {
        decision: 'denied-by-person',
        error: new HearthError(
          'APPROVAL_DENIED',
          `the person ${how} the request to run ${call.name}; nothing was done`,
          'Do not retry the same call unless the person asks for it; ask them what to change.',
        ),
      });
    }
    const preview = made ?? (await this.preview(call));
    const text = truncate(renderPreview(preview), ELICIT_PREVIEW_CHARS, 'the full preview is in the audit log').text;
    this.audit(call, 'approval-asked', 'ok', undefined, preview.summary);
    return inputRequired({
      inputRequests: {
        approval: inputRequired.elicit({
          message: `${this.kernel.server} wants to run ${call.name} (${call.tool.title}).\n\n${text}\n\nApprove this call?`,
          requestedSchema: ApprovalAnswer,
        }),
      },
      requestState: await this.kernel.approvalState.mint({ h: hash }),
    });
  }

  /** Draft mode without elicitation: what the queued approval for this exact call says. */
  private async approvalQueue(call: ValidCall, made?: Preview): Promise<CallToolResult> {
    const named = call.meta[META.approvalId];
    const argsHash = call.argsHash();
    const resolution = this.kernel.approvals.resolve({
      server: this.kernel.server,
      tool: call.name,
      argsHash,
      approvalId: typeof named === 'string' ? named : undefined,
    });
    switch (resolution.kind) {
      case 'approved':
        return this.execute(call, 'ran-approved');
      case 'denied': {
        const { approval } = resolution;
        const reason = approval.reason ? ` (${approval.reason})` : '';
        return this.refuse(call, {
          decision: 'denied-by-person',
          error: new HearthError(
            'APPROVAL_DENIED',
            `approval ${approval.id} was denied by ${approval.decidedBy ?? 'a person'}${reason}; nothing was done`,
            'Do not retry the same call unless the person asks for it; ask them what to change.',
          ),
          extra: { approval: { id: approval.id, status: 'denied' } },
        });
      }
      case 'pending':
        return this.awaitingApproval(call, resolution.approval.id, resolution.approval.preview, 'approval-pending');
      case 'mismatch': {
        const { approval } = resolution;
        throw new HearthError(
          'CONFLICT',
          `approval ${approval.id} was given for a different call (${approval.server}.${approval.tool} with other arguments)`,
          'Call the tool with exactly the arguments that were approved, or without hearth/approvalId to queue a new approval.',
        );
      }
      case 'none': {
        const preview = made ?? (await this.preview(call));
        const created = this.kernel.approvals.request({
          server: this.kernel.server,
          tool: call.name,
          client: call.client.id,
          argsHash,
          args: this.kernel.redactor.value(call.auditArgs),
          preview: this.kernel.redactor.value(preview),
          correlationId: call.correlationId,
        });
        return this.awaitingApproval(call, created.id, created.preview, 'approval-queued');
      }
    }
  }

  private awaitingApproval(call: ValidCall, id: string, preview: Preview, decision: AuditDecision): CallToolResult {
    const error = new HearthError(
      'APPROVAL_REQUIRED',
      `${call.name} needs a person's approval before it runs; it is queued as ${id} and nothing was done yet`,
      `Ask the person to review it with \`hearth approvals show ${id}\` and approve it with \`hearth approvals approve ${id}\`. ` +
        `Then call ${call.name} again with exactly the same arguments: it runs once.`,
      { details: { approvalId: id } },
    );
    const result = errorResult(error, { approval: { id, status: 'pending', preview } });
    result.content.push({ type: 'text', text: renderPreview(preview) });
    return this.finish(call, decision, result, error);
  }

  private preview(call: ValidCall): Promise<Preview> {
    return call.tool.preview!(call.args, call.toolCtx);
  }

  // ---- execute: the only place a handler runs ----

  private async execute(call: ValidCall, decision: AuditDecision, note = ''): Promise<CallToolResult> {
    const { key } = call;
    if (key !== undefined) {
      const claim = await this.kernel.idempotency.claim(key, call.name, call.argsHash(), KEY_WAIT_MS, call.toolCtx.signal);
      if (claim.kind === 'replay') return this.replay(call, claim.result);
    }
    if (changesSomething(call.tool.effect)) {
      try {
        // The arguments go in the finishing row: a tool may learn while it runs that one of them is a
        // secret (a password field) and mask it (ctx.secret). This row names the call by the hash of its arguments.
        this.kernel.audit.append({
          ...this.entry(call, decision, 'started', undefined, 'started'),
          args: { argsHash: call.argsHash() },
        });
      } catch (error) {
        if (key !== undefined) this.kernel.idempotency.release(key);
        call.log.error({ err: describeError(error) }, 'could not write the audit row; the call was not run');
        return this.refuse(call, {
          decision: 'rejected',
          error: new HearthError(
            'UNAVAILABLE',
            `${call.name} could not be recorded in the audit log, so it was not run`,
            'Check that the data directory has space and hearth.db is writable and not held by another program, then try again.',
          ),
        });
      }
    }
    let result: CallToolResult;
    try {
      result = this.kernel.redactor.value(await this.run(call));
    } catch (error) {
      if (key !== undefined) {
        // An external call stopped mid-way (cancelled, or its caller gone) may already have reached the
        // outside world: its key records that the outcome is unknown, so a retry asks instead of repeating it.
        // Any other failure changed nothing, and frees the key for the next call.
        if (call.tool.effect === 'external' && call.toolCtx.signal.aborted) this.kernel.idempotency.abandon(key);
        else this.kernel.idempotency.release(key);
      }
      // The finishing row keeps the decision that let the handler run (approved, granted, …): the
      // started row already said so, and an error must not rewrite who allowed it.
      const hearth = toHearthError(error);
      if (hearth.code === 'INTERNAL') call.log.error({ err: error }, 'tool failed');
      return this.refuse(call, { decision, error: hearth });
    }
    // A handler that finished did its work even if the caller stopped listening: the key remembers it,
    // so a retry under the key replays instead of doing it twice, and the audit row says it ran.
    if (key !== undefined) this.kernel.idempotency.settle(key, result);
    // A call whose caller cancelled it ends as CANCELLED in the audit (its answer goes nowhere), still under
    // the decision that let it run.
    if (call.toolCtx.signal.aborted) {
      try {
        call.toolCtx.throwIfCancelled();
      } catch (error) {
        return this.refuse(call, { decision, error: toHearthError(error) });
      }
    }
    return this.finish(call, decision, result, undefined, note);
  }

  private async run(call: ValidCall): Promise<CallToolResult> {
    const result = await call.tool.handler(call.args, call.toolCtx);
    const checked = call.tool.output.safeParse(result.structured);
    if (!checked.success) {
      call.log.error({ issues: checked.error.issues }, 'tool returned output that does not match its schema');
      throw new HearthError(
        'INTERNAL',
        `${call.name} produced a result that does not match its output schema`,
        'This is a bug in Hearth; the details are in the server log.',
      );
    }
    return successResult({ ...result, structured: checked.data });
  }

  // ---- finish: redact, audit, log ----

  private refuse(call: KnownCall, refusal: Refusal): CallToolResult {
    return this.finish(call, refusal.decision, errorResult(refusal.error, refusal.extra), refusal.error);
  }

  private finish(call: KnownCall, decision: AuditDecision, result: CallToolResult, error?: HearthError, note = ''): CallToolResult {
    const redacted = this.kernel.redactor.value(result);
    this.audit(call, decision, result.isError ? 'error' : 'ok', error?.code, `${note}${firstText(redacted)}`);
    this.logLine(call, decision, result, error);
    return redacted;
  }

  private audit(call: KnownCall, decision: AuditDecision, outcome: 'ok' | 'error', errorCode: string | undefined, summary: string): void {
    this.appendAudit(this.entry(call, decision, outcome, errorCode, summary));
  }

  private entry(
    call: KnownCall,
    decision: AuditDecision,
    outcome: AuditEntry['outcome'],
    errorCode: string | undefined,
    summary: string,
  ): AuditEntry {
    return {
      correlationId: call.correlationId,
      server: this.kernel.server,
      tool: call.name,
      client: call.client.id,
      effect: call.tool.effect,
      mode: call.mode,
      decision,
      args: this.kernel.redactor.value(call.auditArgs ?? null),
      outcome,
      errorCode,
      summary: this.kernel.redactor.text(summary),
      durationMs: performance.now() - call.started,
    };
  }

  private appendAudit(entry: AuditEntry): void {
    try {
      this.kernel.audit.append(entry);
    } catch (error) {
      this.kernel.log.error({ err: describeError(error), correlationId: entry.correlationId }, 'could not write the audit row');
    }
  }

  private logLine(call: Call, decision: AuditDecision, result: CallToolResult, error: HearthError | undefined): void {
    const outcome = result.isError ? 'error' : 'ok';
    const line = { decision, outcome, errorCode: error?.code, ms: Math.round(performance.now() - call.started) };
    call.log.info(line, 'tool call');
    // The client's own log. A 2026-07-28 request carries its level and the SDK filters by it; an
    // earlier client gets messages only once it has set a level with logging/setLevel.
    const level = result.isError ? 'warning' : 'info';
    if (call.ctx.mcpReq.envelope === undefined && !this.logLevels.wants(call.client.id, level)) return;
    void call.ctx.mcpReq
      .log(level, { tool: call.name, correlationId: call.correlationId, ...line }, `hearth-${this.kernel.server}`)
      .catch(() => undefined);
  }
}

/** `make`'s value, computed on the first call and kept. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

function firstText(result: CallToolResult): string {
  return result.content.find((c): c is { type: 'text'; text: string } => c.type === 'text')?.text ?? '';
}

/** Arguments as the audit keeps them: as given, unless they are beyond the shape limits (then a note says so). */
function storableArgs(raw: unknown): unknown {
  const problem = argumentProblem(raw ?? null);
  return problem ? { omitted: `the arguments were not stored: ${fieldPath(problem.path)}: ${problem.problem}` } : (raw ?? null);
}
