// The gateway: one llm_generate call from request to answer. It picks models tier by tier (local
// first, as configured), skips what the policy does not allow or whose breaker is open, reserves
// each attempt's worst case in the ledger before calling, settles what was really used after, and
// falls back, retries or escalates as the rules say. Cancellation stops the provider stream and
// still settles the attempt: a cancelled stream pays for what it streamed and leaves no hold.
import { randomBytes } from 'node:crypto';

import type { Logger } from 'pino';

import { HearthError, invalidArgument } from '../../lib/errors.js';
import { type AnswerCache, cacheKey } from './answer-cache.js';
import { AttemptGuard } from './attempt-guard.js';
import { describeRefusal, formatLocal, limitField } from './describe-limit.js';
import type { Limits } from './ledger/amounts.js';
import type { Ledger, Refusal } from './ledger/ledger.js';
import type { ChatMessage, FinishReason, ToolCall, ToolSpec } from './messages.js';
import type { PriceBook } from './prices.js';
import { type Provider, type ProviderAnswer, ProviderFailure } from './providers/provider.js';
import type { Resilience } from './resilience.js';
import type { ResolvedBudgetSettings } from './settings.js';
import { compileSchema, repairMessages, reportedConfidence } from './structured.js';
import { countInput, type InputCount, outputBound } from './tokens.js';

export type Tier = 'fast' | 'smart';

export interface GenerateRequest {
  messages: ChatMessage[];
  tier: Tier | 'auto';
  maxTokens: number;
  temperature: number | undefined;
  schema: Record<string, unknown> | undefined;
  tools: ToolSpec[];
  toolChoice: 'auto' | 'none' | 'required';
  task: string | undefined;
  /** Tighter limits (ledger units): the task's from now on, or this call's when there is no task. */
  limits: Limits | undefined;
  cache: boolean | undefined;
  correlationId?: string;
}

export interface Candidate {
  provider: string;
  model: string;
  /** `provider/model`. */
  ref: string;
  tier: Tier;
}

export interface AttemptReport {
  model: string;
  tier: Tier;
  outcome: 'ok' | 'failed' | 'invalid' | 'low-confidence' | 'refused' | 'skipped' | 'cancelled';
  reason?: string;
  ms?: number;
  micros?: number;
}

export interface GenerateResult {
  text: string;
  toolCalls: ToolCall[];
  json?: unknown;
  finishReason: FinishReason;
  provider: string;
  model: string;
  tier: Tier;
  scripted: boolean;
  script?: { file: string; turn: number };
  cached: boolean;
  usage: { inputTokens: number; outputTokens: number; estimated: boolean };
  /** Micro-dollars charged for this call, every attempt included. */
  micros: number;
  attempts: AttemptReport[];
  /** Why tier auto went on to the smart tier. */
  escalated?: string;
  /** Why a fast answer was kept although the smart tier was wanted. */
  steppedDown?: string;
}

export interface GenerateEvents {
  text(delta: string): void;
  /** A retry or another model starts after text had already streamed. */
  restart(message: string): void;
}

/** Thrown inside an attempt when the ledger refuses its hold: not retried, not a model failure. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super('refused by the budget');
  }
}

/** What one llm_generate call has done so far, across models and attempts. */
interface RunState {
  streamed: boolean;
  micros: number;
  attempts: number;
}

type Tried =
  | { kind: 'answer'; answer: ProviderAnswer; usage: GenerateResult['usage']; micros: number }
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'failed'; reason: string; failure?: ProviderFailure };

export interface GatewayOptions {
  settings: ResolvedBudgetSettings;
  providers: ReadonlyMap<string, Provider>;
  ledger: Ledger;
  prices: PriceBook;
  resilience: Resilience;
  cache: AnswerCache;
  /** Whether the policy lets this provider be called. */
  allowed: (provider: string) => boolean;
  policySource: string;
  log: Logger;
}

const UNKNOWN_PRICE = 'no price is known for it; add one under servers.budget.prices';

export class Gateway {
  // Call ids: a random prefix per gateway and a counter — unique across processes, and cheap.
  private readonly idPrefix = randomBytes(4).toString('hex');
  private calls = 0;

