// `hearth serve`: every (or the chosen) server over Streamable HTTP at /mcp/<server>.
import { HearthError } from '../../lib/errors.js';
import { loadConfig } from '../../shared/config.js';
import { startHttp } from '../../shared/http.js';
import { resolveCredentials } from '../../shared/http-credentials.js';
import { createLogger } from '../../shared/logger.js';
import { Redactor, secretsFromEnv } from '../../shared/redact.js';
import type { HearthServer } from '../../shared/server.js';
import type { Command } from '../cli-io.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';
import { nativeModulesFor, requireNativeModules } from '../native-modules.js';
import { findServer, serverNames } from '../registry.js';

export const USAGE = `hearth serve [--servers ${serverNames().join(',')}] [--host 127.0.0.1] [--port 8765] [config flags]

Serves Hearth over Streamable HTTP: each server at http://<host>:<port>/mcp/<server>.
Clients authenticate with Authorization: Bearer <token or passphrase>. Without a configured token
(http.token / HEARTH_HTTP_TOKEN) or passphrase (\`hearth passphrase set\`), a token is generated
once into <home>/http-token. Host and Origin headers are checked (localhost only unless
http.allowedHosts / http.allowedOrigins say more); requests are rate limited per client.

${CONFIG_HELP}`;

export const serve: Command = async (args, io) => {
  const { values } = parseCommand(args, { servers: { type: 'string' }, help: { type: 'boolean' } }, USAGE);
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const names = (values.servers ?? serverNames().join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !findServer(n));
  if (unknown.length)
    throw new HearthError(
      'INVALID_ARGUMENT',
      `--servers: no server named ${unknown.join(', ')}`,
      `Choose from ${serverNames().join(', ')}.`,
    );
  const { config, file } = loadConfig(configFlags(values), io.env);
  requireNativeModules(nativeModulesFor(names));
  const credentials = resolveCredentials(config);
  // Every kernel must know the token to redact it.
  if (credentials.token) config.http.token = credentials.token;
  const redactor = new Redactor([...config.secrets, ...secretsFromEnv(io.env), ...(credentials.token ? [credentials.token] : [])]);
  const owned = createLogger({ level: config.log.level, file: config.log.file, redactor, name: 'hearth-serve' });
  const servers: HearthServer[] = [];
  try {
    for (const name of names) servers.push(await (await findServer(name)!.load())(config, file));
    const http = await startHttp({ config, servers, log: owned.logger, passphraseHash: credentials.passphraseHash });
    const endpoints = names.map((n) => `  ${n}: ${http.url}/mcp/${n}`).join('\n');
    io.err(`hearth serve: listening on ${http.url}\n${endpoints}\nclients authenticate with ${credentials.description}`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
    });
    io.err('hearth serve: shutting down');
    await http.close();
    return 0;
  } finally {
    await Promise.allSettled(servers.map((s) => s.close()));
    owned.close();
  }
};
