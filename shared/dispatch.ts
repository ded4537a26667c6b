// The dispatcher: the one place a tool call goes through. In order: the tool allowlist, the rate
// limit, argument validation, then — for write/external tools — dry-run, the mode and approvals;
// then the handler with progress and cancellation; output validation; redaction; the audit row.
// Every failure on the way becomes a tool error with a stable code; nothing escapes as a crash.
import { randomBytes } from 'node:crypto';

import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  type ContentBlock,
  inputRequired,
  type InputRequiredResult,
  inputResponse,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
  type Tool as McpTool,
} from '@modelcontextprotocol/server';
import * as z from 'zod';

import { callHash } from '../policies/approvals.js';
import type { AuditEntry, Decision } from '../policies/audit.js';
import { Mode } from '../policies/modes.js';
import { annotationsFor, changesSomething } from './effect.js';
import { describeError, HearthError, isHearthError } from './errors.js';
import type { Kernel } from './kernel.js';
import { truncate } from './output.js';
import { DryRunResult, type Preview, renderPreview } from './preview.js';
import type { ClientIdentity, Tool, ToolContext, ToolResult } from './tool.js';
import { validationError } from './validation.js';

/** `_meta` keys Hearth reads on tools/call. */
export const META = {
  dryRun: 'hearth/dryRun',
  mode: 'hearth/mode',
  approvalId: 'hearth/approvalId',
  correlationId: 'hearth/correlationId',
} as const;

const MAX_TEXT_CHARS = 50_000;
const ELICIT_PREVIEW_CHARS = 4_000;
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,80}$/;

const ApprovalAnswer = z.object({
  approve: z.boolean().meta({ title: 'Approve', description: 'Yes runs the call once; no cancels it.' }),
});

type Result = CallToolResult | InputRequiredResult;

interface CallState {
  tool: Tool;
  correlationId: string;
  client: ClientIdentity;
  mode: Mode;
  started: number;
  auditArgs: unknown;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** The outputSchema advertised for a tool: write/external tools may also answer with a preview. */
function outputSchemaFor(tool: Tool): Record<string, unknown> {
  const own = jsonSchema(tool.output, 'output');
  if (!changesSomething(tool.effect)) return own;
  return { type: 'object', anyOf: [own, jsonSchema(DryRunResult, 'output')] };
}

export function describeTool(tool: Tool): McpTool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input, 'input') as McpTool['inputSchema'],
    outputSchema: outputSchemaFor(tool),
    annotations: annotationsFor(tool.effect, tool.title, { idempotent: tool.idempotent }),
    _meta: { 'hearth/effect': tool.effect },
  };
}

function errorResult(error: HearthError, extra: Record<string, unknown> = {}): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `Error ${error.code}: ${error.message}\nHint: ${error.hint}` }],
    structuredContent: { error: error.toJSON(), ...extra },
  };
}

function toHearthError(error: unknown): HearthError {
  if (isHearthError(error)) return error;
  return new HearthError(
    'INTERNAL',
    `the tool failed unexpectedly: ${describeError(error)}`,
    'This is a bug in Hearth. The server keeps running; the details are in its log under this correlation id.',
  );
}

function defaultText(structured: unknown): string {
  return JSON.stringify(structured);
}

export class ToolDispatcher {
  private readonly byName: Map<string, Tool>;
  private readonly strictInputs = new Map<string, z.ZodType>();

