// The MCP client configuration snippets for each supported client, built from the server registry.
import { resolve } from 'node:path';

import { serverNames } from './registry.js';

export const CLIENTS = ['claude', 'claude-code', 'cursor', 'vscode'] as const;
export type ClientName = (typeof CLIENTS)[number];

export interface Launch {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** How to launch `hearth mcp <server>` with absolute paths (no PATH lookups in the client). */
export function absoluteLaunch(server: string, repo: string, home: string | undefined): Launch {
  return {
    command: process.execPath,
    args: ['--no-node-snapshot', resolve(repo, 'bin', 'hearth.js'), 'mcp', server],
    ...(home ? { env: { HEARTH_HOME: home } } : {}),
  };
}

/** The `mcpServers` object Claude Desktop, Cursor and `.mcp.json` use. */
export function mcpServers(launch: (server: string) => Launch): Record<string, Launch> {
  return Object.fromEntries(serverNames().map((name) => [`hearth-${name}`, launch(name)]));
}

export function snippet(client: ClientName, launch: (server: string) => Launch): { where: string; text: string } {
  const servers = mcpServers(launch);
  switch (client) {
    case 'claude':
      return {
        where:
          'Claude Desktop: merge into claude_desktop_config.json (macOS: ~/Library/Application Support/Claude/, Windows: %APPDATA%\\Claude\\, Linux: ~/.config/Claude/), then restart Claude Desktop.',
        text: JSON.stringify({ mcpServers: servers }, null, 2),
      };
    case 'cursor':
      return {
        where: 'Cursor: merge into ~/.cursor/mcp.json (all projects) or .cursor/mcp.json (this project).',
        text: JSON.stringify({ mcpServers: servers }, null, 2),
      };
    case 'vscode':
      return {
        where: 'VS Code: merge into .vscode/mcp.json in your workspace (or run "MCP: Open User Configuration").',
        text: JSON.stringify(
          { servers: Object.fromEntries(Object.entries(servers).map(([name, l]) => [name, { type: 'stdio', ...l }])) },
          null,
          2,
        ),
      };
    case 'claude-code': {
      const quote = (s: string) => (/^[\w./:=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
      const lines = Object.entries(servers).map(([name, l]) => {
        const env = Object.entries(l.env ?? {})
          .map(([k, v]) => `--env ${k}=${quote(v)} `)
          .join('');
        return `claude mcp add ${env}${name} -- ${[l.command, ...l.args].map(quote).join(' ')}`;
      });
      return {
        where:
          'Claude Code: run these commands (add --scope user to use them in every project), or put the mcpServers object in .mcp.json.',
        text: lines.join('\n'),
      };
    }
  }
}
