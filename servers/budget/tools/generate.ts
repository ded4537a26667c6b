// llm_generate: one model answer within the person's budgets, usable as the model call of a
// client's own tool loop. Its effect is `external` — it may spend money and send the conversation
// to a provider — so it previews what it would cost and where it would go. In draft mode it needs
// no per-call approval while the policy's `llm.approval` is `within-limits`: the person approved
// the spending envelope (allowed providers and limits) when they wrote the policy, and the ledger
// holds every call inside it.
import * as z from 'zod';

import type { Preview } from '../../../lib/preview.js';
import { defineTool, type Tool, type ToolContext } from '../../../shared/tool.js';
import { formatAmounts } from '../describe-limit.js';
import type { GenerateResult } from '../gateway.js';
import { ToolCall } from '../messages.js';
import { formatUsd } from '../money.js';
import type { BudgetRuntime } from '../runtime.js';
import { countInput } from '../tokens.js';
import { limitsFromArg, LimitsOut, limitsOut, requestShape } from './common.js';

const Attempt = z.object({
  model: z.string().describe('provider/model'),
  tier: z.enum(['fast', 'smart']),
  outcome: z.enum(['ok', 'failed', 'invalid', 'low-confidence', 'refused', 'skipped', 'cancelled']),
  reason: z.string().optional(),
  ms: z.number().optional(),
  usdMicros: z.number().int().optional(),
});

const Output = z.object({
  text: z.string().describe('The answer text (empty when the model only called tools).'),
  toolCalls: z.array(ToolCall).describe('Tools the model asks you to call; answer each with a tool message carrying its id.'),
  json: z.unknown().optional().describe('The parsed structured answer, when a schema was given.'),
  finishReason: z.enum(['stop', 'length', 'tool_calls', 'content_filter', 'other']),
  provider: z.string(),
  model: z.string(),
  tier: z.enum(['fast', 'smart']).describe('The tier of the model that answered.'),
  scripted: z.boolean().describe('True when the answer came from a script file (the scripted provider), not from a model.'),
  script: z.object({ file: z.string(), turn: z.number().int() }).optional().describe('Which script and turn answered.'),
  cached: z.boolean().describe('Served from the answer cache; it cost nothing.'),
  usage: z.object({
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    estimated: z.boolean().describe('The provider reported no counts; these are Hearth’s upper bounds.'),
  }),
  cost: z.object({ usd: z.string(), usdMicros: z.number().int() }).describe('What this call spent, every attempt included.'),
  attempts: z.array(Attempt).describe('Each model tried, in order, and what happened.'),
  escalated: z.string().optional().describe('Why tier auto went on to the smart tier.'),
  steppedDown: z.string().optional().describe('Why a fast answer was kept although the smart tier was wanted.'),
  budget: z
    .array(z.object({ scope: z.enum(['day', 'month', 'task']), left: LimitsOut, resetsAt: z.string().optional() }))
    .describe('What is left after this call.'),
});

function render(result: GenerateResult): string {
  const head = [
    `${result.scripted ? '[scripted answer] ' : ''}${result.provider}/${result.model} (${result.tier}${result.cached ? ', cached' : ''}): ${formatUsd(result.micros)}`,
  ];
  if (result.escalated) head.push(`escalated: ${result.escalated}`);
  if (result.steppedDown) head.push(`stepped down: ${result.steppedDown}`);
  const calls = result.toolCalls.map((c) => `→ ${c.name}(${JSON.stringify(c.arguments)}) [${c.id}]`);
  return [...head, '', result.text, ...calls].join('\n').trim();
}

