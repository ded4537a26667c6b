// defineTool: a tool is a value — its effect, schemas, preview and handler. The kernel derives
// annotations, validation, dry-run, policy checks, audit, progress, cancellation and errors from it.
import type { ContentBlock } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type * as z from 'zod';

import type { Effect } from '../lib/effect.js';
import type { Preview } from '../lib/preview.js';
import type { Mode } from '../policies/modes.js';
import type { ArtifactStore } from './artifacts.js';

export interface ClientIdentity {
  /** Stable id of the caller: `stdio`, or the HTTP credential's id. */
  readonly id: string;
  readonly name?: string;
  readonly transport: 'stdio' | 'http' | 'in-process';
  /** Whether the client can ask its person a question mid-call (MCP elicitation). */
  readonly canElicit: boolean;
}

/** What every handler and preview receives besides its parsed arguments. */
export interface ToolContext {
  readonly server: string;
  readonly tool: string;
  readonly correlationId: string;
  /** Aborted when the client cancels the call or disconnects. Pass it to your own I/O. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly client: ClientIdentity;
  /** The mode this call runs under (after any per-call narrowing). */
  readonly mode: Mode;
  /** Large results go here and come back to the client as resource links. */
  readonly artifacts: ArtifactStore;
  /** Sends a progress notification when the client asked for progress; no-op otherwise. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Throws a CANCELLED HearthError when the call was cancelled. Call it between units of work. */
  throwIfCancelled(): void;
  /**
   * Declares a value secret once the tool has learnt it is one (a field the page marks as a
   * password): `arg` (e.g. `['fields', 3, 'value']`) is masked in the copy of the arguments the
   * audit log, the approval queue and the logs keep, and from now on the value is redacted from
   * every output, log line and audit row of this server (values too short to redact safely excepted,
   * see shared/redact.ts). Call it before the value could be shown.
   */
  secret(value: string, arg?: readonly (string | number)[]): void;
  /** The audit copy of the arguments (the tool's `auditArgs`, then every `secret` mask so far). */
  auditArgs(): unknown;
}

export interface ToolResult<O> {
  /** Becomes `structuredContent`; must satisfy the tool's output schema. */
  structured: O;
  /** A short human-readable rendering. Defaults to compact JSON of `structured`. */
  text?: string;
  /** Extra content blocks after the text: images, resource links. */
  content?: ContentBlock[];
}

type Shape = z.ZodObject;

interface ToolBase<I extends Shape, O extends Shape> {
  /** `<area>_<verb>`, e.g. `memory_search`. */
  name: string;
  title: string;
  /** Written for a model that has never seen Hearth: what it does, when to use it, what it returns. */
  description: string;
  input: I;
  output: O;
  /** A write that can be repeated with the same arguments without a further effect. */
  idempotent?: boolean;
  /**
   * The tool reads or acts on content from the open web (a page loaded in the browser), so a client
   * should treat what comes back as untrusted (MCP `openWorldHint`). External tools always are.
   */
  openWorld?: boolean;
  handler: (args: z.output<I>, ctx: ToolContext) => Promise<ToolResult<z.input<O>>>;
  /**
   * A copy of the arguments that is safe to log and audit (e.g. password values masked).
   * Secrets configured in policy are redacted anyway; this covers values only the tool knows are sensitive.
   */
  auditArgs?: (args: z.output<I>) => unknown;
}

export interface ReadToolDefinition<I extends Shape, O extends Shape> extends ToolBase<I, O> {
  effect: 'read';
  /**
   * The call opens or closes something later calls see (a browser session), though it changes
   * nothing a person must approve: not read-only, not idempotent, no preview.
   */
  statefulRead?: boolean;
}

export interface ChangingToolDefinition<I extends Shape, O extends Shape> extends ToolBase<I, O> {
  effect: 'write' | 'external';
  /** The call only adds (a log entry, an archive, a session): it never replaces or deletes (MCP `destructiveHint: false`). */
  additive?: boolean;
  /** What the call would do, without doing it. Must not change anything. */
  preview: (args: z.output<I>, ctx: ToolContext) => Promise<Preview>;
  /**
   * A standing approval: in draft mode, the reason the person's policy already approves this call
   * (e.g. spending that the policy's own limits hold), or undefined to ask the person as usual.
   * Observe mode and dry-runs still only preview; the audit row records the decision.
   */
  standingApproval?: (args: z.output<I>, ctx: ToolContext) => string | undefined;
}

export type ToolDefinition<I extends Shape, O extends Shape> = ReadToolDefinition<I, O> | ChangingToolDefinition<I, O>;

/** A tool with its generics erased, for registries. */
export interface Tool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly effect: Effect;
  readonly idempotent: boolean;
  readonly openWorld: boolean;
  readonly statefulRead: boolean;
  readonly additive: boolean;
  readonly input: Shape;
  readonly output: Shape;
  readonly handler: (args: unknown, ctx: ToolContext) => Promise<ToolResult<unknown>>;
  readonly preview: ((args: unknown, ctx: ToolContext) => Promise<Preview>) | undefined;
  readonly standingApproval: ((args: unknown, ctx: ToolContext) => string | undefined) | undefined;
  readonly auditArgs: ((args: unknown) => unknown) | undefined;
}

const TOOL_NAME = /^[a-z][a-z0-9]*_[a-z0-9_]+$/;

export function defineTool<I extends Shape, O extends Shape>(definition: ToolDefinition<I, O>): Tool {
  if (!TOOL_NAME.test(definition.name)) throw new Error(`tool name ${definition.name} must be <area>_<verb> in lower snake case`);
  return {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    effect: definition.effect,
    idempotent: definition.idempotent ?? definition.effect === 'read',
    openWorld: definition.openWorld ?? definition.effect === 'external',
    statefulRead: definition.effect === 'read' && definition.statefulRead === true,
    additive: definition.effect !== 'read' && definition.additive === true,
    input: definition.input,
    output: definition.output,
    handler: definition.handler as Tool['handler'],
    preview: definition.effect === 'read' ? undefined : (definition.preview as Tool['preview']),
    standingApproval: definition.effect === 'read' ? undefined : (definition.standingApproval as Tool['standingApproval']),
    auditArgs: definition.auditArgs as Tool['auditArgs'],
  };
}