  constructor(
    private readonly kernel: Kernel,
    tools: readonly Tool[],
  ) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
    for (const tool of tools) this.strictInputs.set(tool.name, tool.input.strict());
  }

  list(): McpTool[] {
    return [...this.byName.values()].filter((t) => this.allowed(t.name)).map(describeTool);
  }

  private allowed(name: string): boolean {
    try {
      this.kernel.policy.assertToolAllowed(name);
      return true;
    } catch {
      return false;
    }
  }

  /** Runs one tools/call. Every outcome is a tool result, except an unknown tool (a protocol error). */
  async call(name: string, rawArgs: unknown, ctx: ServerContext, client: ClientIdentity): Promise<Result> {
    const started = performance.now();
    const meta = (ctx.mcpReq._meta ?? {}) as Record<string, unknown>;
    const requestedId = meta[META.correlationId];
    const correlationId =
      typeof requestedId === 'string' && CORRELATION_ID.test(requestedId) ? requestedId : `c_${randomBytes(6).toString('hex')}`;
    const tool = this.byName.get(name);
    const log = this.kernel.log.child({ correlationId, tool: name, client: client.id });

    if (!tool) {
      const error = new HearthError(
        'NOT_FOUND',
        `there is no tool named ${name} on the ${this.kernel.server} server`,
        `Call tools/list to see the tools; this server has ${[...this.byName.keys()].slice(0, 8).join(', ')}${this.byName.size > 8 ? ', …' : ''}.`,
      );
      this.finish(log, undefined, { correlationId, client, name, started, rawArgs }, 'rejected', errorResult(error), error);
      // The protocol answers an unknown tool with Invalid Params, not a tool result.
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${error.message}. ${error.hint}`, {
        code: error.code,
        tool: this.kernel.redactor.text(name),
      });
    }

    const requestedMode = Mode.safeParse(meta[META.mode]);
    const state: CallState = {
      tool,
      correlationId,
      client,
      mode: this.kernel.policy.modeFor(this.kernel.server, requestedMode.success ? requestedMode.data : undefined),
      started,
      auditArgs: rawArgs,
    };

    try {
      this.kernel.policy.assertToolAllowed(name);
    } catch (error) {
      return this.fail(log, state, 'denied-by-policy', toHearthError(error));
    }

    const rate = this.kernel.policy.checkRate(client.id, name);
    if (!rate.ok) {
      const error = new HearthError(
        'RATE_LIMITED',
        `too many calls to ${name} from this client`,
        `Wait ${rate.retryAfterSeconds} s and try again.`,
        { details: { retryAfterSeconds: rate.retryAfterSeconds } },
      );
      return this.fail(log, state, 'rejected', error);
    }

    const parsed = this.strictInputs.get(name)!.safeParse(rawArgs ?? {});
    if (!parsed.success) return this.fail(log, state, 'rejected', validationError(name, tool.input, parsed.error));
    const args = parsed.data;
    // A private copy: tools mask more of it as they learn (ctx.maskAuditArg), never the real arguments.
    state.auditArgs = structuredClone(tool.auditArgs ? tool.auditArgs(args) : args);
    log.debug({ args: this.kernel.redactor.value(state.auditArgs), mode: state.mode }, 'tool call started');

    const toolCtx = this.context(ctx, state, log);
    try {
      if (!changesSomething(tool.effect)) return await this.run(log, state, args, toolCtx, 'ran');
      return await this.gate(log, state, args, toolCtx, ctx, meta);
    } catch (error) {
      const hearth = toHearthError(error);
      if (hearth.code === 'INTERNAL') log.error({ err: error }, 'tool failed');
      return this.fail(log, state, 'ran', hearth);
    }
  }

  /** Dry-run, mode and approvals for a write/external call. */
  private async gate(
    log: ToolContext['log'],
    state: CallState,
    args: unknown,
    toolCtx: ToolContext,
    ctx: ServerContext,
    meta: Record<string, unknown>,
  ): Promise<Result> {
    const { tool } = state;
    const dryRun = meta[META.dryRun] === true;
    if (dryRun || state.mode === 'observe') {
      const preview = await tool.preview!(args, toolCtx);
      const structured: DryRunResult = { dryRun: true, reason: dryRun ? 'dry-run' : 'observe', preview };
      const note = dryRun
        ? 'Dry run: nothing was changed.'
        : 'Observe mode: nothing was changed. A person can switch the mode in the policy file.';
      return this.finish(log, state, undefined, 'previewed', this.success({ structured, text: `${note}\n${renderPreview(preview)}` }));
    }
    if (state.mode === 'autopilot') return this.run(log, state, args, toolCtx, 'ran');

    // draft: a person decides — unless their policy already did (a standing approval).
    const standing = tool.standingApproval?.(args, toolCtx);
    if (standing !== undefined) {
      log.debug({ standing }, 'draft call runs under a standing approval');
      return this.run(log, state, args, toolCtx, 'ran-within-policy');
    }
    const hash = callHash(this.kernel.server, tool.name, args);
    if (state.client.canElicit) return this.elicitApproval(log, state, args, toolCtx, ctx, hash);
    return this.queuedApproval(log, state, args, toolCtx, meta, hash);
  }

  private async elicitApproval(
    log: ToolContext['log'],
    state: CallState,
    args: unknown,
    toolCtx: ToolContext,
    ctx: ServerContext,
    hash: string,
  ): Promise<Result> {
    const echoed = ctx.mcpReq.requestState<{ h: string }>();
    if (echoed?.h === hash) {
      const view = inputResponse(ctx.mcpReq.inputResponses, 'approval');
      const answer = view.kind === 'elicit' && view.action === 'accept' ? ApprovalAnswer.safeParse(view.content) : undefined;
      if (answer?.success && answer.data.approve) return this.run(log, state, args, toolCtx, 'ran-approved');
      const how = view.kind === 'elicit' && view.action !== 'accept' ? `${view.action}d` : 'answered no';
      return this.fail(
        log,
        state,
        'denied-by-person',
        new HearthError(
          'APPROVAL_DENIED',
          `the person ${how === 'canceld' ? 'cancelled' : how} the request to run ${state.tool.name}; nothing was done`,
          'Do not retry the same call unless the person asks for it; ask them what to change.',
        ),
      );
    }
    const preview = await state.tool.preview!(args, toolCtx);
    const text = truncate(renderPreview(preview), ELICIT_PREVIEW_CHARS, 'the full preview is in the audit log').text;
    this.audit(state, 'approval-asked', 'ok', undefined, preview.summary);
    return inputRequired({
      inputRequests: {
        approval: inputRequired.elicit({
          message: `${this.kernel.server} wants to run ${state.tool.name} (${state.tool.title}).\n\n${text}\n\nApprove this call?`,
          requestedSchema: ApprovalAnswer,
        }),
      },
      requestState: await this.kernel.approvalState.mint({ h: hash }),
    });
  }

  private async queuedApproval(
    log: ToolContext['log'],
    state: CallState,
    args: unknown,
    toolCtx: ToolContext,
    meta: Record<string, unknown>,
    hash: string,
  ): Promise<Result> {
    const { approvals } = this.kernel;
    const named = meta[META.approvalId];
    let open = typeof named === 'string' ? approvals.get(named) : approvals.findOpen(this.kernel.server, state.tool.name, hash);
    if (open && (open.server !== this.kernel.server || open.tool !== state.tool.name || open.argsHash !== hash)) {
      throw new HearthError(
        'CONFLICT',
        `approval ${open.id} was given for a different call (${open.server}.${open.tool} with other arguments)`,
        'Call the tool with exactly the arguments that were approved, or without hearth/approvalId to queue a new approval.',
      );
    }
    if (open && (open.status === 'consumed' || open.status === 'expired')) open = undefined;

    if (open?.status === 'approved') {
      if (approvals.consume(open.id)) return this.run(log, state, args, toolCtx, 'ran-approved');
      open = undefined; // another caller took it first: this call needs its own approval
    }
    if (open?.status === 'denied') {
      approvals.acknowledgeDenial(open.id);
      const reason = open.reason ? ` (${open.reason})` : '';
      return this.fail(
        log,
        state,
        'denied-by-person',
        new HearthError(
          'APPROVAL_DENIED',
          `approval ${open.id} was denied by ${open.decidedBy ?? 'a person'}${reason}; nothing was done`,
          'Do not retry the same call unless the person asks for it; ask them what to change.',
        ),
        { approval: { id: open.id, status: 'denied' } },
      );
    }
    if (open?.status === 'pending') {
      return this.pendingResult(log, state, open.id, open.preview, 'approval-pending');
    }
    const preview = await state.tool.preview!(args, toolCtx);
    const created = approvals.request({
      server: this.kernel.server,
      tool: state.tool.name,
      client: state.client.id,
      argsHash: hash,
      args: this.kernel.redactor.value(state.auditArgs),
      preview: this.kernel.redactor.value(preview),
      correlationId: state.correlationId,
    });
    return this.pendingResult(log, state, created.id, created.preview, 'approval-queued');
  }

  private pendingResult(log: ToolContext['log'], state: CallState, id: string, preview: Preview, decision: Decision): CallToolResult {
    const error = new HearthError(
      'APPROVAL_REQUIRED',
      `${state.tool.name} needs a person's approval before it runs; it is queued as ${id} and nothing was done yet`,
      `Ask the person to review it with \`hearth approvals show ${id}\` and approve it with \`hearth approvals approve ${id}\`. Then call ${state.tool.name} again with exactly the same arguments: it runs once.`,
      { details: { approvalId: id } },
    );
    const result = errorResult(error, { approval: { id, status: 'pending', preview } });
    result.content.push({ type: 'text', text: renderPreview(preview) });
    return this.finish(log, state, undefined, decision, result, error);
  }

  private async run(log: ToolContext['log'], state: CallState, args: unknown, toolCtx: ToolContext, decision: Decision): Promise<Result> {
    const result = await state.tool.handler(args, toolCtx);
    toolCtx.throwIfCancelled();
    const checked = state.tool.output.safeParse(result.structured);
    if (!checked.success) {
      log.error({ issues: checked.error.issues }, 'tool returned output that does not match its schema');
      throw new HearthError(
        'INTERNAL',
        `${state.tool.name} produced a result that does not match its output schema`,
        'This is a bug in Hearth; the details are in the server log.',
      );
    }
    return this.finish(log, state, undefined, decision, this.success({ ...result, structured: checked.data }));
  }

  private success(result: ToolResult<unknown>): CallToolResult {
    const text = truncate(result.text ?? defaultText(result.structured), MAX_TEXT_CHARS, 'the full result is in structuredContent').text;
    const content: ContentBlock[] = [{ type: 'text', text }, ...(result.content ?? [])];
    return { content, structuredContent: result.structured };
  }

  private fail(
    log: ToolContext['log'],
    state: CallState,
    decision: Decision,
    error: HearthError,
    extra: Record<string, unknown> = {},
  ): CallToolResult {
    return this.finish(log, state, undefined, decision, errorResult(error, extra), error);
  }

  /** Redacts the result, writes the audit row and the log line. */
  private finish(
    log: ToolContext['log'],
    state: CallState | undefined,
    unknownTool: { correlationId: string; client: ClientIdentity; name: string; started: number; rawArgs: unknown } | undefined,
    decision: Decision,
    result: CallToolResult,
    error?: HearthError,
  ): CallToolResult {
    const redacted = this.kernel.redactor.value(result);
    const summary = redacted.content.find((c): c is { type: 'text'; text: string } => c.type === 'text')?.text ?? '';
    const outcome = result.isError ? 'error' : 'ok';
    if (state) this.audit(state, decision, outcome, error?.code, summary);
    else if (unknownTool) {
      this.appendAudit({
        correlationId: unknownTool.correlationId,
        server: this.kernel.server,
        tool: unknownTool.name,
        client: unknownTool.client.id,
        effect: 'unknown',
        mode: this.kernel.policy.modeFor(this.kernel.server),
        decision,
        args: this.kernel.redactor.value(unknownTool.rawArgs ?? null),
        outcome,
        errorCode: error?.code,
        summary,
        durationMs: performance.now() - unknownTool.started,
      });
    }
    const started = state?.started ?? unknownTool?.started ?? performance.now();
    log.info({ decision, outcome, errorCode: error?.code, ms: Math.round(performance.now() - started) }, 'tool call');
    return redacted;
  }

  private audit(state: CallState, decision: Decision, outcome: 'ok' | 'error', errorCode: string | undefined, summary: string): void {
    this.appendAudit({
      correlationId: state.correlationId,
      server: this.kernel.server,
      tool: state.tool.name,
      client: state.client.id,
      effect: state.tool.effect,
      mode: state.mode,
      decision,
      args: this.kernel.redactor.value(state.auditArgs ?? null),
      outcome,
      errorCode,
      summary: this.kernel.redactor.text(summary),
      durationMs: performance.now() - state.started,
    });
  }

  private appendAudit(entry: AuditEntry): void {
    try {
      this.kernel.audit.append(entry);
    } catch (error) {
      this.kernel.log.error({ err: describeError(error), correlationId: entry.correlationId }, 'could not write the audit row');
    }
  }

  private context(ctx: ServerContext, state: CallState, log: ToolContext['log']): ToolContext {
    const token = ctx.mcpReq._meta?.progressToken;
    let last = -Infinity;
    const signal = ctx.mcpReq.signal;
    return {
      server: this.kernel.server,
      tool: state.tool.name,
      correlationId: state.correlationId,
      signal,
      log,
      client: state.client,
      mode: state.mode,
      artifacts: this.kernel.artifacts,
      progress: async (progress, total, message) => {
        if (token === undefined || progress <= last || signal.aborted) return;
        last = progress;
        try {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: {
              progressToken: token,
              progress,
              ...(total === undefined ? {} : { total }),
              ...(message === undefined ? {} : { message: this.kernel.redactor.text(message) }),
            },
          });
        } catch (error) {
          log.debug({ err: describeError(error) }, 'progress notification not delivered');
        }
      },
      throwIfCancelled: () => {
        if (signal.aborted)
          throw new HearthError('CANCELLED', `${state.tool.name} was cancelled`, 'Nothing more was done after the cancellation.');
      },
      maskAuditArg: (path) => maskPath(state.auditArgs, path),
      auditArgs: () => state.auditArgs,
      addSecret: (value) => this.kernel.redactor.add(value),
    };
  }
}

