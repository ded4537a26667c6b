// llm_models: the providers and models the gateway knows — which the policy allows, whether a key is
// set (never the key), each model's price and circuit-breaker health, and the tiers.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { BudgetRuntime } from '../runtime.js';

const Model = z.object({
  model: z.string().describe('provider/model'),
  tiers: z.array(z.enum(['fast', 'smart'])),
  allowed: z.boolean().describe('The policy’s llm.providers lets it be called.'),
  usable: z.boolean(),
  reason: z.string().optional(),
  price: z
    .object({ inputPerMTok: z.number(), outputPerMTok: z.number(), source: z.enum(['override', 'table', 'local']) })
    .optional()
    .describe('US dollars per million tokens; absent when unknown (such a cloud model is never called).'),
  health: z.object({
    breaker: z
      .enum(['closed', 'open', 'half-open'])
      .describe('closed: calls go through; open: skipped; half-open: the next call is a probe.'),
    probeAt: z.string().optional().describe('When an open breaker lets a probe through.'),
    successes: z.number().int(),
    failures: z.number().int(),
    lastSuccessAt: z.string().optional(),
    lastFailureAt: z.string().optional(),
    lastFailure: z.string().optional(),
  }),
});

const Output = z.object({
  providers: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      local: z.boolean().describe('Runs on this machine: costs nothing and sends nothing away.'),
      endpoint: z.string(),
      allowed: z.boolean(),
      hasKey: z.boolean().describe('An API key is configured (the key itself is never shown).'),
    }),
  ),
  models: z.array(Model),
  tiers: z.object({ fast: z.array(z.string()), smart: z.array(z.string()) }),
});

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function modelsTool(cx: BudgetRuntime): Tool {
  return defineTool({
    name: 'llm_models',
    title: 'List LLM providers and models',
    description:
      'Lists the LLM providers and models: which the policy allows, whether a key is set, price per million tokens, circuit-breaker state, and the fast and smart tiers in the order tried.',
    effect: 'read',
    input: z.object({}),
    output: Output,
    async handler() {
      const allowed = (name: string) => cx.kernel.policy.providerAllowed(name);
      const providers = [...cx.budget.providers.values()].map((p) => ({
        name: p.name,
        kind: p.kind,
        local: p.local,
        endpoint: p.endpoint,
        allowed: allowed(p.name),
        hasKey: cx.budget.hasKey.get(p.name) ?? false,
      }));
      const byRef = new Map<string, z.infer<typeof Model>>();
      for (const c of cx.budget.gateway.candidates('auto')) {
        const seen = byRef.get(c.ref);
        if (seen) {
          if (!seen.tiers.includes(c.tier)) seen.tiers.push(c.tier);
          continue;
        }
        const why = cx.budget.gateway.unavailable(c);
        const price = cx.budget.prices.price(c.provider, c.model);
        const h = cx.budget.resilience.health(c.ref);
        byRef.set(c.ref, {
          model: c.ref,
          tiers: [c.tier],
          allowed: allowed(c.provider),
          usable: why === undefined,
          ...(why ? { reason: why } : {}),
          ...(price ? { price: { inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok, source: price.source } } : {}),
          health: {
            breaker: h.state,
            ...(h.probeAt === undefined ? {} : { probeAt: iso(h.probeAt) }),
            successes: h.successes,
            failures: h.failures,
            ...(h.lastSuccessAt === undefined ? {} : { lastSuccessAt: iso(h.lastSuccessAt) }),
            ...(h.lastFailureAt === undefined ? {} : { lastFailureAt: iso(h.lastFailureAt), lastFailure: h.lastFailure }),
          },
        });
      }
      const models = [...byRef.values()];
      const text = [
        'providers:',
        ...providers.map(
          (p) =>
            `  ${p.name} (${p.kind}${p.local ? ', local' : ''}) ${p.allowed ? 'allowed' : 'not allowed'}${p.hasKey ? ', key set' : ''} — ${p.endpoint}`,
        ),
        'models:',
        ...models.map(
          (m) =>
            `  ${m.model} [${m.tiers.join(', ')}] ${m.usable ? 'usable' : `not usable (${m.reason})`}; breaker ${m.health.breaker}; ${m.price ? `$${m.price.inputPerMTok}/$${m.price.outputPerMTok} per Mtok in/out` : 'no price'}`,
        ),
      ].join('\n');
      return {
        structured: { providers, models, tiers: { fast: cx.budget.settings.tiers.fast, smart: cx.budget.settings.tiers.smart } },
        text,
      };
    },
  });
}
