// Which URLs a page may reach. Only http(s) and ws(s) on an allowed origin touch the network;
// about:blank/srcdoc, data: and blob: never leave the browser; every other scheme is refused.
import { HearthError } from '../../lib/errors.js';

export type UrlVerdict = { allowed: true } | { allowed: false; reason: string };

/** The part of the policy engine the web server needs. */
export interface OriginPolicy {
  originAllowed(url: URL): boolean;
  readonly source: string;
  readonly policy: { readonly web: { readonly origins: readonly string[] } };
}

const LOCAL_ONLY = new Set(['data:', 'blob:']);
const NETWORK = new Set(['http:', 'https:', 'ws:', 'wss:']);

/** Whether a request the page makes may go out. */
export function verdictFor(policy: OriginPolicy, raw: string): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'not a valid URL' };
  }
  if (url.protocol === 'about:')
    return url.href === 'about:blank' || url.href === 'about:srcdoc'
      ? { allowed: true }
      : { allowed: false, reason: `${url.href} is not allowed` };
  if (LOCAL_ONLY.has(url.protocol)) return { allowed: true };
  if (!NETWORK.has(url.protocol)) return { allowed: false, reason: `the ${url.protocol} scheme is never allowed` };
  if (url.username || url.password) return { allowed: false, reason: 'URLs with embedded credentials are not allowed' };
  return policy.originAllowed(url) ? { allowed: true } : { allowed: false, reason: `${url.origin} is not on the web origin allowlist` };
}

/**
 * Checks a URL the model asked to open. Only http(s) on an allowed origin; `about:blank` is allowed
 * as an empty page. file:, chrome:, javascript:, data: and the rest are refused outright.
 */
export function assertNavigable(policy: OriginPolicy, raw: string, field: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HearthError(
      'INVALID_ARGUMENT',
      `${field}: ${JSON.stringify(raw)} is not an absolute URL`,
      'Pass a full URL such as https://example.com/page.',
      { details: { field } },
    );
  }
  if (url.href === 'about:blank') return url.href;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HearthError(
      'ORIGIN_NOT_ALLOWED',
      `${field}: the ${url.protocol} scheme is never allowed`,
      'Only http and https pages can be opened; file:, chrome:, javascript: and data: URLs are refused.',
      { details: { field } },
    );
  }
  if (url.username || url.password) {
    throw new HearthError(
      'INVALID_ARGUMENT',
      `${field}: URLs with a user name or password in them are refused`,
      'Remove the credentials from the URL; log in through the page instead, or restore a saved session.',
      { details: { field } },
    );
  }
  if (!policy.originAllowed(url)) {
    throw new HearthError(
      'ORIGIN_NOT_ALLOWED',
      `${field}: ${url.origin} is not on the web origin allowlist`,
      `A person can add "${url.origin}" to web.origins in ${policy.source}.`,
      { details: { field, origin: url.origin } },
    );
  }
  return url.href;
}
