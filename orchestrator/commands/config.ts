// `hearth config <client>`: print the snippet that adds Hearth to an MCP client, with absolute paths.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { HearthError } from '../../shared/errors.js';
import type { Command } from '../cli-io.js';
import { absoluteLaunch, type ClientName, CLIENTS, snippet } from '../client-config.js';
import { parseCommand } from '../config-flags.js';

export const USAGE = `hearth config <${CLIENTS.join('|')}> [--home <dir>]

Prints the configuration that adds every Hearth server to that MCP client, with absolute paths to
this Node and this checkout. --home pins the data directory the servers use (HEARTH_HOME).`;

/** The checkout this command runs from: two levels above this file, in source or in dist. */
function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const up = resolve(here, '..', '..');
  return up.endsWith('/dist') ? resolve(up, '..') : up;
}

export const config: Command = async (args, io) => {
  const { values, positionals } = parseCommand(args, { help: { type: 'boolean' } }, USAGE);
  const client = positionals[0];
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!client || !(CLIENTS as readonly string[]).includes(client)) {
    throw new HearthError(
      'INVALID_ARGUMENT',
      client ? `unknown client ${client}` : 'which client?',
      `Use one of: ${CLIENTS.map((c) => `hearth config ${c}`).join(', ')}.`,
    );
  }
  const home = typeof values.home === 'string' ? resolve(values.home) : undefined;
  const { where, text } = snippet(client as ClientName, (server) => absoluteLaunch(server, repoRoot(), home));
  io.err(where);
  io.out(text);
  return 0;
};