  constructor(private readonly o: GatewayOptions) {}

  candidates(tier: Tier | 'auto'): Candidate[] {
    const tiers: Tier[] = tier === 'auto' ? ['fast', 'smart'] : [tier];
    return tiers.flatMap((t) =>
      this.o.settings.tiers[t].map((ref) => {
        const cut = ref.indexOf('/');
        return { provider: ref.slice(0, cut), model: ref.slice(cut + 1), ref, tier: t };
      }),
    );
  }

  /** Why a candidate cannot be tried right now, or undefined. */
  unavailable(c: Candidate): string | undefined {
    if (!this.o.allowed(c.provider)) return `not allowed by the policy's llm.providers (${this.o.policySource})`;
    if (!this.o.providers.has(c.provider)) return 'the provider is not configured';
    if (this.o.prices.price(c.provider, c.model) === undefined) return UNKNOWN_PRICE;
    const health = this.o.resilience.health(c.ref);
    if (health.state === 'open')
      return `its circuit breaker is open after repeated failures (${health.lastFailure ?? 'failures'}); the next probe is allowed ${new Date(health.probeAt ?? 0).toISOString()}`;
    return undefined;
  }

  /** The worst case one attempt at `c` reserves: counted input plus maxTokens, priced, and its time limit. */
  worstCase(c: Candidate, input: InputCount, maxTokens: number): { tokens: number; micros: number; ms: number } {
    return {
      tokens: input.bound + maxTokens,
      micros: this.o.prices.cost(c.provider, c.model, input.bound, maxTokens) ?? 0,
      ms: this.timeoutFor(c),
    };
  }

  async generate(request: GenerateRequest, signal: AbortSignal, events: GenerateEvents): Promise<GenerateResult> {
    checkConversation(request.messages);
    const validator = request.schema ? compileSchema(request.schema) : undefined;
    const candidates = this.candidates(request.tier);
    const input = countInput(request.messages, request.tools, request.schema);
    const callId = `${this.idPrefix}${(++this.calls).toString(36)}`;

    const useCache = request.cache ?? request.temperature === 0;
    const key = useCache
      ? cacheKey({
          messages: request.messages,
          tools: request.tools,
          toolChoice: request.toolChoice,
          schema: request.schema,
          maxTokens: request.maxTokens,
          temperature: request.temperature,
          models: candidates.map((c) => c.ref),
        })
      : undefined;
    if (key) {
      const hit = this.o.cache.get<GenerateResult>(key);
      if (hit) {
        this.o.ledger.recordCacheHit({
          callId,
          task: request.task,
          provider: hit.provider,
          model: hit.model,
          ...(request.correlationId ? { correlationId: request.correlationId } : {}),
        });
        return { ...hit, cached: true, micros: 0, attempts: [] };
      }
    }

    const attempts: AttemptReport[] = [];
    const refusals: Refusal[] = [];
    let escalated: string | undefined;
    let kept: GenerateResult | undefined; // a low-confidence fast answer, kept in case the smart tier cannot be afforded
    const run: RunState = { streamed: false, micros: 0, attempts: 0 };
    const failed = new Set<string>();

    for (const c of candidates) {
      if (signal.aborted) break;
      if (request.tier === 'auto' && c.tier === 'smart' && kept === undefined && escalated === undefined) {
        escalated = 'no fast model answered';
      }
      if (request.tier === 'auto' && c.tier === 'fast' && escalated !== undefined) continue; // already escalated
      // A model in both tiers that already failed in this call is not tried a second time.
      const why = failed.has(c.ref) ? 'it already failed in this call' : this.unavailable(c);
      if (why) {
        attempts.push({ model: c.ref, tier: c.tier, outcome: 'skipped', reason: why });
        continue;
      }
      let messages = request.messages;
      for (let round = 0; round < 2; round++) {
        const tried = await this.tryModel(c, request, messages, input, callId, signal, events, run, attempts);
        if (tried.kind === 'refused') {
          refusals.push(tried.refusal);
          break;
        }
        if (tried.kind === 'failed') {
          failed.add(c.ref);
          break;
        }
        const answer = tried.answer;
        const result: GenerateResult = {
          text: answer.text,
          toolCalls: withIds(answer.toolCalls, callId),
          finishReason: answer.finishReason,
          provider: c.provider,
          model: c.model,
          tier: c.tier,
          scripted: answer.scripted !== undefined,
          ...(answer.scripted ? { script: { file: answer.scripted.script, turn: answer.scripted.turn } } : {}),
          cached: false,
          usage: tried.usage,
          micros: 0,
          attempts,
        };
        if (validator && answer.toolCalls.length === 0) {
          const checked = validator.check(answer.text);
          if (!checked.ok) {
            attempts[attempts.length - 1]!.outcome = 'invalid';
            attempts[attempts.length - 1]!.reason = `the answer did not match the schema: ${checked.problems.join('; ')}`;
            if (round === 0) {
              messages = repairMessages(messages, answer.text, checked.problems);
              continue; // one repair round on the same model
            }
            if (request.tier === 'auto' && c.tier === 'fast') escalated = 'the fast answer did not match the schema, even after a repair';
            break;
          }
          result.json = checked.value;
          const confidence = reportedConfidence(checked.value);
          if (request.tier === 'auto' && c.tier === 'fast' && confidence !== undefined && confidence < this.o.settings.auto.minConfidence) {
            attempts[attempts.length - 1]!.outcome = 'low-confidence';
            attempts[attempts.length - 1]!.reason = `confidence ${confidence} is below ${this.o.settings.auto.minConfidence}`;
            escalated = `the fast answer reported confidence ${confidence}`;
            kept = result;
            break;
          }
        }
        result.micros = run.micros;
        if (escalated) result.escalated = escalated;
        if (key) this.o.cache.put(key, { ...result, attempts: [] });
        return result;
      }
    }

    if (signal.aborted) throw cancelled(attempts);
    if (kept) {
      const why = refusals.length
        ? `the smart tier did not fit the budget: ${describeRefusal(refusals[0]!, this.o.ledger.calendar.timeZone)}`
        : 'no smart model could answer';
      return { ...kept, micros: run.micros, attempts, escalated: escalated!, steppedDown: why };
    }
    throw this.nothingAnswered(request, attempts, refusals);
  }

