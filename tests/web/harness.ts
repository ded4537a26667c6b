// The web server in-process with a real MCP client over an in-memory transport: a temp data
// directory, a policy file, the real tools and a real Chromium. One per test file keeps the
// browser warm between tests.
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/client';

import { createServer } from '../../servers/web/index.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import { type ClientOptions, newClient } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

export interface WebHarness {
  home: TempHome;
  server: HearthServer;
  client: ReturnType<typeof newClient>;
  /** Calls a tool; returns the result with its text joined. */
  call(name: string, args?: Record<string, unknown>, meta?: Record<string, unknown>): Promise<ToolOutcome>;
  close(): Promise<void>;
}

export interface ToolOutcome {
  isError: boolean;
  text: string;
  structured: Record<string, unknown>;
  raw: CallToolResult;
  /** Bytes of the whole result as JSON, as a client receives it. */
  bytes: number;
}

export async function startWeb(options: { policy: Record<string, unknown>; set?: string[]; client?: ClientOptions }): Promise<WebHarness> {
  const home = tempHome('hearth-web-');
  home.policy(options.policy);
  const { config } = loadConfig({ home: home.dir, set: options.set ?? [], logLevel: 'warn' }, { HEARTH_HOME: home.dir });
  const server = createServer(config);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(serverSide);
  const client = newClient(options.client ?? {});
  await client.connect(clientSide);
  return {
    home,
    server,
    client,
    async call(name, args = {}, meta) {
      const raw = await client.callTool({ name, arguments: args, ...(meta ? { _meta: meta } : {}) });
      const text = raw.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
      return {
        isError: raw.isError === true,
        text,
        structured: (raw.structuredContent ?? {}) as Record<string, unknown>,
        raw,
        bytes: Buffer.byteLength(JSON.stringify(raw)),
      };
    },
    async close() {
      await client.close().catch(() => undefined);
      await server.close();
      home.cleanup();
    },
  };
}

/** The error object of a failed call. */
export function errorOf(outcome: ToolOutcome): { code: string; message: string; hint: string; [key: string]: unknown } {
  return (outcome.structured as { error: { code: string; message: string; hint: string } }).error;
}

export type WebEvents = { kind: string; text: string; url?: string }[];

/**
 * The events of a result plus those reported by the next few calls, until `wanted` is satisfied:
 * what a page does after an action returns (a popup opening, a download) is reported by the call
 * that follows, and on a loaded machine that can be a later one.
 */
export async function eventsUntil(
  web: WebHarness,
  first: ToolOutcome,
  wanted: (events: WebEvents) => boolean,
  session?: string,
): Promise<WebEvents> {
  const events = [...((first.structured.events as WebEvents | undefined) ?? [])];
  for (let i = 0; i < 20 && !wanted(events); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await web.call('web_snapshot', { interactive: true, ...(session ? { session } : {}) });
    events.push(...((next.structured.events as WebEvents | undefined) ?? []));
  }
  return events;
}
