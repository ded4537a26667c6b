// The budget server's settings (`servers.budget.*` in the config): where providers listen, which
// models make up each tier, retries, breakers, time limits, price overrides and the cache. What may
// be spent and which providers may be called are the policy's (`llm`), not these.
import { isAbsolute, join } from 'node:path';

import * as z from 'zod';

import { HearthError } from '../../lib/errors.js';
import type { HearthConfig } from '../../shared/config.js';
import { serverSection } from '../../shared/config.js';

export const PROVIDER_KINDS = ['ollama', 'openai', 'anthropic', 'gemini', 'openai-compatible', 'scripted'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** `provider/model`, e.g. `ollama/llama3.2:3b`; the model part may itself contain slashes. */
export const ModelRef = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\/\S+$/, 'write a model as provider/model, e.g. ollama/llama3.2:3b or openai/gpt-4o-mini');

const int = (min: number, max: number) => z.number().int().min(min).max(max);

const ProviderEntry = z
  .object({
    kind: z
      .enum(PROVIDER_KINDS)
      .optional()
      .describe('Which wire format: ollama, openai, anthropic, gemini, openai-compatible (LM Studio, llama.cpp, vLLM) or scripted.'),
    baseUrl: z.string().url().optional().describe('Where the provider listens.'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
      .optional()
      .describe('The environment variable that holds the API key.'),
    apiKey: z.string().min(1).optional().describe('The API key itself; prefer apiKeyEnv. Either way it is redacted from every output.'),
    script: z.string().min(1).optional().describe('scripted only: the script file (absolute, or relative to the data directory).'),
    timeoutMs: int(100, 3_600_000).optional().describe('Longest one attempt at this provider may take; default timeouts.attemptMs.'),
  })
  .strict();

const Amount = z.number().nonnegative().max(100_000);
const PriceOverride = z
  .object({
    inputPerMTok: Amount.describe('US dollars per million input tokens.'),
    outputPerMTok: Amount.describe('US dollars per million output tokens.'),
  })
  .strict();

export const BudgetSettings = z
  .object({
    database: z.string().optional().describe('The ledger and cache SQLite file; default `<home>/budget.db`.'),
    providers: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a provider name is lower case letters, digits and dashes'), ProviderEntry)
      .default({})
      .describe(
        'Provider settings by name. ollama, openai, anthropic and gemini exist with their usual endpoints; add OpenAI-compatible servers under a name of your own. The policy (llm.providers) decides which may be called.',
      ),
    tiers: z
      .object({
        fast: z.array(ModelRef).min(1).default(['ollama/llama3.2:3b']).describe('Models tried in order for tier fast (local first).'),
        smart: z.array(ModelRef).min(1).default(['ollama/qwen2.5:14b']).describe('Models tried in order for tier smart.'),
      })
      .strict()
      .prefault({}),
    prices: z
      .record(ModelRef, PriceOverride)
      .default({})
      .describe(
        'Price overrides by provider/model. Otherwise prices come from the offline @pydantic/genai-prices table; local providers cost 0.',
      ),
    defaultMaxTokens: int(1, 1_000_000).default(1024).describe('Answer length when a call does not say (maxTokens).'),
    maxTokens: int(1, 1_000_000).default(32_768).describe('The largest maxTokens a call may ask for.'),
    retry: z
      .object({
        attempts: int(1, 10).default(3).describe('Attempts per model, the first included, before falling back to the next model.'),
        initialDelayMs: int(0, 60_000).default(200).describe('First backoff; later ones grow exponentially, with jitter.'),
        maxDelayMs: int(0, 600_000).default(5_000).describe('Longest backoff between attempts.'),
        maxRetryAfterMs: int(0, 600_000)
          .default(20_000)
          .describe('A Retry-After longer than this moves on to the next model instead of waiting.'),
      })
      .strict()
      .prefault({}),
    breaker: z
      .object({
        failures: int(1, 1000).default(5).describe('Consecutive failures of one provider+model that open its circuit.'),
        halfOpenAfterMs: int(10, 3_600_000)
          .default(30_000)
          .describe('How long an open circuit waits before letting one probe call through.'),
      })
      .strict()
      .prefault({}),
    timeouts: z
      .object({
        attemptMs: int(100, 3_600_000).default(120_000).describe('Longest one attempt may take, first byte to last.'),
        idleMs: int(50, 600_000).default(30_000).describe('A stream that sends nothing for this long is treated as stalled.'),
        holdGraceMs: int(0, 3_600_000)
          .default(60_000)
          .describe('A hold outlives its attempt by this long before it is settled at its reserved amount (a call whose process died).'),
      })
      .strict()
      .prefault({}),
    auto: z
      .object({
        minConfidence: z
          .number()
          .min(0)
          .max(1)
          .default(0.5)
          .describe('tier auto: a structured answer whose top-level `confidence` is below this goes to the smart tier.'),
      })
      .strict()
      .prefault({}),
    cache: z
      .object({
        ttlSeconds: int(1, 31_536_000).default(604_800).describe('How long a cached answer is reused.'),
        maxEntries: int(0, 10_000_000).default(10_000).describe('Cached answers kept; the oldest go first.'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

type Parsed = z.infer<typeof BudgetSettings>;

export interface ProviderSettings {
  name: string;
  kind: ProviderKind;
  baseUrl: string | undefined;
  apiKeyEnv: string | undefined;
  apiKey: string | undefined;
  script: string | undefined;
  timeoutMs: number;
}

export interface ResolvedBudgetSettings extends Omit<Parsed, 'providers' | 'database'> {
  database: string;
  providers: Record<string, ProviderSettings>;
}

const BUILT_IN: Record<string, { kind: ProviderKind; baseUrl?: string; apiKeyEnv?: string }> = {
  ollama: { kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' },
  openai: { kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
  anthropic: { kind: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKeyEnv: 'ANTHROPIC_API_KEY' },
  gemini: { kind: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', apiKeyEnv: 'GEMINI_API_KEY' },
  scripted: { kind: 'scripted' },
};

function invalid(field: string, problem: string, hint: string): HearthError {
  return new HearthError('CONFIG_INVALID', `configuration: servers.budget.${field}: ${problem}`, hint);
}

/** The settings with every provider resolved: built-in defaults merged under what the config says. */
export function resolveSettings(parsed: Parsed, home: string): ResolvedBudgetSettings {
  const names = new Set([...Object.keys(BUILT_IN), ...Object.keys(parsed.providers)]);
  const providers: Record<string, ProviderSettings> = {};
  for (const name of names) {
    const given = parsed.providers[name] ?? {};
    const base = BUILT_IN[name];
    const kind = given.kind ?? base?.kind;
    if (!kind)
      throw invalid(`providers.${name}.kind`, 'missing', `Say which wire format ${name} speaks, e.g. "kind": "openai-compatible".`);
    const baseUrl = given.baseUrl ?? (base?.kind === kind ? base.baseUrl : undefined);
    if (kind !== 'scripted' && !baseUrl)
      throw invalid(`providers.${name}.baseUrl`, 'missing', `Give the address ${name} listens on, e.g. http://127.0.0.1:1234/v1.`);
    if (kind === 'scripted' && given.script === undefined && parsed.providers[name] !== undefined)
      throw invalid(`providers.${name}.script`, 'missing', 'A scripted provider answers from a script file: give its path.');
    providers[name] = {
      name,
      kind,
      baseUrl,
      apiKeyEnv: given.apiKeyEnv ?? (base?.kind === kind ? base.apiKeyEnv : undefined),
      apiKey: given.apiKey,
      script: given.script === undefined ? undefined : isAbsolute(given.script) ? given.script : join(home, given.script),
      timeoutMs: given.timeoutMs ?? parsed.timeouts.attemptMs,
    };
  }
  for (const tier of ['fast', 'smart'] as const) {
    parsed.tiers[tier].forEach((ref, i) => {
      const provider = ref.slice(0, ref.indexOf('/'));
      if (!providers[provider])
        throw invalid(
          `tiers.${tier}.${i}`,
          `${ref} names a provider that is not configured`,
          `Use one of ${[...names].join(', ')}, or add ${provider} under servers.budget.providers.`,
        );
    });
  }
  const { providers: _given, database, ...rest } = parsed;
  return { ...rest, database: database ?? join(home, 'budget.db'), providers };
}

export function budgetSettings(config: HearthConfig): ResolvedBudgetSettings {
  return resolveSettings(serverSection(config, 'budget', BudgetSettings), config.home);
}
