// HTTP authentication: a bearer token (compared in constant time) or a passphrase stored only as
// an argon2id hash. The answer is a decision, not an exception: let in, 401, or 429.
//
// Guessing is what this guards against, and argon2's deliberate slowness is what makes a guess
// cost something — so the order matters:
// - the token and an already verified passphrase are checked first, for free, and never throttled:
//   wrong guesses from the same address cannot lock a holder of the right credential out;
// - every other attempt reserves a failure from its address's allowance *before* the slow check
//   (and gets it back if it turns out right), so parallel requests cannot all slip in before the
//   first failure is counted;
// - at most a few argon2 verifications run at once, with a short queue; beyond it, 429.
// A verified passphrase is remembered briefly by its SHA-256, so argon2 is paid once per client.
import { createHash, timingSafeEqual } from 'node:crypto';

import type { AuthInfo } from '@modelcontextprotocol/server';
import { verify as argon2Verify } from '@node-rs/argon2';

import { RateLimiter } from '../lib/rate-limit.js';

const REMEMBER_MS = 5 * 60_000;
const MAX_REMEMBERED = 256;
/** Failed authentication attempts allowed per remote address per minute. */
export const AUTH_FAILURES_PER_MINUTE = 20;
/** argon2 verifications running at once, and waiting for a turn. */
export const MAX_VERIFYING = 2;
export const MAX_WAITING = 8;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export interface Credentials {
  token?: string | undefined;
  passphraseHash?: string | undefined;
}

export type AuthDecision =
  | { ok: true; info: AuthInfo }
  | { ok: false; status: 401; reason: 'missing' | 'invalid' }
  | { ok: false; status: 429; reason: 'too-many-failures' | 'busy'; retryAfterSeconds: number };

export interface AuthOptions {
  now?: () => number;
  /** The argon2 check; replaceable so a test can count and hold verifications. */
  verify?: (hash: string, presented: string) => Promise<boolean>;
}

export class HttpAuthenticator {
  private readonly remembered = new Map<string, number>();
  private readonly failures: RateLimiter;
  private readonly now: () => number;
  private readonly verify: (hash: string, presented: string) => Promise<boolean>;
  private verifying = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly credentials: Credentials,
    options: AuthOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now());
    this.failures = new RateLimiter(this.now);
    this.verify = options.verify ?? ((hash, presented) => argon2Verify(hash, presented).catch(() => false));
  }

  /** The bearer credential in an Authorization header, or undefined. */
  static presented(header: string | undefined): string | undefined {
    const match = /^Bearer\s+(.+?)\s*$/i.exec(header ?? '');
    return match?.[1];
  }

  /** A short stable key for a presented credential (for rate limiting), never the credential. */
  static fingerprint(presented: string): string {
    return sha256(presented).toString('hex').slice(0, 16);
  }

  /** Decides on the credential `presented` by a client at `remote` (its address). */
  async authenticate(presented: string | undefined, remote: string): Promise<AuthDecision> {
    if (!presented) return { ok: false, status: 401, reason: 'missing' };
    const { token, passphraseHash } = this.credentials;
    // Compare digests: constant time, and no length leak.
    if (token !== undefined && timingSafeEqual(sha256(presented), sha256(token))) return this.allow('token', presented);
    const key = passphraseHash === undefined ? undefined : sha256(passphraseHash + '\n' + presented).toString('hex');
    if (key !== undefined && (this.remembered.get(key) ?? 0) > this.now()) return this.allow('passphrase', presented);

    const failureKey = `authfail:${remote}`;
    const reserved = this.failures.take(failureKey, AUTH_FAILURES_PER_MINUTE, AUTH_FAILURES_PER_MINUTE);
    if (!reserved.ok) return { ok: false, status: 429, reason: 'too-many-failures', retryAfterSeconds: reserved.retryAfterSeconds };
    if (passphraseHash === undefined || key === undefined) return { ok: false, status: 401, reason: 'invalid' };

    if (!(await this.turn())) {
      // Turned away unchecked: not a failure.
      this.failures.refund(failureKey, AUTH_FAILURES_PER_MINUTE);
      return { ok: false, status: 429, reason: 'busy', retryAfterSeconds: 1 };
    }
    let ok: boolean;
    try {
      ok = await this.verify(passphraseHash, presented);
    } finally {
      this.release();
    }
    if (!ok) return { ok: false, status: 401, reason: 'invalid' };
    this.failures.refund(failureKey, AUTH_FAILURES_PER_MINUTE);
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
    this.remembered.set(key, this.now() + REMEMBER_MS);
    return this.allow('passphrase', presented);
  }

  private allow(kind: 'token' | 'passphrase', presented: string): AuthDecision {
    return { ok: true, info: { token: presented, clientId: `${kind}:${HttpAuthenticator.fingerprint(presented)}`, scopes: ['mcp'] } };
  }

  /** Waits for a verification slot; false when the queue is full. */
  private async turn(): Promise<boolean> {
    if (this.verifying < MAX_VERIFYING) {
      this.verifying++;
      return true;
    }
    if (this.waiting.length >= MAX_WAITING) return false;
    // The slot is handed over by release(), so `verifying` already counts this caller.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return true;
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.verifying--;
  }
}
