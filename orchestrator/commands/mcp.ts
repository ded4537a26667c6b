// `hearth mcp <server>`: serve one server over stdio, for desktop and IDE clients.
import { HearthError } from '../../lib/errors.js';
import { loadConfig } from '../../shared/config.js';
import { runStdio } from '../../shared/stdio.js';
import type { Command } from '../cli-io.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';
import { nativeModulesFor, requireNativeModules } from '../native-modules.js';
import { findServer, serverNames } from '../registry.js';

export const USAGE = `hearth mcp <${serverNames().join('|')}> [config flags]

Serves one Hearth server over stdio. Add it to your MCP client with \`hearth config <client>\`.

${CONFIG_HELP}`;

export const mcp: Command = async (args, io) => {
  const { values, positionals } = parseCommand(args, {}, USAGE);
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const name = positionals[0];
  if (positionals.length > 1)
    throw new HearthError(
      'INVALID_ARGUMENT',
      `one server per process; got ${positionals.join(' ')}`,
      'Start one `hearth mcp <server>` per server.',
    );
  const entry = name === undefined ? undefined : findServer(name);
  if (!entry) {
    throw new HearthError(
      'INVALID_ARGUMENT',
      name === undefined ? 'which server? none was named' : `there is no server named ${name}`,
      `Run one of: ${serverNames()
        .map((n) => `hearth mcp ${n}`)
        .join(', ')}.`,
    );
  }
  const { config, file } = loadConfig(configFlags(values), io.env);
  requireNativeModules(nativeModulesFor([entry.name]));
  const create = await entry.load();
  const server = await create(config, file);
  await runStdio(server).done;
  return 0;
};
