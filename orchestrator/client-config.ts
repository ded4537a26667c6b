// The MCP client configuration snippets for each supported client, built from the server registry:
// stdio entries that start `hearth mcp <server>`, and HTTP entries that reach `hearth serve`.
import { serverNames } from './registry.js';

export const CLIENTS = ['claude', 'claude-code', 'cursor', 'vscode'] as const;
export type ClientName = (typeof CLIENTS)[number];

/** Clients that can reach a server over Streamable HTTP from a config file. */
export const HTTP_CLIENTS = ['claude-code', 'cursor', 'vscode'] as const;
export type HttpClientName = (typeof HTTP_CLIENTS)[number];

export interface Launch {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export interface StdioLaunchOptions {
  /** The Node that installed node_modules. */
  node: string;
  /** Absolute path of bin/hearth.js. */
  bin: string;
  /** Settings carried from where `hearth config` ran. */
  args: readonly string[];
  env: Readonly<Record<string, string>>;
}

/** How to launch `hearth mcp <server>` with absolute paths (no PATH lookups in the client). */
export function stdioLaunch(server: string, options: StdioLaunchOptions): Launch {
  return {
    command: options.node,
    args: ['--no-node-snapshot', options.bin, 'mcp', server, ...options.args],
    ...(Object.keys(options.env).length ? { env: { ...options.env } } : {}),
  };
}

/** The `mcpServers` object Claude Desktop, Cursor and `.mcp.json` use. */
export function mcpServers(launch: (server: string) => Launch): Record<string, Launch> {
  return Object.fromEntries(serverNames().map((name) => [`hearth-${name}`, launch(name)]));
}

const shellQuote = (s: string) => (/^[\w./:=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

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
      const lines = Object.entries(servers).map(([name, l]) => {
        const env = Object.entries(l.env ?? {})
          .map(([k, v]) => `--env ${shellQuote(`${k}=${v}`)} `)
          .join('');
        return `claude mcp add ${env}${name} -- ${[l.command, ...l.args].map(shellQuote).join(' ')}`;
      });
      return {
        where:
          'Claude Code: run these commands (add --scope user to use them in every project), or put the mcpServers object of `hearth config claude` in .mcp.json.',
        text: lines.join('\n'),
      };
    }
  }
}

/** The Authorization header as each client's config file can read it from the environment. */
export const TOKEN_VARIABLE = 'HEARTH_HTTP_TOKEN';
const TOKEN_REFERENCE: Record<HttpClientName, string> = {
  'claude-code': `\${${TOKEN_VARIABLE}}`,
  cursor: `\${env:${TOKEN_VARIABLE}}`,
  vscode: '${input:hearth-token}',
};

/**
 * Entries that reach `hearth serve` over Streamable HTTP. Without `token`, the header refers to the
 * token the way the client's config file does (an environment variable, or a prompt in VS Code).
 */
export function httpSnippet(
  client: HttpClientName,
  baseUrl: string,
  servers: readonly string[],
  token: string | undefined,
): { where: string; text: string } {
  const bearer = `Bearer ${token ?? TOKEN_REFERENCE[client]}`;
  const entry = (server: string) => ({ type: 'http', url: `${baseUrl}/mcp/${server}`, headers: { Authorization: bearer } });
  const named = Object.fromEntries(servers.map((s) => [`hearth-${s}`, entry(s)]));
  switch (client) {
    case 'claude-code':
      return {
        where: "Claude Code: put this in .mcp.json (this project) or pass each entry to `claude mcp add-json <name> '<entry>'`.",
        text: JSON.stringify({ mcpServers: named }, null, 2),
      };
    case 'cursor':
      return {
        where: 'Cursor: merge into ~/.cursor/mcp.json (all projects) or .cursor/mcp.json (this project).',
        text: JSON.stringify({ mcpServers: named }, null, 2),
      };
    case 'vscode':
      return {
        where: 'VS Code: merge into .vscode/mcp.json; VS Code asks for the token once and keeps it in its secret storage.',
        text: JSON.stringify(
          {
            ...(token ? {} : { inputs: [{ type: 'promptString', id: 'hearth-token', description: 'Hearth HTTP token', password: true }] }),
            servers: named,
          },
          null,
          2,
        ),
      };
  }
}
