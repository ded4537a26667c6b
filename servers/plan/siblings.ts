// The plan server's connections to the servers whose tools plans call: an MCP client per server,
// over stdio (started from the config, the way `hearth mcp <name>` starts one) or Streamable HTTP.
// Servers never import each other; this is the only way the plan server reaches them.
//
// A server is started only when something first needs it: a step's call, or a plan that names one
// of its tools. Checking a plan needs the tools' schemas, so every tool list a server gives is kept
// in the plan database under the server's identity (its settings and this build); while that
// identity holds, a plan is checked against the kept list without starting the server. The kept list
// is a claim the running server confirms: a run compares the stamp of the list it was checked
// against with the live one before it calls (see Runner), and a list that changed replaces the kept one.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

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

/** Where tool lists are kept between starts (the plan database). */
export interface ToolListCache {
  toolList(server: string, identity: string): unknown[] | undefined;
  saveToolList(server: string, identity: string, tools: readonly unknown[]): void;
}

interface Listing {
  tools: ListedTool[];
  stamp: string;
}

interface Connection extends Listing {
  client: Client;
}

export interface SiblingOptions {
  cache?: ToolListCache | undefined;
  onStderr?: ((server: string, line: string) => void) | undefined;
}

export class Siblings {
  private readonly connections = new Map<string, Promise<Connection>>();
  /** Lists read from the cache, so a thousand validations read it once. */
  private readonly kept = new Map<string, Listing | null>();
  private readonly identities = new Map<string, string>();

  constructor(
    private readonly servers: Record<string, SiblingSettings>,
    private readonly options: SiblingOptions = {},
  ) {}

  names(): string[] {
    return Object.keys(this.servers);
  }

  /** The servers started so far (the others start when a call or a plan first needs them). */
  started(): string[] {
    return [...this.connections.keys()];
  }

  /**
   * The tools of the named servers (default: all): live where a server runs, else as it last listed
   * them under the same identity, else by starting it. `fresh` starts every one of them. A server
   * that cannot be reached is an UNAVAILABLE error naming it.
   */
  async catalog(servers: Iterable<string> = this.names(), fresh = false): Promise<ToolCatalog> {
    const names = [...new Set(servers)];
    const listed = await Promise.all(names.map(async (name) => ({ name, listing: await this.listing(name, fresh) })));
    const catalog = new ToolCatalog();
    for (const { name, listing } of listed) catalog.add(name, this.servers[name]!.hearth, listing.tools, listing.stamp);
    return catalog;
  }

  /** The tools a plan names, reaching only the servers that have them; a name no list knows asks every server as it is now. */
  async catalogFor(tools: readonly string[]): Promise<ToolCatalog> {
    const need = new Set<string>();
    let everyServer = false;
    for (const tool of tools) {
      const server = this.serverOf(tool);
      if (server === undefined) everyServer = true;
      else need.add(server);
    }
    const catalog = await this.catalog(everyServer ? this.names() : need);
    return tools.every((t) => catalog.get(t)) ? catalog : await this.catalog(this.names(), true);
  }

  /** The stamp of the tool list the running server gives now, starting it if needed. */
  async liveStamp(server: string): Promise<string> {
    return (await this.connect(server)).stamp;
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

  /** Which server has the tool, by the lists known so far, else by its name (`<server>.<tool>`, or a Hearth server's `<server>_` prefix). */
  private serverOf(tool: string): string | undefined {
    const dot = tool.indexOf('.');
    if (dot > 0) {
      const server = tool.slice(0, dot);
      return this.servers[server] && !this.servers[server].hearth ? server : undefined;
    }
    for (const name of this.names()) {
      if (!this.servers[name]!.hearth) continue;
      if (this.keptListing(name)?.tools.some((t) => t.name === tool)) return name;
    }
    const prefix = tool.split('_')[0]!;
    return this.servers[prefix]?.hearth ? prefix : undefined;
  }

  private async listing(name: string, fresh: boolean): Promise<Listing> {
    if (!this.servers[name]) return await this.connect(name); // the NOT_FOUND error
    if (!fresh && !this.connections.has(name)) {
      const kept = this.keptListing(name);
      if (kept) return kept;
    }
    return await this.connect(name);
  }

  private keptListing(name: string): Listing | undefined {
    if (!this.kept.has(name)) {
      const tools = this.options.cache?.toolList(name, this.identity(name)) as ListedTool[] | undefined;
      this.kept.set(name, tools ? { tools, stamp: stampOf(tools) } : null);
    }
    return this.kept.get(name) ?? undefined;
  }

  /** What the server's tool list depends on short of asking it: how it is reached, and this build of Hearth. */
  private identity(name: string): string {
    let id = this.identities.get(name);
    if (id === undefined) {
      const { command, args, env, cwd, url, hearth } = this.servers[name]!;
      id = createHash('sha256')
        .update(JSON.stringify({ command, args, env, cwd, url, hearth, build: buildStamp() }))
        .digest('hex')
        .slice(0, 32);
      this.identities.set(name, id);
    }
    return id;
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
          for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.options.onStderr?.(name, line);
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
      const stamp = stampOf(tools);
      if (this.kept.get(name)?.stamp !== stamp) {
        this.options.cache?.saveToolList(name, this.identity(name), tools);
        this.kept.set(name, { tools, stamp });
      }
      return { client, tools, stamp };
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

function stampOf(tools: readonly ListedTool[]): string {
  return createHash('sha256').update(JSON.stringify(tools)).digest('hex').slice(0, 16);
}

/** This build of Hearth: its version and when this file was built, so a rebuilt suite lists its tools again. */
function buildStamp(): string {
  let built = 0;
  try {
    built = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    // Bundled or virtual: the version alone.
  }
  return `${packageInfo().version}@${built}`;
}

/** What a started server inherits: enough to find Node and the data directory, nothing else. */
function inheritedEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'HEARTH_HOME', 'HEARTH_CONFIG', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'TMPDIR', 'LANG'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
}
