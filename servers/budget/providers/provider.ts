// What every provider adapter offers the gateway: one streamed chat call in the provider-neutral
// shape, and a failure type that says what went wrong in a way retries, breakers and the final
// error message can act on.
import type { ChatMessage, FinishReason, ToolCall, ToolSpec } from '../messages.js';
import type { ProviderKind } from '../settings.js';

export interface ProviderRequest {
  model: string;
  messages: readonly ChatMessage[];
  tools: readonly ToolSpec[];
  toolChoice: 'auto' | 'none' | 'required';
  maxTokens: number;
  temperature: number | undefined;
  /** Ask for JSON matching this schema (validated again by the gateway). */
  jsonSchema: Record<string, unknown> | undefined;
  /** Aborted on cancellation, the attempt's deadline or a stalled stream; the adapter must stop the stream. */
  signal: AbortSignal;
  /** Called with each piece of streamed text, in order. */
  onText: (delta: string) => void;
  /** Called whenever anything arrives from the provider (text, tool-call fragments, keep-alives with content). */
  onActivity: () => void;
}

export interface ProviderAnswer {
  text: string;
  /** An empty id means the provider gave none; the gateway assigns one unique to the call. */
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Token counts the provider reported; absent when it reported none. */
  usage: { inputTokens: number; outputTokens: number } | undefined;
  /** Set by the scripted provider: which script and turn answered. */
  scripted?: { script: string; turn: number };
}

export interface Provider {
  readonly name: string;
  readonly kind: ProviderKind;
  /** Runs on this machine (no money, nothing leaves it). */
  readonly local: boolean;
  /** Where requests go, for previews and messages (never carries a key). */
  readonly endpoint: string;
  generate(request: ProviderRequest): Promise<ProviderAnswer>;
  /** Loads what the first call needs (an SDK), so that loading is not timed as part of an attempt. */
  prepare?(): Promise<void>;
}

export type FailureKind =
  | 'rate-limited' // 429
  | 'overloaded' // 5xx, 529
  | 'timeout' // the attempt's deadline passed
  | 'stalled' // the stream stopped sending
  | 'network' // could not connect, connection dropped
  | 'malformed' // the answer could not be parsed
  | 'auth' // 401 / 403: a key is missing or wrong
  | 'rejected' // 400 / 404 / 422: the request itself (or the model name) is wrong
  | 'cancelled'; // the caller cancelled

/** A provider call that failed, classified. */
export class ProviderFailure extends Error {
  override readonly name = 'ProviderFailure';

  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  /** Worth trying the same model again after a pause. */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'overloaded' || this.kind === 'network' || this.kind === 'malformed';
  }

  /** Counts against the model's circuit breaker (the model, not the request, is at fault). */
  get countsAgainstModel(): boolean {
    return this.kind !== 'rejected' && this.kind !== 'cancelled' && this.kind !== 'auth';
  }
}
