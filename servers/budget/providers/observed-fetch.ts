// The fetch the Ollama client is given per call: it ties the request to the attempt's abort signal
// (the Ollama client takes no per-call signal) and remembers the response's status and Retry-After,
// which its errors do not carry. The SDK still does all the HTTP and wire-format work. Also home
// of the Retry-After parser every adapter uses.

export interface Observation {
  status?: number;
  retryAfterMs?: number;
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms, in milliseconds. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function observedFetch(signal: AbortSignal, observation: Observation): typeof fetch {
  return async (input, init) => {
    const merged = init?.signal ? AbortSignal.any([init.signal, signal]) : signal;
    const response = await fetch(input, { ...init, signal: merged });
    observation.status = response.status;
    const wait = response.ok ? undefined : retryAfterMs(response.headers);
    if (wait !== undefined) observation.retryAfterMs = wait;
    return response;
  };
}
