// Allowlist matching: tool-name globs, web origins and outbound hosts. Deny by default: an empty
// list matches nothing.

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

export function matchesAny(patterns: readonly string[], value: string): boolean {
  return patterns.some((p) => globToRegExp(p).test(value));
}

/** `example.com` matches only itself; `*.example.com` matches subdomains (not the apex). */
export function hostMatches(pattern: string, host: string): boolean {
  const bare = (name: string) =>
    name
      .toLowerCase()
      .replace(/\.$/, '')
      .replace(/^\[|\]$/g, '');
  const p = bare(pattern);
  const h = bare(host);
  if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
  return p === h;
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : protocol === 'wss:' ? '443' : protocol === 'ws:' ? '80' : '';
}

/**
 * Origin patterns: `https://example.com` (default port only), `https://example.com:8443`,
 * `http://127.0.0.1:*` (any port), `https://*.example.com`. ws/wss match their http/https pattern.
 */
export function originMatches(pattern: string, url: URL): boolean {
  const m = /^(https?):\/\/([^/:]+|\[[^\]]+\])(?::(\d+|\*))?\/?$/i.exec(pattern.trim());
  if (!m) return false;
  const protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  if (`${m[1]!.toLowerCase()}:` !== protocol) return false;
  if (!hostMatches(m[2]!, url.hostname)) return false;
  const port = url.port || defaultPort(protocol);
  const wanted = m[3] ?? defaultPort(protocol);
  return wanted === '*' || wanted === port;
}

/** Whether a pattern list is well formed; returns the bad entries. */
export function badOriginPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((p) => !/^(https?):\/\/([^/:]+|\[[^\]]+\])(?::(\d+|\*))?\/?$/i.test(p.trim()));
}
