// The provider-neutral conversation: what a client sends to llm_generate and what every provider
// adapter translates to its own wire format. Shaped for a client's own tool loop: assistant turns
// carry tool calls, tool turns carry their results, tools are declared with JSON Schema.
import * as z from 'zod';

const JsonObject = z.record(z.string(), z.unknown());

export const ToolCall = z
  .object({
    id: z.string().min(1).max(200).describe('The call id; a tool result answers it by this id.'),
    name: z.string().min(1).max(64).describe('The tool the model wants to call.'),
    arguments: JsonObject.describe('The arguments, as a JSON object.'),
  })
  .strict();
export type ToolCall = z.infer<typeof ToolCall>;

const MAX_TEXT = 2_000_000;

export const ChatMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string().max(MAX_TEXT).describe('Instructions for the model.') }).strict(),
  z.object({ role: z.literal('user'), content: z.string().max(MAX_TEXT) }).strict(),
  z
    .object({
      role: z.literal('assistant'),
      content: z.string().max(MAX_TEXT).default('').describe('What the model said.'),
      toolCalls: z.array(ToolCall).max(64).default([]).describe('Tool calls as llm_generate returned them.'),
    })
    .strict(),
  z
    .object({
      role: z.literal('tool'),
      toolCallId: z.string().min(1).max(200).describe('The id of the tool call this result answers.'),
      name: z.string().min(1).max(64).optional().describe('The tool’s name; found from the matching call when left out.'),
      content: z.string().max(MAX_TEXT).describe('The tool’s result as text (JSON is fine).'),
    })
    .strict(),
]);
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ToolSpec = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and -, starting with a letter or _, at most 64 characters')
      .describe('The tool name the model will call.'),
    description: z.string().max(10_000).default('').describe('What the tool does, for the model.'),
    parameters: JsonObject.default({ type: 'object', properties: {} }).describe('JSON Schema of the arguments (an object schema).'),
  })
  .strict();
export type ToolSpec = z.infer<typeof ToolSpec>;

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

/** A tool result's tool name: its own, else the name of the assistant call it answers. */
export function toolNameFor(messages: readonly ChatMessage[], index: number): string {
  const message = messages[index];
  if (message?.role !== 'tool') return '';
  if (message.name) return message.name;
  for (let i = index - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant') {
      const call = m.toolCalls.find((c) => c.id === message.toolCallId);
      if (call) return call.name;
    }
  }
  return 'tool';
}
