// The plan server's connections to the servers whose tools plans call: an MCP client per server,
// over stdio (started from the config, the way `hearth mcp <name>` starts one) or Streamable HTTP.
// Servers never import each other; this is the only way the plan server reaches them.
import type { Readable } from 'node:stream';

import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

import { describeError, HearthError } from '../../lib/errors.js';
import { packageInfo } from '../../shared/package-info.js';
import { type ListedTool, ToolCatalog } from './catalog.js';
import type { SiblingSettings } from './settings.js';

export interface CallOptions {
  meta: Record<string, unknown>;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

interface Connection {
  client: Client;
  tools: ListedTool[];
}

export class Siblings {
  private readonly connections = new Map<string, Promise<Connection>>();
  private catalogPromise: Promise<ToolCatalog> | undefined;

  constructor(
    private readonly servers: Record<string, SiblingSettings>,
    private readonly onStderr: (server: string, line: string) => void = () => undefined,
  ) {}

  names(): string[] {
    return Object.keys(this.servers);
  }

  /** Every tool of every configured server; a server that cannot be reached is an UNAVAILABLE error naming it. */
  catalog(): Promise<ToolCatalog> {
    this.catalogPromise ??= (async () => {
      const catalog = new ToolCatalog();
      const listed = await Promise.all(this.names().map(async (name) => ({ name, conn: await this.connect(name) })));
      for (const { name, conn } of listed) catalog.add(name, this.servers[name]!.hearth, conn.tools);
      return catalog;
    })();
    this.catalogPromise.catch(() => (this.catalogPromise = undefined));
    return this.catalogPromise;
  }

  async call(server: string, tool: string, args: unknown, options: CallOptions): Promise<CallToolResult> {
    const { client } = await this.connect(server);
    return await client.callTool(
      { name: tool, arguments: args as Record<string, unknown>, _meta: options.meta },
      {
        ...(options.signal ? { signal: options.signal } : {}),
        timeout: options.timeoutMs ?? 3_600_000,
      },
    );
  }

  async close(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map(async (p) => (await p.catch(() => undefined))?.client.close().catch(() => undefined)));
  }

  private connect(name: string): Promise<Connection> {
    let pending = this.connections.get(name);
    if (!pending) {
      pending = this.open(name);
      pending.catch(() => this.connections.delete(name));
      this.connections.set(name, pending);
    }
    return pending;
  }

  private async open(name: string): Promise<Connection> {
    const settings = this.servers[name];
    if (!settings)
      throw new HearthError(
        'NOT_FOUND',
        `no server named ${name} is configured for plans`,
        `Add it under servers.plan.servers, or use one of ${this.names().join(', ')}.`,
      );
    const client = new Client({ name: 'hearth-plan', version: packageInfo().version }, { capabilities: {} });
    try {
      if (settings.url) {
        await client.connect(
          new StreamableHTTPClientTransport(new URL(settings.url), {
            ...(settings.token ? { requestInit: { headers: { authorization: `Bearer ${settings.token}` } } } : {}),
          }),
        );
      } else {
        const transport = new StdioClientTransport({
          command: settings.command!,
          args: settings.args,
          env: { ...inheritedEnv(), ...settings.env },
          ...(settings.cwd ? { cwd: settings.cwd } : {}),
          stderr: 'pipe',
        });
        (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.onStderr(name, line);
        });
        await client.connect(transport);
      }
      const tools: ListedTool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : {});
        tools.push(...(page.tools as ListedTool[]));
        cursor = page.nextCursor;
      } while (cursor);
      return { client, tools };
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new HearthError(
        'UNAVAILABLE',
        `could not reach the ${name} server: ${describeError(error)}`,
        `Check servers.plan.servers.${name} in the config (run \`hearth doctor\`).`,
        { cause: error },
      );
    }
  }
}

/** What a started server inherits: enough to find Node and the data directory, nothing else. */
function inheritedEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'HEARTH_HOME', 'HEARTH_CONFIG', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'TMPDIR', 'LANG'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
}
