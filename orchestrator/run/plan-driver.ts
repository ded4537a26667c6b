// `hearth run --plan`: the model writes the whole task as one plan; Hearth validates it through the
// plan server (one chance to fix what plan_validate reports), simulates it (plan_simulate) and shows
// the report, stops there in observe mode, and otherwise starts it with plan_run — which in draft
// mode puts the simulated plan to the person once — and follows it step by step to its end. Plain
// code: the model and the plan server come in as functions, like the tool loop (loop.ts).
import { CANCELLED, emptyResult, type LoopResult, type Message, type ModelOutcome, modelRound, type ToolCall } from './loop.js';
import { SUBMIT_PLAN } from './plan-prompt.js';

export interface PlanCallResult {
  ok: boolean;
  text: string;
  code?: string;
  structured: Record<string, unknown>;
  ms: number;
}

export interface PlanStep {
  id: string;
  tool: string;
  state: string;
}

export interface PlanEvents {
  modelStart(round: number): void;
  modelEnd(round: number, turn: Extract<ModelOutcome, { ok: true }>['turn']): void;
  /** A plan server call began / ended (validate, simulate, run, status). */
  callStart(call: ToolCall): void;
  callEnd(call: ToolCall, result: PlanCallResult): void;
  /** The simulation report, before anything runs. */
  report(text: string): void;
  /** The live step list, each time a step changes state. */
  steps(steps: readonly PlanStep[], done: number, total: number): void;
  /** A progress notification of the running plan server call. */
  progress(message: string, progress: number, total: number | undefined): void;
}

export interface PlanDeps {
  model(messages: readonly Message[], signal: AbortSignal): Promise<ModelOutcome>;
  /** Calls a plan server tool; progress notifications come to onProgress. */
  call(
    name: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
    onProgress?: (progress: number, total: number | undefined, message: string) => void,
  ): Promise<PlanCallResult>;
  mode: 'observe' | 'draft' | 'autopilot';
  limits: { rounds: number; tokens: number; usdMicros: number };
  events: PlanEvents;
  signal: AbortSignal;
}

/** How long one plan_run or plan_status call waits for the run before answering (the tools' maximum). */
const WAIT_MS = 600_000;
const FINAL = new Set(['completed', 'failed', 'cancelled', 'paused']);
/** A progress message is `<step>: <event>` (a step boundary) or `<state>` (the run's). */
const STEP_STATE: Record<string, string> = {
  called: 'calling',
  finished: 'done',
  failed: 'failed',
  skipped: 'skipped',
  waiting: 'waiting',
  retrying: 'calling',
  'outcome-unknown': 'unknown',
  compensated: 'compensated',
};

/** The plan in a model turn: the submit_plan call, or failing that a JSON object in its text. */
function planOf(turn: { text: string; toolCalls: ToolCall[] }): Record<string, unknown> | undefined {
  const call = turn.toolCalls.find((c) => c.name === SUBMIT_PLAN);
  const given = call?.arguments.plan;
  if (given && typeof given === 'object' && !Array.isArray(given)) return given as Record<string, unknown>;
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(turn.text)?.[1] ?? turn.text;
  try {
    const parsed = JSON.parse(fenced.trim()) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const p = parsed as Record<string, unknown>;
      return (p.plan && typeof p.plan === 'object' ? p.plan : p) as Record<string, unknown>;
    }
  } catch {
    // Not JSON: no plan in this turn.
  }
  return undefined;
}