  private timeoutFor(c: Candidate): number {
    return this.o.settings.providers[c.provider]?.timeoutMs ?? this.o.settings.timeouts.attemptMs;
  }

  /** One model: reserve, call, settle — retried under its breaker as the resilience rules say. */
  private async tryModel(
    c: Candidate,
    request: GenerateRequest,
    messages: ChatMessage[],
    baseInput: InputCount,
    callId: string,
    signal: AbortSignal,
    events: GenerateEvents,
    run: RunState,
    attempts: AttemptReport[],
  ): Promise<Tried> {
    const provider = this.o.providers.get(c.provider)!;
    const input = messages === request.messages ? baseInput : countInput(messages, request.tools, request.schema);
    const worst = this.worstCase(c, input, request.maxTokens);
    const { settings, ledger, prices } = this.o;
    let running: Promise<unknown> | undefined;

    const once = async (retry: number): Promise<Tried & { kind: 'answer' }> => {
      if (signal.aborted) throw new ProviderFailure('cancelled', 'the call was cancelled');
      try {
        await provider.prepare?.(); // loading an SDK is not part of the attempt's time
      } catch (error) {
        const reason = `the ${c.provider} provider could not be loaded`;
        attempts.push({ model: c.ref, tier: c.tier, outcome: 'failed', reason });
        throw new ProviderFailure('rejected', reason, { cause: error });
      }
      const hold = ledger.reserve({
        callId,
        attempt: ++run.attempts,
        task: request.task,
        provider: c.provider,
        model: c.model,
        amounts: worst,
        expiresAt: ledger.now() + worst.ms + settings.timeouts.holdGraceMs,
        ...(request.task === undefined ? { callLimits: request.limits ?? {} } : { tightenTask: request.limits ?? {} }),
        ...(request.correlationId ? { correlationId: request.correlationId } : {}),
      });
      if (!hold.ok) throw new Refused(hold.refusal);
      if (run.streamed) events.restart(`${retry > 1 ? 'retrying' : 'trying'} ${c.ref}`);
      const guard = new AttemptGuard(signal, worst.ms, settings.timeouts.idleMs);
      let streamedBytes = 0;
      let active = false;
      const call = provider.generate({
        model: c.model,
        messages,
        tools: request.tools,
        toolChoice: request.toolChoice,
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        jsonSchema: request.schema,
        signal: guard.signal,
        onText: (delta) => {
          streamedBytes += Buffer.byteLength(delta);
          run.streamed = true;
          events.text(delta);
        },
        onActivity: () => {
          active = true;
          guard.touch();
        },
      });
      running = call.catch(() => undefined);
      try {
        const answer = await call;
        const reported = answer.usage;
        const outputBytes = Buffer.byteLength(answer.text) + Buffer.byteLength(JSON.stringify(answer.toolCalls.map((t) => t.arguments)));
        const usage = reported
          ? { ...reported, estimated: false }
          : { inputTokens: input.bound, outputTokens: outputBound(outputBytes, request.maxTokens), estimated: true };
        const micros = prices.cost(c.provider, c.model, usage.inputTokens, usage.outputTokens) ?? worst.micros;
        const ms = Math.ceil(guard.elapsedMs());
        this.settle(hold.id, { ...usage, tokens: usage.inputTokens + usage.outputTokens, micros, ms }, 'ok');
        run.micros += micros;
        attempts.push({ model: c.ref, tier: c.tier, outcome: 'ok', ms, micros });
        return { kind: 'answer', answer, usage, micros };
      } catch (error) {
        const failure =
          error instanceof ProviderFailure
            ? error
            : new ProviderFailure('rejected', error instanceof HearthError ? error.message : 'the provider adapter failed', {
                cause: error,
              });
        // What reached us is billed: the prompt once the provider started answering, and what streamed.
        const inputTokens = active ? input.bound : 0;
        const outputTokens = outputBound(streamedBytes, request.maxTokens);
        const micros = prices.cost(c.provider, c.model, inputTokens, outputTokens) ?? 0;
        const ms = Math.ceil(guard.elapsedMs());
        this.settle(
          hold.id,
          { inputTokens, outputTokens, tokens: inputTokens + outputTokens, micros, ms },
          failure.kind === 'cancelled' ? 'cancelled' : 'failed',
          failure.message,
        );
        attempts.push({
          model: c.ref,
          tier: c.tier,
          outcome: failure.kind === 'cancelled' ? 'cancelled' : 'failed',
          reason: failure.message,
          ms,
          micros,
        });
        run.micros += micros;
        if (error instanceof HearthError) throw error;
        throw failure;
      } finally {
        guard.dispose();
      }
    };

    try {
      return await this.o.resilience.run(c.ref, signal, once);
    } catch (error) {
      if (running) await running; // a cancelled attempt settles its hold before the call returns
      if (error instanceof Refused) {
        attempts.push({ model: c.ref, tier: c.tier, outcome: 'refused', reason: describeRefusal(error.refusal, ledger.calendar.timeZone) });
        return { kind: 'refused', refusal: error.refusal };
      }
      if (this.o.resilience.isBrokenCircuit(error)) {
        attempts.push({ model: c.ref, tier: c.tier, outcome: 'skipped', reason: 'its circuit breaker opened' });
        return { kind: 'failed', reason: 'breaker open' };
      }
      if (error instanceof HearthError) throw error;
      const failure = error instanceof ProviderFailure ? error : undefined;
      return { kind: 'failed', reason: failure?.message ?? String(error), ...(failure ? { failure } : {}) };
    }
  }

