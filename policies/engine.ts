// The policy engine: answers the questions the kernel and the servers ask — which mode, may this
// tool run, may this path / origin / host be reached, is this caller over its rate.
import type { Effect } from '../lib/effect.js';
import { HearthError } from '../lib/errors.js';
import { PathJail } from '../lib/path-jail.js';
import { type RateDecision, RateLimiter } from '../lib/rate-limit.js';
import { type Mode, narrow } from './modes.js';
import { hostMatches, matchesAny, originMatches } from './patterns.js';
import type { Policy } from './schema.js';

export class PolicyEngine {
  private readonly limiter: RateLimiter;
  private jailCache: PathJail | undefined;
  private current: Policy;

  constructor(
    policy: Policy,
    /** Where the policy came from, for error hints. */
    readonly source: string,
    /** A mode set for this process by the person (config, env or flag); replaces the policy's. */
    private readonly modeOverride?: Mode,
    now?: () => number,
  ) {
    this.limiter = new RateLimiter(now);
    this.current = policy;
  }

  /** The policy in force: the one loaded at start, or the last good edit of its file since. */
  get policy(): Policy {
    return this.current;
  }

  /** Puts an edited policy in force from the next question on; rate buckets carry over. */
  replace(policy: Policy): void {
    this.current = policy;
    this.jailCache = undefined;
  }

  /** The mode a server runs in; a per-call request may only narrow it. */
  modeFor(server: string, requested?: Mode): Mode {
    const granted = this.modeOverride ?? this.policy.servers[server]?.mode ?? this.policy.mode;
    return narrow(granted, requested);
  }

  toolAllowed(tool: string): boolean {
    const { allow, deny } = this.policy.tools;
    return !matchesAny(deny, tool) && matchesAny(allow, tool);
  }

  assertToolAllowed(tool: string): void {
    if (!this.toolAllowed(tool)) {
      throw new HearthError(
        'TOOL_NOT_ALLOWED',
        `the policy does not allow the tool ${tool}`,
        `A person can allow it in ${this.source} (tools.allow / tools.deny).`,
      );
    }
  }

  /** The file-root jail; built on first use so roots created after start-up are seen. */
  get jail(): PathJail {
    this.jailCache ??= new PathJail(this.policy.roots);
    return this.jailCache;
  }

  originAllowed(url: URL): boolean {
    return this.policy.web.origins.some((p) => originMatches(p, url));
  }

  outboundAllowed(host: string): boolean {
    return this.policy.outbound.hosts.some((p) => hostMatches(p, host));
  }

  providerAllowed(provider: string): boolean {
    return (this.policy.llm.providers as readonly string[]).includes(provider);
  }

  /**
   * Per-client and per-tool rate limits; the stricter answer wins. Read tools draw on their own,
   * larger bucket: a program searching back to back should not be throttled like one writing.
   */
  checkRate(client: string, tool: string, effect: Effect): RateDecision {
    const { perClient, reads, perTool } = this.policy.rateLimits;
    const [bucket, limit] = effect === 'read' ? ['reads', reads] : ['client', perClient];
    const overall = this.limiter.take(
      `${bucket}:${client}`,
      limit.callsPerMinute,
      limit.burst ?? Math.max(1, Math.floor(limit.callsPerMinute / 10)),
    );
    if (!overall.ok) return overall;
    for (const [pattern, rate] of Object.entries(perTool)) {
      if (!matchesAny([pattern], tool)) continue;
      const decision = this.limiter.take(
        `tool:${pattern}:${client}`,
        rate.callsPerMinute,
        rate.burst ?? Math.max(1, Math.floor(rate.callsPerMinute / 10)),
      );
      if (!decision.ok) return decision;
    }
    return overall;
  }
}