export function generateTool(cx: BudgetRuntime): Tool {
  const Input = z.object({
    ...requestShape(cx.budget.settings),
    temperature: z.number().min(0).max(2).optional().describe('Sampling temperature; 0 also turns the answer cache on.'),
    toolChoice: z
      .enum(['auto', 'none', 'required'])
      .default('auto')
      .describe('auto: the model decides; none: no tool calls; required: it must call one.'),
    cache: z.boolean().optional().describe('Reuse an identical earlier answer (default: on when temperature is 0). A hit costs nothing.'),
  });
  type Args = z.output<typeof Input>;

  async function preview(args: Args): Promise<Preview> {
    const input = countInput(args.messages, args.tools, args.schema);
    const candidates = cx.budget.gateway.candidates(args.tier);
    const lines = candidates.map((c) => {
      const why = cx.budget.gateway.unavailable(c);
      if (why) return `${c.ref} (${c.tier}): skipped — ${why}`;
      const worst = cx.budget.gateway.worstCase(c, input, args.maxTokens);
      const refusal = cx.budget.ledger.wouldRefuse(args.task, worst, args.task === undefined ? (limitsFromArg(args.limits) ?? {}) : {});
      return `${c.ref} (${c.tier}): worst case ${formatAmounts(worst)}${refusal ? ' — does not fit the budget now' : ''}`;
    });
    const first = candidates.find((c) => !cx.budget.gateway.unavailable(c));
    const last = args.messages[args.messages.length - 1]!;
    return {
      summary: first
        ? `Ask ${first.ref} (then the others in order if it fails) for an answer of at most ${args.maxTokens} tokens; worst case ${formatUsd(cx.budget.gateway.worstCase(first, input, args.maxTokens).micros)}${args.task ? `, charged to task ${args.task}` : ''}`
        : `No model of tier ${args.tier} can be called now`,
      changes: [
        ...(first
          ? [
              {
                kind: 'request' as const,
                method: 'POST',
                url: cx.budget.providers.get(first.provider)!.endpoint,
                body: `${args.messages.length} messages, about ${input.typical} tokens; last: ${last.role}: ${last.content.slice(0, 300)}`,
              },
            ]
          : []),
        { kind: 'note', text: `Models in order:\n${lines.join('\n')}` },
      ],
    };
  }

  return defineTool({
    name: 'llm_generate',
    title: 'Generate with an LLM within budget',
    description:
      'Gets one answer from a language model: local models first, cloud only where the policy allows, never beyond the budgets. With tools, the model’s calls come back in toolCalls; run them and send tool messages next call. Text streams as progress; cancelling stops the model. Returns the text, model, usage and cost.',
    effect: 'external',
    input: Input,
    output: Output,
    preview: async (args) => preview(args),
    standingApproval: () =>
      cx.kernel.policy.policy.llm.approval === 'within-limits' ? `the policy's llm limits (${cx.kernel.policy.source})` : undefined,
    auditArgs: (args) => ({
      ...args,
      // The conversation can be long; the audit keeps its shape and the last message.
      messages: `${args.messages.length} messages; last ${args.messages[args.messages.length - 1]!.role}: ${args.messages[args.messages.length - 1]!.content.slice(0, 500)}`,
    }),
    async handler(args, ctx: ToolContext) {
      let streamed = 0;
      let progress: Promise<void> = Promise.resolve();
      const send = (message: string) => {
        streamed += message.length;
        const at = streamed;
        progress = progress.then(() => ctx.progress(at, undefined, message));
      };
      const result = await cx.budget.gateway.generate(
        {
          messages: args.messages,
          tier: args.tier,
          maxTokens: args.maxTokens,
          temperature: args.temperature,
          schema: args.schema,
          tools: args.tools,
          toolChoice: args.toolChoice,
          task: args.task,
          limits: limitsFromArg(args.limits),
          cache: args.cache,
          correlationId: ctx.correlationId,
        },
        ctx.signal,
        { text: send, restart: (message) => send(`\n[${message}]\n`) },
      );
      await progress;
      const budget = cx.budget.ledger
        .status(args.task)
        .filter((s) => s.scope !== 'call')
        .map((s) => ({
          scope: s.scope as 'day' | 'month' | 'task',
          left: limitsOut(s.left),
          ...(s.resetsAt === undefined ? {} : { resetsAt: new Date(s.resetsAt).toISOString() }),
        }));
      const { micros, attempts, ...rest } = result;
      return {
        structured: {
          ...rest,
          cost: { usd: formatUsd(micros), usdMicros: micros },
          attempts: attempts.map(({ micros: m, ...a }) => ({ ...a, ...(m === undefined ? {} : { usdMicros: m }) })),
          budget,
        },
        text: render(result),
      };
    },
  });
}