  private settle(id: number, usage: Parameters<Ledger['settle']>[1], outcome: Parameters<Ledger['settle']>[2], error?: string): void {
    try {
      if (!this.o.ledger.settle(id, usage, outcome, error))
        this.o.log.warn({ hold: id }, 'a hold expired before its attempt finished; it stays settled at its reserved amount');
    } catch (e) {
      // The hold stays open and is settled at its reserved amount when it expires: never under-counted.
      this.o.log.error({ hold: id, err: e instanceof Error ? e.message : String(e) }, 'could not settle a hold');
    }
  }

  private nothingAnswered(request: GenerateRequest, attempts: AttemptReport[], refusals: Refusal[]): HearthError {
    const details = { attempts };
    const tried = attempts.filter((a) => a.outcome !== 'skipped' && a.outcome !== 'refused');
    if (refusals.length && tried.length === 0) {
      const first = refusals[0]!;
      const tz = this.o.ledger.calendar.timeZone;
      return new HearthError(
        'LIMIT_EXCEEDED',
        `no model fits the budget: ${describeRefusal(first, tz)}`,
        first.resetsAt !== undefined
          ? `Wait until ${formatLocal(first.resetsAt, tz)}, use a smaller maxTokens or shorter messages, or ask the person to raise ${limitField(first)} in ${this.o.policySource}.`
          : first.scope === 'task'
            ? `The task has spent what it may; ask the person to raise ${limitField(first)} in ${this.o.policySource}, or start a new task.`
            : 'Raise the limit you passed, or pass a smaller maxTokens.',
        {
          details: {
            ...details,
            limit: {
              scope: first.scope,
              unit: first.unit === 'micros' ? 'usd-micros' : first.unit === 'ms' ? 'milliseconds' : 'tokens',
              limit: first.limit,
              spent: first.used - first.held,
              held: first.held,
              needed: first.needed,
              ...(first.resetsAt === undefined ? {} : { resetsAt: new Date(first.resetsAt).toISOString() }),
            },
          },
        },
      );
    }
    // Repeated attempts at one model with one outcome read as one line: "ollama/x: failed 3× (…)".
    const lines: string[] = [];
    let previous = '';
    let times = 0;
    const flush = () => {
      if (times) lines.push(times > 1 ? previous.replace(/: (\w[\w-]*)/, `: $1 ${times}×`) : previous);
    };
    for (const a of attempts) {
      const line = `${a.model}: ${a.outcome}${a.reason ? ` (${a.reason})` : ''}`;
      if (line === previous) times++;
      else {
        flush();
        previous = line;
        times = 1;
      }
    }
    flush();
    const notAllowed = attempts.length > 0 && attempts.every((a) => a.reason?.startsWith('not allowed'));
    return new HearthError(
      'UNAVAILABLE',
      `no model could answer (tier ${request.tier}): ${lines.join('; ') || 'the tier has no models'}`,
      notAllowed
        ? `Ask the person to allow a provider in llm.providers of ${this.o.policySource}, or configure servers.budget.tiers with allowed models.`
        : 'Check that the providers are running (llm_models shows their health), or try again later; a breaker that opened lets a probe through after its delay.',
      { details },
    );
  }
}

