// Plain HTTP requests under the web origin allowlist (the API fallback). Redirects are followed by
// hand so every hop is checked; the body is read as a stream and cut at a byte cap; a session's
// cookies go along and the cookies the server sets come back into that session.
import type { BrowserContext } from 'playwright-core';

import { describeError, HearthError } from '../../lib/errors.js';
import { type OriginPolicy, verdictFor } from './url-policy.js';

export interface RequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  timeoutMs: number;
  maxBytes: number;
  followRedirects: boolean;
}

export interface RequestOutcome {
  status: number;
  statusText: string;
  url: string;
  headers: Record<string, string>;
  contentType: string;
  body: Buffer;
  truncated: boolean;
  redirects: string[];
  blockedRedirect?: { url: string; reason: string };
}

const MAX_HOPS = 5;

export const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key|x-auth-token|api-key|x-csrf-token)$/i;

interface SetCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires?: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'Strict' | 'Lax' | 'None';
}

/** Parses one Set-Cookie header for `url` into Playwright's cookie shape. */
export function parseSetCookie(header: string, url: URL): SetCookie | undefined {
  const [pair, ...attributes] = header.split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq <= 0) return undefined;
  const cookie: SetCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    domain: url.hostname,
    path: url.pathname.replace(/\/[^/]*$/, '') || '/',
    httpOnly: false,
    secure: false,
    sameSite: 'Lax',
  };
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.split('=');
    const key = (rawKey ?? '').trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'domain' && value) {
      const domain = value.replace(/^\./, '').toLowerCase();
      // A server may only set cookies for its own host or a parent domain of it.
      if (url.hostname !== domain && !url.hostname.endsWith(`.${domain}`)) return undefined;
      cookie.domain = `.${domain}`;
    } else if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'max-age' && /^-?\d+$/.test(value)) cookie.expires = Math.floor(Date.now() / 1000) + Number(value);
    else if (key === 'expires' && cookie.expires === undefined) {
      const t = Date.parse(value);
      if (!Number.isNaN(t)) cookie.expires = Math.floor(t / 1000);
    } else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'samesite') {
      const v = value.toLowerCase();
      cookie.sameSite = v === 'strict' ? 'Strict' : v === 'none' ? 'None' : 'Lax';
    }
  }
  return cookie;
}

async function readCapped(response: Response, maxBytes: number): Promise<{ body: Buffer; truncated: boolean }> {
  if (!response.body) return { body: Buffer.alloc(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = Buffer.from(value);
    if (size + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { body: Buffer.concat(chunks), truncated };
}

export async function performRequest(
  spec: RequestSpec,
  options: { policy: OriginPolicy; context?: BrowserContext | undefined; signal: AbortSignal },
): Promise<RequestOutcome> {
  const timeout = AbortSignal.timeout(spec.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  let url = new URL(spec.url);
  let method = spec.method;
  let body = spec.body;
  const redirects: string[] = [];
  for (let hop = 0; ; hop++) {
    const headers = new Headers(spec.headers);
    if (options.context && !headers.has('cookie')) {
      const cookies = await options.context.cookies(url.href);
      if (cookies.length) headers.set('cookie', cookies.map((c) => `${c.name}=${c.value}`).join('; '));
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      if (options.signal.aborted)
        throw new HearthError('CANCELLED', 'the request was cancelled', 'Nothing more was sent after the cancellation.');
      if (timeout.aborted)
        throw new HearthError(
          'TIMEOUT',
          `url: ${url.href} did not answer within ${spec.timeoutMs} ms`,
          'Try again later, or raise timeoutMs.',
          { details: { field: 'url' } },
        );
      throw new HearthError(
        'UNAVAILABLE',
        `url: the request to ${url.href} failed: ${describeError((error as { cause?: unknown }).cause ?? error)}`,
        'Check that the server is up and the URL is right.',
        { details: { field: 'url' } },
      );
    }
    if (options.context) {
      const set = response.headers
        .getSetCookie()
        .map((h) => parseSetCookie(h, url))
        .filter((c): c is SetCookie => c !== undefined);
      if (set.length) await options.context.addCookies(set);
    }
    const location = response.headers.get('location');
    if (spec.followRedirects && response.status >= 300 && response.status < 400 && location) {
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        next = url;
      }
      const verdict = verdictFor(options.policy, next.href);
      const tooMany = hop + 1 >= MAX_HOPS;
      if (verdict.allowed && next.protocol.startsWith('http') && !tooMany) {
        await response.body?.cancel().catch(() => undefined);
        redirects.push(next.href);
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        url = next;
        continue;
      }
      const { body: data, truncated } = await readCapped(response, spec.maxBytes);
      return {
        ...shape(response, url, data, truncated, redirects),
        blockedRedirect: {
          url: next.href,
          reason: tooMany
            ? `more than ${MAX_HOPS} redirects`
            : verdict.allowed
              ? `the ${next.protocol} scheme is not allowed`
              : verdict.reason,
        },
      };
    }
    const { body: data, truncated } = await readCapped(response, spec.maxBytes);
    return shape(response, url, data, truncated, redirects);
  }
}

function shape(response: Response, url: URL, body: Buffer, truncated: boolean, redirects: string[]): RequestOutcome {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  return {
    status: response.status,
    statusText: response.statusText,
    url: url.href,
    headers,
    contentType: response.headers.get('content-type') ?? '',
    body,
    truncated,
    redirects,
  };
}

export function isTextual(contentType: string): boolean {
  return /^text\/|json|xml|javascript|x-www-form-urlencoded|csv|yaml/i.test(contentType) || contentType === '';
}
