// What a model costs, in micro-dollars: an override from the config, else the offline price table
// of `@pydantic/genai-prices`, else nothing for providers that run on this machine. A cloud model
// with no known price cannot be budgeted, so the gateway refuses it rather than guess.
import { createRequire } from 'node:module';

import type { calcPrice as CalcPrice } from '@pydantic/genai-prices';

import { costToMicros } from './money.js';
import type { ProviderKind } from './settings.js';

export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
  source: 'override' | 'table' | 'local';
  /** The table prices this model in tiers or by date; costs are computed by the table each time. */
  tiered: boolean;
}

// The price table's provider ids for the clouds Hearth speaks to.
const TABLE_PROVIDER: Partial<Record<ProviderKind, string>> = { openai: 'openai', anthropic: 'anthropic', gemini: 'google' };

// The price table is a large module; it loads the first time a cloud model is priced.
const requireFromHere = createRequire(import.meta.url);

export class PriceBook {
  private readonly memo = new Map<string, Price | null>();
  private table: typeof CalcPrice | undefined;

  private get calcPrice(): typeof CalcPrice {
    this.table ??= (requireFromHere('@pydantic/genai-prices') as { calcPrice: typeof CalcPrice }).calcPrice;
    return this.table;
  }

  constructor(
    private readonly overrides: Record<string, { inputPerMTok: number; outputPerMTok: number }>,
    private readonly kindOf: (provider: string) => ProviderKind | undefined,
  ) {}

  /** The price of `provider/model`, or undefined when nobody knows it. */
  price(provider: string, model: string): Price | undefined {
    const key = `${provider}/${model}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.lookup(provider, model);
    this.memo.set(key, found ?? null);
    return found;
  }

  /** Micro-dollars for this many tokens, rounded up; undefined when the price is unknown. */
  cost(provider: string, model: string, inputTokens: number, outputTokens: number): number | undefined {
    const price = this.price(provider, model);
    if (!price) return undefined;
    if (price.tiered) {
      const table = TABLE_PROVIDER[this.kindOf(provider)!]!;
      const result = this.calcPrice({ input_tokens: inputTokens, output_tokens: outputTokens }, model, { providerId: table });
      if (result) return costToMicros(result.total_price);
    }
    // $ per million tokens is exactly µ$ per token.
    return Math.ceil(inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok - 1e-9 * (inputTokens + outputTokens));
  }

  private lookup(provider: string, model: string): Price | undefined {
    const override = this.overrides[`${provider}/${model}`];
    if (override) return { ...override, source: 'override', tiered: false };
    const kind = this.kindOf(provider);
    const table = kind ? TABLE_PROVIDER[kind] : undefined;
    if (!table) return kind ? { inputPerMTok: 0, outputPerMTok: 0, source: 'local', tiered: false } : undefined;
    const result = this.calcPrice({ input_tokens: 1_000_000, output_tokens: 1_000_000 }, model, { providerId: table });
    if (!result) return undefined;
    const prices = result.model.prices as unknown;
    const flat =
      prices !== null &&
      typeof prices === 'object' &&
      !Array.isArray(prices) &&
      typeof (prices as Record<string, unknown>).input_mtok === 'number' &&
      typeof (prices as Record<string, unknown>).output_mtok === 'number';
    if (flat) {
      const p = prices as { input_mtok: number; output_mtok: number };
      return { inputPerMTok: p.input_mtok, outputPerMTok: p.output_mtok, source: 'table', tiered: false };
    }
    return { inputPerMTok: result.input_price, outputPerMTok: result.output_price, source: 'table', tiered: true };
  }
}
