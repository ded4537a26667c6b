// Turns whatever an SDK threw into a ProviderFailure. Our own abort reasons (cancelled, deadline,
// stalled stream) win over the SDK's view of the same event; otherwise the HTTP status decides.
import { describeError } from '../../../lib/errors.js';
import { type Observation, retryAfterMs as retryAfter } from './observed-fetch.js';
import { type FailureKind, ProviderFailure } from './provider.js';

/** Why the gateway aborted an attempt; set as the AbortSignal's reason. */
export type AbortReason = 'cancelled' | 'timeout' | 'stalled';

export function abortReason(signal: AbortSignal): AbortReason | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  return reason === 'timeout' || reason === 'stalled' ? reason : 'cancelled';
}

function statusOf(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const record = error as { status?: unknown; status_code?: unknown };
  const status = typeof record.status === 'number' ? record.status : record.status_code;
  return typeof status === 'number' && status >= 100 ? status : undefined;
}

function kindForStatus(status: number): FailureKind {
  if (status === 429) return 'rate-limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'overloaded';
  return 'rejected';
}

// Gemini puts its retry hint in the error body: "retryDelay": "12s".
const RETRY_DELAY = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/;

/** A short message safe to show: the first line, without the request body some SDKs echo. */
function brief(error: unknown): string {
  return describeError(error).slice(0, 300);
}

export function classify(error: unknown, signal: AbortSignal, observation: Observation, provider: string): ProviderFailure {
  if (error instanceof ProviderFailure) return error;
  const reason = abortReason(signal);
  if (reason === 'cancelled') return new ProviderFailure('cancelled', 'the call was cancelled', { cause: error });
  if (reason === 'timeout')
    return new ProviderFailure('timeout', `${provider} did not finish within the attempt's time limit`, { cause: error });
  if (reason === 'stalled')
    return new ProviderFailure('stalled', `${provider} stopped sending in the middle of its answer`, { cause: error });
  const status = statusOf(error) ?? (observation.status !== undefined && observation.status >= 400 ? observation.status : undefined);
  if (status !== undefined) {
    const hinted = RETRY_DELAY.exec(describeError(error));
    const headers = (error as { headers?: unknown }).headers;
    const retryAfterMs =
      observation.retryAfterMs ??
      (headers instanceof Headers ? retryAfter(headers) : undefined) ??
      (hinted ? Math.ceil(Number(hinted[1]) * 1000) : undefined);
    return new ProviderFailure(kindForStatus(status), `${provider} answered HTTP ${status}: ${brief(error)}`, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      cause: error,
    });
  }
  const message = brief(error);
  // Ollama's client skips lines it cannot parse and then finds no final message.
  if (error instanceof SyntaxError || /JSON|Unexpected token|parse|Incomplete|Did not receive done/i.test(message))
    return new ProviderFailure('malformed', `${provider} sent an answer that could not be read: ${message}`, { cause: error });
  if (/timed? ?out/i.test(message)) return new ProviderFailure('timeout', `${provider} timed out: ${message}`, { cause: error });
  const code = systemCode(error);
  return new ProviderFailure('network', `cannot reach ${provider}: ${message}${code ? ` (${code})` : ''}`, { cause: error });
}

/** fetch says only "fetch failed" (the SDKs, "Connection error."); the system error is down the cause chain. */
function systemCode(error: unknown): string | undefined {
  let node: unknown = error;
  for (let depth = 0; depth < 5 && node !== null && typeof node === 'object'; depth++) {
    const code = (node as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    node = (node as { cause?: unknown }).cause;
  }
  return undefined;
}
