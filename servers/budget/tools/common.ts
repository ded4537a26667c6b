// What the budget tools share: the request arguments common to llm_generate and llm_estimate, and
// the shapes (and text) of amounts and limits in results.
import * as z from 'zod';

import { listedAs } from '../../../shared/listed-as.js';
import type { Amounts, Limits } from '../ledger/amounts.js';
import { ChatMessage, ToolSpec } from '../messages.js';
import { formatUsd, usdToMicros } from '../money.js';
import type { ResolvedBudgetSettings } from '../settings.js';

export const TaskArg = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.:@/-]+$/, 'letters, digits and . _ : @ / - only')
  .describe('Task id to charge the spend to (its limits apply).');

export const LimitsArg = z
  .object({
    usd: z.number().nonnegative().max(1_000_000).optional().describe('US dollars.'),
    tokens: z.number().int().nonnegative().optional().describe('Input plus output tokens.'),
    seconds: z.number().nonnegative().optional().describe('Seconds of model time.'),
  })
  .strict()
  .describe('Tighter limits (never looser than the policy): for the task from now on, or for this call without one.');
export type LimitsArg = z.infer<typeof LimitsArg>;

export function limitsFromArg(arg: LimitsArg | undefined): Limits | undefined {
  if (!arg) return undefined;
  const out: Limits = {};
  if (arg.usd !== undefined) out.micros = usdToMicros(arg.usd);
  if (arg.tokens !== undefined) out.tokens = arg.tokens;
  if (arg.seconds !== undefined) out.ms = Math.round(arg.seconds * 1000);
  return out;
}

/**
 * How the message and tool lists are advertised: one object per message with the fields of every
 * role (the description says which role takes which), instead of the four-way union the dispatcher
 * validates, which costs a conversation three times the bytes for the same meaning.
 */
const MESSAGES_LISTING = {
  type: 'array',
  minItems: 1,
  maxItems: 2_000,
  items: {
    type: 'object',
    properties: {
      role: { type: 'string', enum: ['system', 'user', 'assistant', 'tool'] },
      content: { type: 'string' },
      toolCalls: { type: 'array', items: { type: 'object' } },
      toolCallId: { type: 'string' },
      name: { type: 'string' },
    },
    required: ['role'],
    additionalProperties: false,
  },
};
const TOOLS_LISTING = {
  type: 'array',
  maxItems: 128,
  items: {
    type: 'object',
    properties: { name: { type: 'string' }, description: { type: 'string' }, parameters: { type: 'object' } },
    required: ['name'],
    additionalProperties: false,
  },
};

/**
 * The parts of a model request that llm_generate and llm_estimate share. llm_estimate lists the
 * structured ones as "as in llm_generate" (`brief`): the model reads both tools in one list, so the
 * full shape once is enough; the dispatcher validates both the same way.
 */
export function requestShape(settings: ResolvedBudgetSettings, options: { brief?: boolean } = {}) {
  // Listed as a pointer to llm_generate only while llm_generate is in the same list (shared/listed-as.ts).
  const asInGenerate = <T extends z.ZodType>(schema: T, listing: Record<string, unknown>): T =>
    options.brief ? listedAs(schema, { ...listing, description: 'As in llm_generate.' }, { sibling: 'llm_generate' }) : schema;
  const TIERS = ['fast', 'smart', 'auto'] as const;
  return {
    messages: asInGenerate(
      listedAs(
        z
          .array(ChatMessage)
          .min(1)
          .max(2_000)
          .describe(
            'The conversation, oldest first: system/user {content}; assistant {content, toolCalls} as returned; tool {toolCallId, content, name?} answering a call.',
          ),
        MESSAGES_LISTING,
      ),
      { type: 'array' },
    ),
    tier: asInGenerate(z.enum(TIERS).default('auto').describe('fast or smart models; auto: fast first, smart when that fails.'), {
      type: 'string',
      enum: TIERS,
    }),
    maxTokens: asInGenerate(
      z
        .number()
        .int()
        .min(1)
        .max(settings.maxTokens)
        .default(settings.defaultMaxTokens)
        .describe('Longest answer in tokens (reserved before the call).'),
      { type: 'integer', minimum: 1, maximum: settings.maxTokens },
    ),
    schema: asInGenerate(
      z.record(z.string(), z.unknown()).optional().describe('JSON Schema the answer must match; returned parsed as `json`.'),
      { type: 'object' },
    ),
    tools: asInGenerate(
      listedAs(
        z
          .array(ToolSpec)
          .max(128)
          .default([])
          .describe('Tools the model may call, {name, description, parameters: JSON Schema}; calls come back in `toolCalls`.'),
        TOOLS_LISTING,
      ),
      { type: 'array' },
    ),
    task: TaskArg.optional(),
    limits: asInGenerate(LimitsArg.optional(), { type: 'object' }),
  };
}

export const AmountsOut = z.object({
  usd: z.string().describe('Money, formatted.'),
  usdMicros: z.number().int().describe('Money in micro-dollars (1 µ$ = $0.000001).'),
  tokens: z.number().int(),
  seconds: z.number(),
});

export const LimitsOut = z.object({
  usd: z.string().optional(),
  usdMicros: z.number().int().optional(),
  tokens: z.number().int().optional(),
  seconds: z.number().optional(),
});

export function amountsOut(a: Amounts): z.infer<typeof AmountsOut> {
  return { usd: formatUsd(a.micros), usdMicros: a.micros, tokens: a.tokens, seconds: a.ms / 1000 };
}

export function limitsOut(l: Limits): z.infer<typeof LimitsOut> {
  return {
    ...(l.micros === undefined ? {} : { usd: formatUsd(l.micros), usdMicros: l.micros }),
    ...(l.tokens === undefined ? {} : { tokens: l.tokens }),
    ...(l.ms === undefined ? {} : { seconds: l.ms / 1000 }),
  };
}
