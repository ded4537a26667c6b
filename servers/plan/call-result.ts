// What a step's tool call came back with, read from the MCP result: its output, or its error with
// the stable code (and, for Hearth servers, the approval it waits for, or an outcome nobody knows).
import type { CallToolResult } from '@modelcontextprotocol/client';

import { type DryRunResult, Preview } from '../../lib/preview.js';

export interface StepError {
  code: string;
  message: string;
  hint?: string | undefined;
  approvalId?: string | undefined;
  outcomeUnknown?: boolean | undefined;
  /** The call failed on the way (connection lost, timeout): it may or may not have reached the server. */
  transport?: boolean | undefined;
}

export type CallOutcome =
  | { ok: true; output: unknown; text: string; replayed: boolean; preview?: Preview | undefined }
  | { ok: false; error: StepError; text: string };

function textOf(result: CallToolResult): string {
  return result.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

export function readResult(result: CallToolResult): CallOutcome {
  const text = textOf(result);
  const structured = result.structuredContent as Record<string, unknown> | undefined;
  if (result.isError) {
    const raw = (structured?.error ?? {}) as Record<string, unknown>;
    const approval = structured?.approval as { id?: string } | undefined;
    return {
      ok: false,
      text,
      error: {
        code: typeof raw.code === 'string' ? raw.code : 'TOOL_ERROR',
        message: typeof raw.message === 'string' ? raw.message : text.slice(0, 500) || 'the tool reported an error',
        hint: typeof raw.hint === 'string' ? raw.hint : undefined,
        approvalId: typeof raw.approvalId === 'string' ? raw.approvalId : approval?.id,
        outcomeUnknown: raw.outcomeUnknown === true ? true : undefined,
      },
    };
  }
  const dry = structured as Partial<DryRunResult> | undefined;
  const preview = dry?.dryRun === true ? Preview.safeParse(dry.preview) : undefined;
  return {
    ok: true,
    output: structured ?? { text },
    text,
    replayed: result._meta?.['hearth/replayed'] === true,
    ...(preview?.success ? { preview: preview.data } : {}),
  };
}