export const MASKED = '••••';

/** Replaces the value at `path` inside a JSON-like object, if the path exists. */
function maskPath(root: unknown, path: readonly (string | number)[]): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string | number, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (last !== undefined && node !== null && typeof node === 'object' && last in node)
    (node as Record<string | number, unknown>)[last] = MASKED;
}

/** Who is calling, from the request context; `legacy` is what a 2025-era connection declared. */
export function identify(
  ctx: ServerContext,
  transport: ClientIdentity['transport'],
  legacy: { name?: string | undefined; capabilities?: { elicitation?: unknown } | undefined },
): ClientIdentity {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const info = envelope?.[CLIENT_INFO_META_KEY] as { name?: string } | undefined;
  const modernCaps = envelope?.[CLIENT_CAPABILITIES_META_KEY] as { elicitation?: unknown } | undefined;
  // A 2025-era connection asks through a request pushed over the connection, which a stateless
  // HTTP request cannot carry back; over stdio it can. A 2026 client answers input_required itself.
  const canElicit = modernCaps
    ? modernCaps.elicitation !== undefined
    : transport !== 'http' && legacy.capabilities?.elicitation !== undefined;
  const name = info?.name ?? legacy.name;
  const id = ctx.http?.authInfo?.clientId ?? transport;
  return name === undefined ? { id, transport, canElicit } : { id, name, transport, canElicit };
}
