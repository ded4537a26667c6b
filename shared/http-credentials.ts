// Where `hearth serve` gets its credentials: a configured token, else a configured or stored
// passphrase hash, else a token generated once and kept in <home>/http-token (mode 0600).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureDir } from '../lib/home.js';
import type { HearthConfig } from './config.js';

export interface ResolvedCredentials {
  token?: string;
  passphraseHash?: string;
  /** For the person: where the credential is, never the credential itself. */
  description: string;
}

export function tokenFile(home: string): string {
  return join(home, 'http-token');
}

export function passphraseFile(home: string): string {
  return join(home, 'http-passphrase');
}

export function resolveCredentials(config: HearthConfig): ResolvedCredentials {
  const { home } = config;
  const passphraseHash =
    config.http.passphraseHash ?? (existsSync(passphraseFile(home)) ? readFileSync(passphraseFile(home), 'utf8').trim() : undefined);
  if (config.http.token)
    return {
      token: config.http.token,
      ...(passphraseHash ? { passphraseHash } : {}),
      description: 'the configured bearer token (http.token / HEARTH_HTTP_TOKEN)',
    };
  if (passphraseHash) return { passphraseHash, description: 'your passphrase (set with `hearth passphrase set`)' };
  const file = tokenFile(home);
  if (!existsSync(file)) {
    ensureDir(home);
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return { token: readFileSync(file, 'utf8').trim(), description: `the bearer token in ${file}` };
}
