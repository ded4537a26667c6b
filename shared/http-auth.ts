// HTTP authentication: a bearer token (compared in constant time) or a passphrase stored only as
// an argon2id hash. A verified passphrase is remembered briefly by its SHA-256 so argon2's
// deliberate slowness is paid once per client, not once per request.
import { createHash, timingSafeEqual } from 'node:crypto';

import type { AuthInfo } from '@modelcontextprotocol/server';
import { verify } from '@node-rs/argon2';

const REMEMBER_MS = 5 * 60_000;
const MAX_REMEMBERED = 256;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export interface Credentials {
  token?: string | undefined;
  passphraseHash?: string | undefined;
}

export class HttpAuthenticator {
  private readonly remembered = new Map<string, number>();

  constructor(
    private readonly credentials: Credentials,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The bearer credential in an Authorization header, or undefined. */
  static presented(header: string | undefined): string | undefined {
    const match = /^Bearer\s+(.+?)\s*$/i.exec(header ?? '');
    return match?.[1];
  }

  /** A short stable key for a presented credential (for rate limiting), never the credential. */
  static fingerprint(presented: string): string {
    return sha256(presented).toString('hex').slice(0, 16);
  }

  async authenticate(presented: string | undefined): Promise<AuthInfo | undefined> {
    if (!presented) return undefined;
    const { token, passphraseHash } = this.credentials;
    if (token !== undefined) {
      // Compare digests: constant time, and no length leak.
      if (timingSafeEqual(sha256(presented), sha256(token)))
        return { token: presented, clientId: `token:${HttpAuthenticator.fingerprint(presented)}`, scopes: ['mcp'] };
    }
    if (passphraseHash !== undefined) {
      const key = sha256(passphraseHash + '\n' + presented).toString('hex');
      const until = this.remembered.get(key);
      const ok = (until !== undefined && until > this.now()) || (await verify(passphraseHash, presented).catch(() => false));
      if (ok) {
        if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
        this.remembered.set(key, this.now() + REMEMBER_MS);
        return { token: presented, clientId: `passphrase:${HttpAuthenticator.fingerprint(presented)}`, scopes: ['mcp'] };
      }
    }
    return undefined;
  }
}
