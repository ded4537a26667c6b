// Structured answers: the client's JSON Schema is compiled once (zod reads JSON Schema), the model's
// answer is parsed and validated, and a failed answer gets one repair round that shows the model
// exactly what was wrong.
import * as z from 'zod';

import { invalidArgument } from '../../lib/errors.js';
import type { ChatMessage } from './messages.js';

export interface Validator {
  check(text: string): { ok: true; value: unknown } | { ok: false; problems: string[] };
}

export function compileSchema(schema: Record<string, unknown>): Validator {
  let compiled: z.ZodType;
  try {
    compiled = z.fromJSONSchema(schema);
  } catch (error) {
    throw invalidArgument(
      'schema',
      `not a JSON Schema Hearth can check answers against (${(error as Error).message.split('\n')[0]})`,
      'Pass a JSON Schema object, e.g. {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}.',
    );
  }
  return {
    check(text) {
      let value: unknown;
      try {
        value = JSON.parse(stripFence(text));
      } catch {
        return { ok: false, problems: ['the answer is not valid JSON'] };
      }
      const result = compiled.safeParse(value);
      if (result.success) return { ok: true, value: result.data };
      return {
        ok: false,
        problems: result.error.issues.slice(0, 10).map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`),
      };
    },
  };
}

/** Models often wrap JSON in a Markdown code fence even when asked not to. */
function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return fenced ? fenced[1]! : text;
}

/** The conversation for the one repair round: the bad answer and what is wrong with it. */
export function repairMessages(messages: readonly ChatMessage[], answer: string, problems: readonly string[]): ChatMessage[] {
  return [
    ...messages,
    { role: 'assistant', content: answer, toolCalls: [] },
    {
      role: 'user',
      content: `Your answer does not match the required JSON Schema:\n- ${problems.join('\n- ')}\nReply again with only the corrected JSON, nothing else.`,
    },
  ];
}

/** The top-level `confidence` a structured answer reports, when it has one (0 to 1). */
export function reportedConfidence(value: unknown): number | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const c = (value as Record<string, unknown>).confidence;
  return typeof c === 'number' && Number.isFinite(c) ? c : undefined;
}
