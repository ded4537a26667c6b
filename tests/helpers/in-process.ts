// Any Hearth server in-process, from the registry, with a real MCP client over an in-memory
// transport: a temp data directory, a policy file and the real tools.
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/client';

import { findServer } from '../../orchestrator/registry.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import { type ClientOptions, newClient } from './mcp-client.js';
import { type TempHome, tempHome } from './temp-home.js';

export interface Called {
  isError: boolean;
  text: string;
  structured: Record<string, unknown>;
  raw: CallToolResult;
}

export interface InProcess {
  home: TempHome;
  server: HearthServer;
  client: ReturnType<typeof newClient>;
  call(name: string, args?: Record<string, unknown>, options?: { meta?: Record<string, unknown>; signal?: AbortSignal }): Promise<Called>;
  close(): Promise<void>;
}

export async function startInProcess(
  name: string,
  options: { policy?: Record<string, unknown>; set?: string[]; client?: ClientOptions; home?: TempHome } = {},
): Promise<InProcess> {
  const entry = findServer(name);
  if (!entry) throw new Error(`no server named ${name}`);
  const home = options.home ?? tempHome(`hearth-${name}-`);
  home.policy(options.policy ?? {});
  const { config } = loadConfig({ home: home.dir, set: options.set ?? [], logLevel: 'warn' }, { HEARTH_HOME: home.dir });
  const server = await (await entry.load())(config);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(serverSide);
  const client = newClient(options.client ?? {});
  await client.connect(clientSide);
  return {
    home,
    server,
    client,
    async call(tool, args = {}, callOptions = {}) {
      const raw = await client.callTool(
        { name: tool, arguments: args, ...(callOptions.meta ? { _meta: callOptions.meta } : {}) },
        callOptions.signal ? { signal: callOptions.signal } : undefined,
      );
      const text = raw.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
      return { isError: raw.isError === true, text, structured: (raw.structuredContent ?? {}) as Record<string, unknown>, raw };
    },
    async close() {
      await client.close().catch(() => undefined);
      await server.close();
      home.cleanup();
    },
  };
}
