// `hearth config <client>`: print the snippet that adds Hearth to an MCP client, with absolute paths
// to the Node that installed node_modules and to this installation, carrying the settings given here.
import { join } from 'node:path';

import { HearthError } from '../../lib/errors.js';
import { loadPolicy } from '../../policies/load.js';
import { type HearthConfig, loadConfig } from '../../shared/config.js';
import { packageInfo } from '../../shared/package-info.js';
import { carriedSettings } from '../carried-settings.js';
import type { CliIO, Command } from '../cli-io.js';
import {
  type ClientName,
  CLIENTS,
  HTTP_CLIENTS,
  type HttpClientName,
  httpSnippet,
  snippet,
  stdioLaunch,
  TOKEN_VARIABLE,
} from '../client-config.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';
import { type Credential, httpCredential, serveUrl } from '../http-access.js';
import { findServer, serverNames } from '../registry.js';
import { readRuntimeRecord, recordedNodeToUse, runningNode } from '../runtime.js';

export const USAGE = `hearth config <${CLIENTS.join('|')}> [config flags]
hearth config http [--client ${HTTP_CLIENTS.join('|')}] [--servers a,b] [--host h] [--port n] [--show-token]

Prints the configuration that adds every Hearth server to that MCP client (stdio: the client
starts \`hearth mcp <server>\` with absolute paths to the Node that installed Hearth and to this
installation). Settings that change what the servers do are carried into the snippet: the config
flags below and the HEARTH_* variables exported here (HEARTH_SECRETS and HEARTH_HTTP_* are not).
Where to put the snippet, and what was carried, is printed on stderr.

http prints entries for clients that connect to \`hearth serve\` over Streamable HTTP. The token is
not printed: the entries read it from the ${TOKEN_VARIABLE} variable (Claude Code, Cursor) or ask for
it (VS Code). --show-token writes the token itself into the snippet.

${CONFIG_HELP}`;

export const config: Command = async (args, io) => {
  const { values, positionals } = parseCommand(
    args,
    { client: { type: 'string' }, servers: { type: 'string' }, 'show-token': { type: 'boolean' } },
    USAGE,
  );
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [target, ...extra] = positionals;
  if (target === undefined || (target !== 'http' && !(CLIENTS as readonly string[]).includes(target)) || extra.length) {
    throw new HearthError(
      'INVALID_ARGUMENT',
      target === undefined ? 'which client?' : extra.length ? `unexpected ${extra.join(' ')}` : `unknown client ${target}`,
      `Use one of: ${[...CLIENTS, 'http'].map((c) => `hearth config ${c}`).join(', ')}.`,
    );
  }
  // A snippet must start a server that works: the settings it carries are checked here first.
  const { config: resolved } = loadConfig(configFlags(values), io.env);
  loadPolicy(resolved.policyFile, resolved.home);
  if (target === 'http') return httpConfig(values, resolved, io);
  if (values.client !== undefined || values.servers !== undefined || values['show-token'])
    throw new HearthError(
      'INVALID_ARGUMENT',
      '--client, --servers and --show-token belong to hearth config http',
      'Drop them, or use hearth config http.',
    );

  const { root } = packageInfo();
  const running = runningNode();
  const node = recordedNodeToUse(readRuntimeRecord(root), running) ?? running.execPath;
  const carried = carriedSettings(values, io.env, process.cwd());
  const { where, text } = snippet(target as ClientName, (server) =>
    stdioLaunch(server, { node, bin: join(root, 'bin', 'hearth.js'), args: carried.args, env: carried.env }),
  );
  io.err(where);
  io.err(
    carried.carried.length
      ? `Carried into the snippet: ${carried.carried.join(', ')}.`
      : `No settings to carry: the servers use the defaults (data in ${resolved.home}).`,
  );
  if (carried.left.length) io.err(`Not carried: ${carried.left.join('; ')}.`);
  io.out(text);
  return 0;
};

function httpConfig(values: Record<string, unknown>, resolved: HearthConfig, io: CliIO): number {
  const client = (values.client ?? 'claude-code') as string;
  if (!(HTTP_CLIENTS as readonly string[]).includes(client))
    throw new HearthError(
      'INVALID_ARGUMENT',
      `--client ${client}: not a client that connects over HTTP`,
      `Use one of ${HTTP_CLIENTS.join(', ')}.`,
    );
  const servers = (typeof values.servers === 'string' ? values.servers : serverNames().join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = servers.filter((s) => !findServer(s));
  if (unknown.length || !servers.length)
    throw new HearthError(
      'INVALID_ARGUMENT',
      `--servers: no server named ${unknown.join(', ') || '(none given)'}`,
      `Choose from ${serverNames().join(', ')}.`,
    );

  const credential = httpCredential(resolved, io.env);
  let token: string | undefined;
  if (values['show-token']) {
    if (credential.kind === 'passphrase')
      throw new HearthError(
        'INVALID_ARGUMENT',
        'the server accepts your passphrase, which is stored only as a hash',
        'Type the passphrase into the snippet yourself.',
      );
    if (credential.kind === 'token-not-yet')
      throw new HearthError(
        'NOT_FOUND',
        `there is no token yet: ${credential.where} is written the first time hearth serve starts`,
        `Start hearth serve once, or set ${TOKEN_VARIABLE}, then run this again.`,
      );
    token = credential.token;
  }
  const { where, text } = httpSnippet(client as HttpClientName, serveUrl(resolved), servers, token);
  io.err(where);
  const serveFlags = [
    ...(values.servers ? ['--servers', servers.join(',')] : []),
    ...(['host', 'port'] as const).flatMap((flag) => (typeof values[flag] === 'string' ? [`--${flag}`, values[flag]] : [])),
  ];
  io.err(`Start the servers with: hearth serve${serveFlags.map((f) => ` ${f}`).join('')} (it listens on ${serveUrl(resolved)}).`);
  io.err(tokenAdvice(credential, client as HttpClientName, token !== undefined));
  io.out(text);
  return 0;
}

function tokenAdvice(credential: Credential, client: HttpClientName, shown: boolean): string {
  if (shown) return 'The snippet contains the token itself: keep that file private (anyone with the token can use the servers).';
  const source =
    credential.kind === 'passphrase'
      ? `The server accepts ${credential.where}: set ${TOKEN_VARIABLE} to it`
      : credential.kind === 'configured-token'
        ? `The server accepts the token in ${credential.where}`
        : credential.kind === 'token-file'
          ? `The server accepts the token in ${credential.where}: export ${TOKEN_VARIABLE}="$(cat ${credential.where})"`
          : `hearth serve writes a token to ${credential.where} when it first starts; then export ${TOKEN_VARIABLE}="$(cat ${credential.where})"`;
  return client === 'vscode'
    ? `${source.replace(/: (set|export) .*$/, '')}; VS Code asks for it the first time it connects.`
    : `${source} in the environment the client starts from (the entries read \${${client === 'cursor' ? 'env:' : ''}${TOKEN_VARIABLE}}).`;
}
