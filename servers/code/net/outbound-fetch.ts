// fetch for sandboxed code, done by the server: only http(s), only to hosts the policy's
// outbound.hosts allows, checked again on every redirect hop (redirects are followed by hand),
// within a time limit and a body-size cap. Errors are plain messages the sandboxed code sees.
import type { FetchRequest, FetchResponse } from '../sandbox/protocol.js';

export interface OutboundLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export interface OutboundPolicy {
  allowed(host: string): boolean;
}

const STRIP_ON_CROSS_ORIGIN = new Set(['authorization', 'cookie', 'proxy-authorization']);

function checkUrl(raw: string, policy: OutboundPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`fetch: ${JSON.stringify(raw.slice(0, 200))} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`fetch: the ${url.protocol} scheme is not allowed; only http and https`);
  if (!policy.allowed(url.hostname)) {
    // The code sees this message: it names the setting, not where the policy file lives on this machine.
    throw new Error(`fetch: ${url.hostname} is not on the outbound allowlist; a person can add it to outbound.hosts in the policy file`);
  }
  return url;
}

function headerList(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, key) => out.push([key, value]));
  return out;
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new Error(`fetch: the response is ${declared} bytes, above the ${maxBytes}-byte limit`);
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`fetch: the response is larger than the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export async function outboundFetch(
  request: FetchRequest,
  policy: OutboundPolicy,
  limits: OutboundLimits,
  deadline: number,
  signal: AbortSignal,
): Promise<FetchResponse> {
  const budget = Math.min(limits.timeoutMs, deadline - Date.now());
  if (budget <= 0) throw new Error('fetch: no time is left in this run');
  const timer = AbortSignal.timeout(budget);
  const combined = AbortSignal.any([signal, timer]);
  let url = checkUrl(request.url, policy);
  let method = request.method;
  let body = request.body;
  let headers = request.headers;
  try {
    for (let hop = 0; ; hop++) {
      const sendBody =
        body === undefined || method === 'GET' || method === 'HEAD' ? undefined : typeof body === 'string' ? body : Buffer.from(body);
      const response = await fetch(url, {
        method,
        headers,
        ...(sendBody === undefined ? {} : { body: sendBody }),
        redirect: 'manual',
        signal: combined,
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (hop >= limits.maxRedirects) throw new Error(`fetch: more than ${limits.maxRedirects} redirects`);
        const next = checkUrl(new URL(location, url).toString(), policy);
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        if (next.origin !== url.origin) headers = headers.filter(([k]) => !STRIP_ON_CROSS_ORIGIN.has(k.toLowerCase()));
        url = next;
        continue;
      }
      return {
        status: response.status,
        statusText: response.statusText,
        url: url.toString(),
        redirected: hop > 0,
        headers: headerList(response.headers),
        body: await readCapped(response, limits.maxBytes),
      };
    }
  } catch (error) {
    if (timer.aborted) throw new Error(`fetch: no answer within ${budget} ms`);
    if (signal.aborted) throw new Error('fetch: cancelled because the run ended');
    throw error instanceof Error && error.message.startsWith('fetch:')
      ? error
      : new Error(
          `fetch: ${url.hostname}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
        );
  }
}
