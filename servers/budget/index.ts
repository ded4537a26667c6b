// The budget server: a local-first LLM gateway that keeps every call inside the person's budgets
// (see docs/servers/budget.md). Models are called through their official SDKs; spend is reserved
// and settled in a SQLite ledger that several server processes may share.
import type { HearthConfig } from '../../shared/config.js';
import { Kernel } from '../../shared/kernel.js';
import { defineServer, type HearthServer } from '../../shared/server.js';
import { Budget } from './budget.js';
import { budgetPrompts } from './prompts.js';
import type { BudgetRuntime } from './runtime.js';
import { budgetSettings } from './settings.js';
import { budgetTools } from './tools/index.js';

const INSTRUCTIONS = `Hearth budget is the LLM gateway: local models first (Ollama), cloud models only where the person's policy allows, and never beyond the person's budgets.
- llm_generate gets an answer. For a tool loop: pass your tools; when the answer has toolCalls, run them and call llm_generate again with the assistant message (its toolCalls) and one tool message per call (toolCallId). Pass schema for a JSON answer, task to charge a task.
- llm_estimate says what a call would cost before you make it; llm_models lists models, prices and breaker health.
- budget_status shows what is spent and left today, this month and per task; budget_ledger lists every call.`;

export interface BudgetServerOptions {
  /** The clock budgets and periods follow; tests move it across days and months. */
  now?: () => number;
  /** Where API keys are read from; default the process environment. */
  env?: NodeJS.ProcessEnv;
}

export function createServer(config: HearthConfig, options: BudgetServerOptions = {}): HearthServer {
  const kernel = new Kernel({ config, server: 'budget', ...(options.env ? { env: options.env } : {}) });
  let budget: Budget;
  try {
    budget = new Budget({
      settings: budgetSettings(config),
      llm: kernel.policy.policy.llm,
      policySource: kernel.policy.source,
      log: kernel.log.child({ component: 'gateway' }),
      env: options.env ?? process.env,
      ...(options.now ? { now: options.now } : {}),
    });
    for (const secret of budget.secrets) kernel.redactor.add(secret);
  } catch (error) {
    kernel.close();
    throw error;
  }
  const runtime: BudgetRuntime = { kernel, budget };
  return defineServer({
    name: 'budget',
    instructions: INSTRUCTIONS,
    kernel,
    tools: budgetTools(runtime),
    prompts: budgetPrompts(),
    close: () => budget.close(),
  });
}
