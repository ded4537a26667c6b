// One round's model call: llm_generate on the budget server with the conversation and the suite's
// tools as function definitions, charged to the run as its task so the budget server holds the whole
// run inside its limits. Streamed text arrives as progress notifications.
import type { Client } from '@modelcontextprotocol/client';

import type { Message, ModelOutcome } from './loop.js';
import type { SuiteTool } from './suite.js';

export interface ModelCallOptions {
  task: string;
  tools: readonly SuiteTool[];
  /** The run's limits, given to the budget server as the task's own (they only ever tighten). */
  limits: { usd: number; tokens: number };
  tier: 'fast' | 'smart' | 'auto';
  onText(text: string): void;
}

interface Generated {
  text: string;
  toolCalls: { id: string; name: string; arguments: Record<string, unknown> }[];
  usage: { inputTokens: number; outputTokens: number };
  cost: { usdMicros: number };
  provider: string;
  model: string;
  scripted: boolean;
  dryRun?: boolean;
}

const CALL_TIMEOUT_MS = 30 * 60_000;

export async function callModel(
  budget: Client,
  messages: readonly Message[],
  options: ModelCallOptions,
  signal: AbortSignal,
): Promise<ModelOutcome> {
  let result;
  try {
    result = await budget.callTool(
      {
        name: 'llm_generate',
        arguments: {
          messages,
          tools: options.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.inputSchema })),
          task: options.task,
          limits: options.limits,
          tier: options.tier,
        },
      },
      {
        signal,
        timeout: CALL_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
        onprogress: (p) => {
          if (p.message) options.onText(p.message);
        },
      },
    );
  } catch (error) {
    if (signal.aborted) return { ok: false, code: 'CANCELLED', message: 'the model call was cancelled' };
    return { ok: false, code: 'INTERNAL', message: `the budget server did not answer: ${(error as Error).message}` };
  }
  const structured = (result.structuredContent ?? {}) as Record<string, unknown>;
  if (result.isError) {
    const error = (structured.error ?? {}) as { code?: string; message?: string; hint?: string };
    return {
      ok: false,
      code: error.code ?? 'INTERNAL',
      message: error.message ?? 'llm_generate failed',
      ...(error.hint ? { hint: error.hint } : {}),
    };
  }
  if (structured.dryRun === true)
    return {
      ok: false,
      code: 'MODE_OBSERVE',
      message: 'the budget server only previewed the model call: the policy puts it in observe mode, so no model can be asked',
      hint: 'Set the budget server’s mode to draft in the policy (servers.budget.mode) to let runs call a model.',
    };
  const g = structured as unknown as Generated;
  return {
    ok: true,
    turn: {
      text: g.text,
      toolCalls: g.toolCalls,
      inputTokens: g.usage.inputTokens,
      outputTokens: g.usage.outputTokens,
      usdMicros: g.cost.usdMicros,
      model: `${g.provider}/${g.model}`,
      scripted: g.scripted,
    },
  };
}
