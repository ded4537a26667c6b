// Counting a request's input tokens without each model's tokenizer. The budget needs a number the
// real count can never exceed: every tokenizer the providers use (byte-level BPE, SentencePiece
// with byte fallback) spends at least one byte per token, so the UTF-8 length is an upper bound.
// Added on top: the chat template's tokens per message, and the hidden prompt providers insert when
// tools or a JSON schema are given. The typical figure (about four bytes a token) is for estimates.
import type { ChatMessage, ToolSpec } from './messages.js';

const PER_MESSAGE = 8; // role markers and separators of a chat template
const PER_REQUEST = 16;
const TOOLS_PROMPT = 600; // providers wrap tool definitions in a system prompt of their own
const SCHEMA_PROMPT = 300;
const BYTES_PER_TOKEN_TYPICAL = 4;

export interface InputCount {
  /** No tokenizer can count more than this. Reserved against the budget. */
  bound: number;
  /** What it will usually be; for estimates only. */
  typical: number;
}

export function countInput(messages: readonly ChatMessage[], tools: readonly ToolSpec[], schema: unknown): InputCount {
  let bytes = 0;
  for (const m of messages) {
    bytes += Buffer.byteLength(m.content);
    if (m.role === 'assistant')
      for (const call of m.toolCalls) bytes += Buffer.byteLength(call.name) + Buffer.byteLength(JSON.stringify(call.arguments)) + 8;
    if (m.role === 'tool') bytes += Buffer.byteLength(m.toolCallId) + (m.name ? Buffer.byteLength(m.name) : 0);
  }
  if (tools.length) bytes += Buffer.byteLength(JSON.stringify(tools));
  if (schema !== undefined) bytes += Buffer.byteLength(JSON.stringify(schema));
  const overhead =
    PER_REQUEST + PER_MESSAGE * messages.length + (tools.length ? TOOLS_PROMPT : 0) + (schema !== undefined ? SCHEMA_PROMPT : 0);
  return { bound: bytes + overhead, typical: Math.ceil(bytes / BYTES_PER_TOKEN_TYPICAL) + overhead };
}

/** Output tokens for text that streamed before a call stopped: the same byte bound, capped at what was allowed. */
export function outputBound(streamedBytes: number, maxTokens: number): number {
  return Math.min(maxTokens, streamedBytes);
}
