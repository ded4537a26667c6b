// The budget gateway's domain objects, assembled from the settings and the policy's `llm` section:
// providers, the ledger, prices, breakers, the cache and the gateway that uses them. No MCP here —
// the server wires tools to it, and the benchmark drives it directly.
import type { Logger } from 'pino';

import type { Policy } from '../../policies/schema.js';
import { AnswerCache } from './answer-cache.js';
import { Gateway } from './gateway.js';
import type { Limits } from './ledger/amounts.js';
import { Ledger } from './ledger/ledger.js';
import { usdToMicros } from './money.js';
import { Calendar, systemTimeZone } from './periods.js';
import { PriceBook } from './prices.js';
import { buildProviders } from './providers/factory.js';
import type { Provider } from './providers/provider.js';
import { Resilience } from './resilience.js';
import type { ResolvedBudgetSettings } from './settings.js';

type LlmPolicy = Policy['llm'];

function ledgerLimits(a: LlmPolicy['limits']['day']): Limits {
  return {
    ...(a.tokens === undefined ? {} : { tokens: a.tokens }),
    ...(a.usd === undefined ? {} : { micros: usdToMicros(a.usd) }),
    ...(a.seconds === undefined ? {} : { ms: Math.round(a.seconds * 1000) }),
  };
}

export interface BudgetOptions {
  settings: ResolvedBudgetSettings;
  llm: LlmPolicy;
  /** Where the policy came from, for messages. */
  policySource: string;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** The clock budgets and periods follow; tests move it across days and months. */
  now?: () => number;
}

export class Budget {
  readonly settings: ResolvedBudgetSettings;
  readonly providers: ReadonlyMap<string, Provider>;
  readonly hasKey: ReadonlyMap<string, boolean>;
  /** API keys found, for the kernel to redact. */
  readonly secrets: readonly string[];
  readonly ledger: Ledger;
  readonly prices: PriceBook;
  readonly resilience: Resilience;
  readonly gateway: Gateway;

  constructor(options: BudgetOptions) {
    const { settings, llm } = options;
    this.settings = settings;
    const built = buildProviders(settings.providers, options.env);
    this.providers = built.providers;
    this.hasKey = built.hasKey;
    this.secrets = built.secrets;
    this.ledger = new Ledger({
      file: settings.database,
      calendar: new Calendar(llm.timeZone ?? systemTimeZone()),
      limits: { task: ledgerLimits(llm.limits.task), day: ledgerLimits(llm.limits.day), month: ledgerLimits(llm.limits.month) },
      ...(options.now ? { now: options.now } : {}),
    });
    this.prices = new PriceBook(settings.prices, (name) => settings.providers[name]?.kind);
    this.resilience = new Resilience(settings);
    const allowed = new Set(llm.providers);
    this.gateway = new Gateway({
      settings,
      providers: this.providers,
      ledger: this.ledger,
      prices: this.prices,
      resilience: this.resilience,
      cache: new AnswerCache(this.ledger.db, settings.cache.ttlSeconds * 1000, settings.cache.maxEntries, this.ledger.now),
      allowed: (name) => allowed.has(name),
      policySource: options.policySource,
      log: options.log,
    });
  }

  close(): void {
    this.ledger.close();
  }
}
