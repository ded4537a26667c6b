// The plan server in-process with a real MCP client over an in-memory transport; the servers it
// reaches are real and started over stdio as its configuration says: the memory server as
// `hearth mcp memory` (built copy) and the kernel's test server. A temp data directory per harness.
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/client';

import { createServer } from '../../servers/plan/index.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import { type ClientOptions, newClient, REPO } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

export interface PlanHarness {
  home: TempHome;
  server: HearthServer;
  client: ReturnType<typeof newClient>;
  call(name: string, args?: Record<string, unknown>, meta?: Record<string, unknown>): Promise<Outcome>;
  /** Stops the plan server (and the servers it started) and starts it again on the same data; `whileDown` runs in between. */
  restart(env?: NodeJS.ProcessEnv, whileDown?: () => void): Promise<void>;
  close(): Promise<void>;
}

export interface Outcome {
  isError: boolean;
  text: string;
  structured: Record<string, unknown>;
  raw: CallToolResult;
}

export const siblings = {
  memory: (home: string) => ({
    command: process.execPath,
    args: ['--no-node-snapshot', `${REPO}/bin/hearth.js`, 'mcp', 'memory', '--home', home, '--log-level', 'warn'],
  }),
  kernelTest: (home: string) => ({
    command: process.execPath,
    args: ['--no-node-snapshot', '--import', 'tsx', `${REPO}/tests/fixtures/kernel-stdio.ts`],
    env: { HEARTH_HOME: home, HEARTH_LOG__LEVEL: 'warn' },
    cwd: REPO,
  }),
};

export interface HarnessOptions {
  mode: 'observe' | 'draft' | 'autopilot';
  servers?: (home: string) => Record<string, unknown>;
  client?: ClientOptions;
}

export async function startPlan(options: HarnessOptions): Promise<PlanHarness> {
  const home = tempHome('hearth-plan-');
  home.policy({ mode: options.mode });
  const servers = options.servers ?? ((h: string) => ({ memory: siblings.memory(h), 'kernel-test': siblings.kernelTest(h) }));
  let server: HearthServer;
  let client: ReturnType<typeof newClient>;
  const open = async (env?: NodeJS.ProcessEnv) => {
    const { config } = loadConfig({ home: home.dir, logLevel: 'warn' }, { HEARTH_HOME: home.dir });
    config.servers.plan = { servers: servers(home.dir) };
    server = createServer(config, env ? { env } : {});
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect('in-process').connect(serverSide);
    client = newClient(options.client ?? {});
    await client.connect(clientSide);
  };
  await open();
  const harness: PlanHarness = {
    home,
    get server() {
      return server;
    },
    get client() {
      return client;
    },
    async call(name, args = {}, meta) {
      const raw = await client.callTool({ name, arguments: args, ...(meta ? { _meta: meta } : {}) });
      return {
        isError: raw.isError === true,
        text: raw.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n'),
        structured: (raw.structuredContent ?? {}) as Record<string, unknown>,
        raw,
      };
    },
    async restart(env, whileDown) {
      await client.close().catch(() => undefined);
      await server.close();
      whileDown?.();
      await open(env);
    },
    async close() {
      await client.close().catch(() => undefined);
      await server.close();
      home.cleanup();
    },
  };
  return harness;
}

export type RunView = {
  id: string;
  state: string;
  reason: string | null;
  steps: {
    id: string;
    state: string;
    attempts: number;
    output?: unknown;
    error: { code: string; message: string } | null;
    undo: string | null;
  }[];
  outputs: Record<string, unknown> | null;
};

export function runOf(outcome: Outcome): RunView {
  return (outcome.structured as { run: RunView }).run;
}
