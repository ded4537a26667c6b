// How an HTTP client gets into `hearth serve`, seen without changing anything: the URL of each
// server, and which credential the server will accept and where it is kept. (`hearth serve` itself
// generates the token file on first start; describing it must not.)
import { existsSync, readFileSync } from 'node:fs';

import type { HearthConfig } from '../shared/config.js';
import { passphraseFile, tokenFile } from '../shared/http-credentials.js';

export type Credential =
  | { kind: 'configured-token'; token: string; where: string }
  | { kind: 'passphrase'; where: string }
  | { kind: 'token-file'; token: string; where: string }
  | { kind: 'token-not-yet'; where: string };

export function serveUrl(config: HearthConfig): string {
  const host = config.http.host;
  // A server bound to every interface is still reached locally through loopback.
  const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${local.includes(':') ? `[${local}]` : local}:${config.http.port}`;
}

/** The credential `hearth serve` will check, in the order it resolves them. */
export function httpCredential(config: HearthConfig, env: NodeJS.ProcessEnv): Credential {
  if (config.http.token)
    return {
      kind: 'configured-token',
      token: config.http.token,
      where: env.HEARTH_HTTP_TOKEN ? 'the HEARTH_HTTP_TOKEN variable' : 'the http.token setting',
    };
  const passphrase = passphraseFile(config.home);
  if (config.http.passphraseHash) return { kind: 'passphrase', where: 'your passphrase (its hash is the http.passphraseHash setting)' };
  if (existsSync(passphrase)) return { kind: 'passphrase', where: `your passphrase (its hash is in ${passphrase})` };
  const file = tokenFile(config.home);
  if (existsSync(file)) return { kind: 'token-file', token: readFileSync(file, 'utf8').trim(), where: file };
  return { kind: 'token-not-yet', where: file };
}
