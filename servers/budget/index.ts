// The budget server: a local-first LLM gateway that keeps every call inside the person's budgets
// (see docs/servers/budget.md). Models are called through their official SDKs; spend is reserved
// and settled in a SQLite ledger that several server processes may share.
import type { HearthConfig } from '../../shared/config.js';
import { Kernel } from '../../shared/kernel.js';
import { defineServer, type HearthServer } from '../../shared/server.js';
import { AnswerCache } from './answer-cache.js';
import { Gateway } from './gateway.js';
import type { BudgetLimits } from './ledger/ledger.js';
import { Ledger } from './ledger/ledger.js';
import { usdToMicros } from './money.js';
import { Calendar, systemTimeZone } from './periods.js';
import { PriceBook } from './prices.js';
import { buildProviders } from './providers/factory.js';
import { Resilience } from './resilience.js';
import { budgetSettings } from './settings.js';
import type { BudgetContext } from './tools/common.js';
import { estimateTool } from './tools/estimate.js';
import { generateTool } from './tools/generate.js';
import { ledgerTool } from './tools/ledger.js';
import { modelsTool } from './tools/models.js';
import { statusTool } from './tools/status.js';

const INSTRUCTIONS = `Hearth budget is the LLM gateway: local models first (Ollama), cloud models only where the person's policy allows, and never beyond the person's budgets.
- llm_generate gets an answer. For a tool loop: pass your tools; when the answer has toolCalls, run them and call llm_generate again with the assistant message (its toolCalls) and one tool message per call (toolCallId). Pass schema for a JSON answer, task to charge a task.
- llm_estimate says what a call would cost before you make it; llm_models lists models, prices and breaker health.
- budget_status shows what is spent and left today, this month and per task; budget_ledger lists every call.`;

interface PolicyAmounts {
  tokens?: number | undefined;
  seconds?: number | undefined;
  usd?: number | undefined;
}

function ledgerLimits(a: PolicyAmounts): BudgetLimits['day'] {
  return {
    ...(a.tokens === undefined ? {} : { tokens: a.tokens }),
    ...(a.usd === undefined ? {} : { micros: usdToMicros(a.usd) }),
    ...(a.seconds === undefined ? {} : { ms: Math.round(a.seconds * 1000) }),
  };
}

export interface BudgetServerOptions {
  /** The clock budgets and periods follow; tests move it across days and months. */
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

export function createServer(config: HearthConfig, options: BudgetServerOptions = {}): HearthServer {
  const kernel = new Kernel({ config, server: 'budget', ...(options.env ? { env: options.env } : {}) });
  let cx: BudgetContext;
  try {
    const settings = budgetSettings(config);
    const llm = kernel.policy.policy.llm;
    const built = buildProviders(settings.providers, options.env ?? process.env);
    for (const secret of built.secrets) kernel.redactor.add(secret);
    const calendar = new Calendar(llm.timeZone ?? systemTimeZone());
    const ledger = new Ledger({
      file: settings.database,
      calendar,
      limits: { task: ledgerLimits(llm.limits.task), day: ledgerLimits(llm.limits.day), month: ledgerLimits(llm.limits.month) },
      ...(options.now ? { now: options.now } : {}),
    });
    const prices = new PriceBook(settings.prices, (name) => settings.providers[name]?.kind);
    const resilience = new Resilience(settings);
    const gateway = new Gateway({
      settings,
      providers: built.providers,
      ledger,
      prices,
      resilience,
      cache: new AnswerCache(ledger.db, settings.cache.ttlSeconds * 1000, settings.cache.maxEntries, ledger.now),
      allowed: (name) => kernel.policy.providerAllowed(name),
      policySource: kernel.policy.source,
      log: kernel.log.child({ component: 'gateway' }),
    });
    cx = { kernel, settings, gateway, ledger, prices, resilience, providers: built.providers, hasKey: built.hasKey };
  } catch (error) {
    kernel.close();
    throw error;
  }
  return defineServer({
    name: 'budget',
    instructions: INSTRUCTIONS,
    kernel,
    tools: [generateTool(cx), estimateTool(cx), modelsTool(cx), statusTool(cx), ledgerTool(cx)],
    close: () => cx.ledger.close(),
  });
}