function cancelled(attempts: AttemptReport[]): HearthError {
  return new HearthError(
    'CANCELLED',
    'llm_generate was cancelled; the provider stream was stopped',
    'What streamed before the cancellation was billed; nothing more was spent.',
    {
      details: { attempts },
    },
  );
}

/** Assigns ids to tool calls whose provider gave none, unique to this call. */
function withIds(calls: ToolCall[], callId: string): ToolCall[] {
  return calls.map((c, i) => (c.id ? c : { ...c, id: `call_${callId}_${i}` }));
}

/** Every tool result must answer a tool call made earlier in the conversation. */
function checkConversation(messages: readonly ChatMessage[]): void {
  if (messages.length === 0) throw invalidArgument('messages', 'the conversation is empty', 'Pass at least one user message.');
  const calls = new Set<string>();
  messages.forEach((m, i) => {
    if (m.role === 'assistant') for (const c of m.toolCalls) calls.add(c.id);
    if (m.role === 'tool' && !calls.has(m.toolCallId))
      throw invalidArgument(
        `messages.${i}.toolCallId`,
        `no earlier assistant message made a tool call with id ${JSON.stringify(m.toolCallId)}`,
        'Send the assistant message with its toolCalls (as llm_generate returned them) before the tool results that answer them.',
      );
  });
  if (!messages.some((m) => m.role === 'user' || m.role === 'tool'))
    throw invalidArgument('messages', 'there is no user message or tool result to answer', 'Add a user message.');
}
