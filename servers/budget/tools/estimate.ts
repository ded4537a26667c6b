// llm_estimate: what a request would take — tokens and cost per candidate model, in the order the
// gateway would try them, and whether each fits the budget now. Calls no model, spends nothing.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import { describeRefusal, formatAmounts } from '../describe-limit.js';
import { formatUsd } from '../money.js';
import type { BudgetRuntime } from '../runtime.js';
import { countInput } from '../tokens.js';
import { AmountsOut, amountsOut, limitsFromArg, requestShape } from './common.js';

const Candidate = z.object({
  model: z.string().describe('provider/model'),
  tier: z.enum(['fast', 'smart']),
  usable: z.boolean().describe('The gateway would call it now (allowed, configured, priced, breaker not open).'),
  reason: z.string().optional().describe('Why it is not usable.'),
  price: z
    .object({
      inputPerMTok: z.number().describe('US dollars per million input tokens.'),
      outputPerMTok: z.number(),
      source: z.enum(['override', 'table', 'local']),
    })
    .optional(),
  worstCase: AmountsOut.optional().describe('What one attempt reserves: counted input + maxTokens, priced; its time limit.'),
  typicalUsd: z.string().optional().describe('Typical input (about 4 bytes a token) plus a full-length answer.'),
  fits: z.boolean().optional().describe('The worst case fits every limit now.'),
  refusal: z.string().optional().describe('Which limit it would break, and when that limit resets.'),
});

const Output = z.object({
  inputTokens: z.object({
    bound: z.number().int().describe('No tokenizer counts more; this is what the budget reserves.'),
    typical: z.number().int().describe('What it usually is.'),
  }),
  maxTokens: z.number().int(),
  candidates: z.array(Candidate),
  first: z.string().optional().describe('The model the gateway would try first.'),
});

export function estimateTool(cx: BudgetRuntime): Tool {
  const Input = z.object(requestShape(cx.budget.settings, { brief: true }));
  return defineTool({
    name: 'llm_estimate',
    title: 'Estimate an LLM call',
    description:
      'Estimates an llm_generate call without calling a model: input tokens, and for each model in the order tried, whether it is callable, its price, the worst case it reserves, a typical cost and whether that fits every limit now.',
    effect: 'read',
    input: Input,
    output: Output,
    async handler(args) {
      const input = countInput(args.messages, args.tools, args.schema);
      const callLimits = args.task === undefined ? (limitsFromArg(args.limits) ?? {}) : {};
      const tz = cx.budget.ledger.calendar.timeZone;
      const candidates = cx.budget.gateway.candidates(args.tier).map((c): z.infer<typeof Candidate> => {
        const why = cx.budget.gateway.unavailable(c);
        const price = cx.budget.prices.price(c.provider, c.model);
        const base = {
          model: c.ref,
          tier: c.tier,
          usable: why === undefined,
          ...(why ? { reason: why } : {}),
          ...(price ? { price: { inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok, source: price.source } } : {}),
        };
        if (!price) return base;
        const worst = cx.budget.gateway.worstCase(c, input, args.maxTokens);
        const refusal = cx.budget.ledger.wouldRefuse(args.task, worst, callLimits);
        const typical = cx.budget.prices.cost(c.provider, c.model, input.typical, args.maxTokens) ?? 0;
        return {
          ...base,
          worstCase: amountsOut(worst),
          typicalUsd: formatUsd(typical),
          fits: refusal === undefined,
          ...(refusal ? { refusal: describeRefusal(refusal, tz) } : {}),
        };
      });
      const first = candidates.find((c) => c.usable && c.fits !== false)?.model;
      const lines = candidates.map(
        (c) =>
          `${c.model} (${c.tier}): ${c.usable ? '' : `not usable — ${c.reason}; `}${c.worstCase ? `worst case ${formatAmounts({ micros: c.worstCase.usdMicros, tokens: c.worstCase.tokens, ms: c.worstCase.seconds * 1000 })}, typical ${c.typicalUsd}` : 'no price'}${c.refusal ? ` — ${c.refusal}` : ''}`,
      );
      return {
        structured: { inputTokens: input, maxTokens: args.maxTokens, candidates, ...(first ? { first } : {}) },
        text: [`input ≤ ${input.bound} tokens (typically ${input.typical}); answer ≤ ${args.maxTokens} tokens`, ...lines].join('\n'),
      };
    },
  });
}
