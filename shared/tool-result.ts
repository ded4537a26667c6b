// The two shapes a tool call answers with: a success (text first, then extra blocks, with the
// structured result) and a tool error (`Error CODE: message` / `Hint: …`, the error as structured
// content). Anything thrown that is not a HearthError becomes INTERNAL with a one-line message.
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/server';

import { describeError, HearthError, isHearthError } from '../lib/errors.js';
import { truncate } from './output.js';
import type { ToolResult } from './tool.js';

const MAX_TEXT_CHARS = 50_000;

export function successResult(result: ToolResult<unknown>): CallToolResult {
  const text = truncate(result.text ?? JSON.stringify(result.structured), MAX_TEXT_CHARS, 'the full result is in structuredContent').text;
  const content: ContentBlock[] = [{ type: 'text', text }, ...(result.content ?? [])];
  return { content, structuredContent: result.structured };
}

export function errorResult(error: HearthError, extra: Record<string, unknown> = {}): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `Error ${error.code}: ${error.message}\nHint: ${error.hint}` }],
    structuredContent: { error: error.toJSON(), ...extra },
  };
}

export function toHearthError(error: unknown): HearthError {
  if (isHearthError(error)) return error;
  return new HearthError(
    'INTERNAL',
    `the tool failed unexpectedly: ${describeError(error)}`,
    'This is a bug in Hearth. The server keeps running; the details are in its log under this correlation id.',
  );
}
