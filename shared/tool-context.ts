// The ToolContext a handler and a preview receive: progress, cancellation, artifacts, and the audit
// copy of the call's arguments with the secrets the tool learns masked in it.
import { SdkError, SdkErrorCode, type ServerContext } from '@modelcontextprotocol/server';

import { describeError, HearthError } from '../lib/errors.js';
import type { Mode } from '../policies/modes.js';
import type { Kernel } from './kernel.js';
import type { ClientIdentity, ToolContext } from './tool.js';

/** What a masked argument shows in logs, the audit and the approval queue. */
export const MASKED = '••••';

export interface ContextInput {
  tool: string;
  correlationId: string;
  client: ClientIdentity;
  mode: Mode;
  log: ToolContext['log'];
  /** The call's private audit copy of its arguments: `secret` masks in place. */
  auditArgs: unknown;
  /** A keyed write or external call: it runs on when its client's connection closes (see `outlastingClose`). */
  keyed: boolean;
}

export function toolContext(kernel: Kernel, ctx: ServerContext, input: ContextInput): ToolContext {
  const token = ctx.mcpReq._meta?.progressToken;
  let last = -Infinity;
  const signal = input.keyed ? outlastingClose(ctx.mcpReq.signal) : ctx.mcpReq.signal;
  return {
    server: kernel.server,
    tool: input.tool,
    correlationId: input.correlationId,
    signal,
    log: input.log,
    client: input.client,
    mode: input.mode,
    artifacts: kernel.artifacts,
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
            ...(message === undefined ? {} : { message: kernel.redactor.text(message) }),
          },
        });
      } catch (error) {
        input.log.debug({ err: describeError(error) }, 'progress notification not delivered');
      }
    },
    throwIfCancelled: () => {
      if (signal.aborted)
        throw new HearthError('CANCELLED', `${input.tool} was cancelled`, 'Nothing more was done after the cancellation.');
    },
    secret: (value, arg) => {
      if (arg) maskPath(input.auditArgs, arg);
      kernel.redactor.add(value);
    },
    auditArgs: () => input.auditArgs,
  };
}

/**
 * The signal a keyed write or external call runs under: it follows the client's cancellation, but
 * not the connection closing (a killed plan server, a dropped HTTP request). Stopped there, a call
 * that had already reached the outside world would leave its key's outcome unknown; run to the end,
 * its result is recorded under the key and the caller's retry replays it.
 */
function outlastingClose(source: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const follow = () => {
    const closed = source.reason instanceof SdkError && source.reason.code === SdkErrorCode.ConnectionClosed;
    if (!closed) controller.abort(source.reason);
  };
  if (source.aborted) follow();
  else source.addEventListener('abort', follow, { once: true });
  return controller.signal;
}

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
