// The bounded tool loop of `hearth run`: ask the model, run the tools it asks for, send their
// results back, until it answers without tools — or a bound is reached (rounds, tokens, money), the
// person says no, a call fails in a way the model cannot fix, or the run is cancelled. Plain code:
// the model and the tools come in as functions, so the loop is the same for the terminal, JSON
// lines, the demo and tests.

export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type Message =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface ModelTurn {
  text: string;
  toolCalls: ToolCall[];
  inputTokens: number;
  outputTokens: number;
  usdMicros: number;
  /** provider/model that answered. */
  model: string;
  scripted: boolean;
}

export type ModelOutcome = { ok: true; turn: ModelTurn } | { ok: false; code: string; message: string; hint?: string };

export interface ToolOutcome {
  ok: boolean;
  /** What the model is told. */
  content: string;
  /** One line for the person. */
  summary: string;
  ms: number;
  /** The stable error code of a failed call. */
  code?: string;
  /** The call only previewed (observe mode): nothing changed. */
  previewed?: boolean;
  /** Resources and files the call produced (screenshots, traces). */
  artifacts?: string[];
}

export interface CallRecord {
  round: number;
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  ok: boolean;
  ms: number;
  summary: string;
  code?: string;
  previewed?: boolean;
}

export interface Limits {
  rounds: number;
  tokens: number;
  usdMicros: number;
}

export type Outcome = 'answered' | 'limit' | 'failed' | 'denied' | 'cancelled';

export interface LoopResult {
  outcome: Outcome;
  /** Why the run ended, in a sentence. */
  reason: string;
  answer: string;
  rounds: number;
  inputTokens: number;
  outputTokens: number;
  usdMicros: number;
  calls: CallRecord[];
  messages: Message[];
  models: string[];
  scripted: boolean;
  artifacts: string[];
}

export interface LoopEvents {
  modelStart(round: number): void;
  modelEnd(round: number, turn: ModelTurn): void;
  toolStart(round: number, call: ToolCall): void;
  toolEnd(round: number, call: ToolCall, outcome: ToolOutcome): void;
}

export interface LoopDeps {
  model(messages: readonly Message[], signal: AbortSignal): Promise<ModelOutcome>;
  tool(call: ToolCall, signal: AbortSignal): Promise<ToolOutcome>;
  /** Tools the model may call; anything else is answered with an error without running. */
  known(name: string): boolean;
  events: LoopEvents;
  limits: Limits;
  /** Aborted when the person cancels (Ctrl-C): the running call is cancelled and the loop ends. */
  signal: AbortSignal;
}

const formatUsd = (micros: number) => `$${(micros / 1e6).toFixed(micros < 10_000 ? 4 : 2)}`;

/** A run's result before anything happened: no rounds, no calls, no spend. */
export function emptyResult(messages: Message[], outcome: Outcome, reason: string): LoopResult {
  return {
    outcome,
    reason,
    answer: '',
    rounds: 0,
    inputTokens: 0,
    outputTokens: 0,
    usdMicros: 0,
    calls: [],
    messages,
    models: [],
    scripted: false,
    artifacts: [],
  };
}

/** What one model round needs: the bounds, the model, where to say it started and ended. */
export interface RoundDeps {
  model: LoopDeps['model'];
  events: Pick<LoopEvents, 'modelStart' | 'modelEnd'>;
  limits: Limits;
  signal: AbortSignal;
}

/**
 * One model round, for the tool loop and the plan writer alike: the bounds checked first (rounds,
 * tokens, money: `before` says what had not happened yet), the call, and its spend counted in
 * `result`. Returns the model's turn, or `result` ended with the reason the run stops.
 */
export async function modelRound(
  messages: Message[],
  deps: RoundDeps,
  result: LoopResult,
  before: string,
): Promise<ModelTurn | LoopResult> {
  const end = (outcome: Outcome, reason: string) => Object.assign(result, { outcome, reason });
  const { limits } = deps;
  if (deps.signal.aborted) return end('cancelled', CANCELLED);
  if (result.rounds >= limits.rounds) return end('limit', `stopped after ${limits.rounds} model rounds (--max-rounds) ${before}`);
  const tokens = result.inputTokens + result.outputTokens;
  if (tokens >= limits.tokens) return end('limit', `stopped: ${tokens} tokens used, the limit is ${limits.tokens} (--max-tokens)`);
  if (result.usdMicros >= limits.usdMicros)
    return end('limit', `stopped: ${formatUsd(result.usdMicros)} spent, the limit is ${formatUsd(limits.usdMicros)} (--max-cost)`);
  const round = ++result.rounds;
  deps.events.modelStart(round);
  const answer = await deps.model(messages, deps.signal);
  if (deps.signal.aborted) return end('cancelled', CANCELLED);
  if (!answer.ok)
    return end(
      answer.code === 'BUDGET_EXCEEDED' ? 'limit' : 'failed',
      `the model call failed (${answer.code}): ${answer.message}${answer.hint ? ` — ${answer.hint}` : ''}`,
    );
  const turn = answer.turn;
  result.inputTokens += turn.inputTokens;
  result.outputTokens += turn.outputTokens;
  result.usdMicros += turn.usdMicros;
  result.scripted ||= turn.scripted;
  if (!result.models.includes(turn.model)) result.models.push(turn.model);
  deps.events.modelEnd(round, turn);
  return turn;
}

/** Why a run the person cancelled ended. */
export const CANCELLED = 'cancelled by the person (Ctrl-C); the running call was cancelled';

export async function runLoop(messages: Message[], deps: LoopDeps): Promise<LoopResult> {
  const result = emptyResult(messages, 'answered', '');
  const end = (outcome: Outcome, reason: string) => Object.assign(result, { outcome, reason });
  const cancelled = () => end('cancelled', CANCELLED);
  for (;;) {
    const turn = await modelRound(messages, deps, result, 'before the model finished');
    if (!('text' in turn)) return turn;
    const round = result.rounds;
    messages.push({ role: 'assistant', content: turn.text, toolCalls: turn.toolCalls });
    if (turn.toolCalls.length === 0) {
      result.answer = turn.text;
      return end('answered', 'the model finished');
    }
    for (const call of turn.toolCalls) {
      if (deps.signal.aborted) return cancelled();
      let outcome: ToolOutcome;
      if (!deps.known(call.name)) {
        outcome = {
          ok: false,
          code: 'UNKNOWN_TOOL',
          content: `There is no tool named ${call.name} in this run. Use one of the tools you were given.`,
          summary: `no such tool ${call.name}`,
          ms: 0,
        };
        deps.events.toolStart(round, call);
      } else {
        deps.events.toolStart(round, call);
        outcome = await deps.tool(call, deps.signal);
      }
      deps.events.toolEnd(round, call, outcome);
      result.calls.push({
        round,
        id: call.id,
        name: call.name,
        arguments: call.arguments,
        ok: outcome.ok,
        ms: outcome.ms,
        summary: outcome.summary,
        ...(outcome.code ? { code: outcome.code } : {}),
        ...(outcome.previewed ? { previewed: true } : {}),
      });
      result.artifacts.push(...(outcome.artifacts ?? []));
      messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: outcome.content });
      if (deps.signal.aborted) return cancelled();
      // A person's no ends the run: nothing more happens without them.
      if (outcome.code === 'APPROVAL_DENIED') return end('denied', `the person declined ${call.name}; the run stopped there`);
    }
  }
}
