// The allowlist compiled for Chromium, so that allowed traffic never detours through Node:
// - a regular expression matching every URL NOT on the list: Playwright's network layer matches it
//   as each request is paused for interception, so only those requests reach the route handler
//   (which checks them again with the policy engine before blocking). It may match too much, never
//   too little. (While any route is set, Playwright pauses every request of the context once and
//   turns the HTTP cache off: that is the price of seeing each request before it leaves.)
// - proxy bypass rules for the exactly-named allowed origins: those connect directly, and every
//   other connection — a redirect hop to elsewhere included — goes to the filter proxy. Wildcard
//   hosts get no rule (their traffic goes through the proxy, which allows it), so a bypass rule is
//   never broader than the allowlist entry it comes from.

const PATTERN = /^(https?):\/\/([^/:]+|\[[^\]]+\])(?::(\d+|\*))?\/?$/i;
const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The regex source of the URLs one allowlist pattern admits (scheme, host and port). */
function admitted(pattern: string, schemes: (scheme: string) => string): string | undefined {
  const m = PATTERN.exec(pattern.trim());
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!.toLowerCase().replace(/\.$/, '');
  const hostSource = host.startsWith('*.') ? `[^/?#@:\\[\\]]+\\.${escape(host.slice(2))}` : escape(host);
  const port = m[3];
  const portSource =
    port === '*' ? '(?::\\d+)?' : port === undefined || port === DEFAULT_PORT[scheme] ? `(?::${DEFAULT_PORT[scheme]})?` : `:${port}`;
  return `${schemes(scheme)}:\\/\\/${hostSource}${portSource}`;
}

function build(origins: readonly string[], schemes: (scheme: string) => string): RegExp {
  const allowed = origins.map((o) => admitted(o, schemes)).filter((s): s is string => s !== undefined);
  if (!allowed.length) return /^/;
  return new RegExp(`^(?!(?:${allowed.join('|')})(?:[/?#]|$))`, 'i');
}

/** Matches every http(s) URL whose origin is not allowed (and every other scheme). */
export function blockedUrls(origins: readonly string[]): RegExp {
  return build(origins, (scheme) => scheme);
}

/** The same for WebSocket URLs: ws and wss follow the http and https patterns. */
export function blockedWebSockets(origins: readonly string[]): RegExp {
  return build(origins, (scheme) => (scheme === 'https' ? 'wss' : 'ws'));
}

/** Chromium proxy-bypass rules for the allowlist entries with an exact host, e.g. `http://127.0.0.1:8080`. */
export function bypassRules(origins: readonly string[]): string[] {
  const rules: string[] = [];
  for (const origin of origins) {
    const m = PATTERN.exec(origin.trim());
    if (!m) continue;
    const scheme = m[1]!.toLowerCase();
    const host = m[2]!.toLowerCase().replace(/\.$/, '');
    if (host.includes('*') || !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(host)) continue;
    const port = m[3];
    rules.push(port === '*' ? `${scheme}://${host}` : `${scheme}://${host}:${port ?? DEFAULT_PORT[scheme]}`);
  }
  return rules;
}

/**
 * A `--host-resolver-rules` switch under which Chromium resolves only the allowed hosts (and the
 * loopback address of the filter proxy): a name lookup is itself a message to whoever runs the DNS
 * server, and a page could spell data into a name. Traffic to other hosts goes through the proxy,
 * which needs no lookup by Chromium.
 */
export function hostResolverRules(origins: readonly string[]): string {
  const excluded = new Set(['127.0.0.1']);
  for (const origin of origins) {
    const m = PATTERN.exec(origin.trim());
    if (!m) continue;
    const host = m[2]!.toLowerCase().replace(/\.$/, '');
    if (!/^(\*\.)?(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(host)) continue;
    excluded.add(host);
    if (host.startsWith('[')) excluded.add(host.slice(1, -1));
  }
  return `--host-resolver-rules=MAP * ~NOTFOUND, ${[...excluded].map((host) => `EXCLUDE ${host}`).join(', ')}`;
}