export async function runPlanDriver(messages: Message[], deps: PlanDeps): Promise<LoopResult> {
  const result = emptyResult(messages, 'answered', '');
  const end = (outcome: LoopResult['outcome'], reason: string, answer = '') => Object.assign(result, { outcome, reason, answer });
  const cancelled = () => end('cancelled', CANCELLED);
  let nextId = 0;
  const call = async (
    name: string,
    args: Record<string, unknown>,
    onProgress?: (progress: number, total: number | undefined, message: string) => void,
  ): Promise<PlanCallResult> => {
    // The person sees the plan by name (the whole plan is in the transcript), not the wait bound.
    const { plan: given, waitMs: _wait, ...shown } = args as { plan?: { name?: unknown }; waitMs?: unknown };
    const named = given
      ? { plan: typeof given.name === 'string' ? given.name : `${(given as { steps?: unknown[] }).steps?.length ?? 0} steps` }
      : {};
    const toolCall: ToolCall = { id: `plan-${++nextId}`, name, arguments: { ...named, ...shown } };
    deps.events.callStart(toolCall);
    const out = await deps.call(name, args, deps.signal, onProgress);
    deps.events.callEnd(toolCall, out);
    result.calls.push({
      round: result.rounds,
      id: toolCall.id,
      name,
      arguments: toolCall.arguments,
      ok: out.ok,
      ms: out.ms,
      summary: out.text.split('\n').find((l) => l.trim()) ?? '',
      ...(out.code ? { code: out.code } : {}),
    });
    return out;
  };

  // Writing the plan: at most two model turns — the plan, and one fix of what validation found.
  let plan: Record<string, unknown> | undefined;
  let order: string[] = [];
  let tools: Record<string, string> = {};
  for (let attempt = 1; ; attempt++) {
    const turn = await modelRound(messages, deps, result, 'before the plan was valid');
    if (!('text' in turn)) return turn;
    const round = result.rounds;
    const toolCalls = turn.toolCalls.length ? turn.toolCalls : [{ id: `plan-text-${round}`, name: SUBMIT_PLAN, arguments: {} }];
    messages.push({ role: 'assistant', content: turn.text, toolCalls });
    const reply = (content: string) => {
      for (const c of toolCalls) messages.push({ role: 'tool', toolCallId: c.id, name: c.name, content });
    };
    plan = planOf(turn);
    let problem: string;
    if (!plan) problem = 'No plan was handed over: call submit_plan with {"plan": {"steps": [...]}}.';
    else {
      const checked = await call('plan_validate', { plan });
      if (deps.signal.aborted) return cancelled();
      if (checked.ok && checked.structured.valid === true) {
        order = (checked.structured.order as string[] | undefined) ?? [];
        const steps = Array.isArray(plan.steps) ? (plan.steps as { id?: unknown; tool?: unknown }[]) : [];
        tools = Object.fromEntries(steps.map((s) => [String(s.id), String(s.tool)]));
        reply(checked.text);
        break;
      }
      problem = checked.text;
    }
    if (attempt >= 2 && !plan) return end('failed', 'the model handed over no plan (submit_plan), even after a reminder');
    if (attempt >= 2) return end('failed', `the model’s plan is still not valid after one fix: ${problem.replace(/\s*\n\s*/g, ' ')}`);
    reply(`${problem}\nFix the plan and call submit_plan again with the whole corrected plan.`);
  }

  const simulated = await call('plan_simulate', { plan }, (p, t, m) => deps.events.progress(m, p, t));
  if (deps.signal.aborted) return cancelled();
  if (!simulated.ok) return end('failed', `the plan could not be simulated: ${simulated.text.replace(/\s*\n\s*/g, ' ')}`);
  deps.events.report(simulated.text);
  const summary = typeof simulated.structured.summary === 'string' ? simulated.structured.summary : '';
  if (deps.mode === 'observe')
    return end('answered', 'observe mode: the plan was validated and simulated; nothing ran', `Simulated only (observe mode): ${summary}`);

  const steps: PlanStep[] = order.map((id) => ({ id, tool: tools[id] ?? '?', state: 'pending' }));
  let done = 0;
  let total = steps.length;
  const onProgress = (progress: number, t: number | undefined, message: string) => {
    done = progress;
    total = t ?? total;
    const [step, event] = message.includes(': ') ? message.split(': ', 2) : [undefined, message];
    const row = steps.find((s) => s.id === step);
    if (row && event && STEP_STATE[event]) row.state = STEP_STATE[event]!;
    deps.events.progress(message, done, total);
    deps.events.steps(steps, done, total);
  };
  let status = await call('plan_run', { plan, waitMs: WAIT_MS, mode: deps.mode }, onProgress);
  for (;;) {
    if (deps.signal.aborted) return cancelled();
    if (!status.ok) {
      if (status.code === 'APPROVAL_DENIED') return end('denied', 'the person declined the plan; nothing ran');
      return end('failed', `the plan did not run: ${status.text.replace(/\s*\n\s*/g, ' ')}`);
    }
    const run = status.structured.run as
      | {
          id: string;
          state: string;
          reason: string | null;
          steps: { id: string; tool: string; state: string }[];
          progress: { done: number; total: number };
        }
      | undefined;
    if (!run) return end('failed', 'the plan server answered without a run');
    for (const s of run.steps) {
      const row = steps.find((r) => r.id === s.id);
      if (row) row.state = s.state;
      else steps.push({ id: s.id, tool: s.tool, state: s.state });
    }
    deps.events.steps(steps, run.progress.done, run.progress.total);
    if (FINAL.has(run.state)) {
      const line = `plan run ${run.id} ${run.state}: ${run.progress.done} of ${run.progress.total} steps done`;
      if (run.state === 'completed') return end('answered', `the plan completed (run ${run.id})`, `${line}.\n\n${status.text}`);
      return end('failed', `${line}${run.reason ? ` — ${run.reason}` : ''} (hearth plan status ${run.id})`, status.text);
    }
    status = await call('plan_status', { run: run.id, waitMs: WAIT_MS }, onProgress);
  }
}
