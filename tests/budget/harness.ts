// The budget server in-process with a real MCP client over an in-memory transport, its providers
// pointed at a fake LLM server on 127.0.0.1, a temp data directory, a policy, and a clock the test
// can move.
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/client';

import { createServer } from '../../servers/budget/index.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import { FakeLlm } from '../fixtures/llm/fake-llm.js';
import { type ClientOptions, newClient } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

export const TEST_KEYS = {
  OPENAI_API_KEY: 'sk-proj-testkey0123456789abcdefghijkl',
  ANTHROPIC_API_KEY: 'sk-ant-testkey0123456789abcdefghijkl',
  GEMINI_API_KEY: 'AIzaSyTestKey0123456789abcdefghijklmnopq',
};

export interface BudgetHarness {
  home: TempHome;
  fake: FakeLlm;
  server: HearthServer;
  client: ReturnType<typeof newClient>;
  clock: { now: number };
  call(name: string, args?: Record<string, unknown>, options?: CallOptions): Promise<Outcome>;
  close(): Promise<void>;
}

export interface CallOptions {
  meta?: Record<string, unknown>;
  signal?: AbortSignal;
  onprogress?: (p: { progress: number; message?: string }) => void;
}

export interface Outcome {
  isError: boolean;
  text: string;
  structured: Record<string, unknown>;
  raw: CallToolResult;
}

export interface HarnessOptions {
  /** Policy fields (version 1 is added). Default: every provider allowed, generous limits, autopilot off. */
  policy?: Record<string, unknown>;
  /** servers.budget settings; providers are pointed at the fake unless given. */
  settings?: Record<string, unknown>;
  client?: ClientOptions;
  /** Start of the injected clock (ms since the epoch); it only moves when the test moves it. */
  start?: number;
  fake?: FakeLlm;
}

export const USE_REAL_CLOCK = -1;

export async function startBudget(options: HarnessOptions = {}): Promise<BudgetHarness> {
  const fake = options.fake ?? (await FakeLlm.start());
  const home = tempHome('hearth-budget-');
  home.policy(
    options.policy ?? {
      llm: {
        providers: ['ollama', 'openai', 'anthropic', 'gemini', 'local', 'scripted'],
        limits: { day: { usd: 100 }, month: { usd: 1000 } },
      },
      rateLimits: { perClient: { callsPerMinute: 1_000_000, burst: 100_000 } },
    },
  );
  const settings = {
    providers: {
      ollama: { baseUrl: fake.baseUrl('ollama') },
      openai: { baseUrl: fake.baseUrl('openai') },
      anthropic: { baseUrl: fake.baseUrl('anthropic') },
      gemini: { baseUrl: fake.baseUrl('gemini') },
      local: { kind: 'openai-compatible', baseUrl: fake.baseUrl('openai') },
    },
    tiers: { fast: ['ollama/small'], smart: ['openai/gpt-4o-mini'] },
    retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 10, maxRetryAfterMs: 5_000 },
    timeouts: { attemptMs: 5_000, idleMs: 2_000, holdGraceMs: 1_000 },
    ...options.settings,
  };
  const { config } = loadConfig(
    { home: home.dir, logLevel: 'silent', set: [`servers.budget=${JSON.stringify(settings)}`] },
    { HEARTH_HOME: home.dir },
  );
  const clock = { now: options.start ?? Date.parse('2026-03-10T12:00:00Z') };
  let server: HearthServer;
  try {
    server = createServer(config, {
      ...(options.start === USE_REAL_CLOCK ? {} : { now: () => clock.now }),
      env: { ...TEST_KEYS },
    });
  } catch (error) {
    if (!options.fake) await fake.close();
    home.cleanup();
    throw error;
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(serverSide);
  const client = newClient(options.client ?? {});
  await client.connect(clientSide);
  return {
    home,
    fake,
    server,
    client,
    clock,
    async call(name, args = {}, callOptions = {}) {
      const raw = await client.callTool(
        { name, arguments: args, ...(callOptions.meta ? { _meta: callOptions.meta } : {}) },
        {
          ...(callOptions.signal ? { signal: callOptions.signal } : {}),
          ...(callOptions.onprogress ? { onprogress: callOptions.onprogress } : {}),
          timeout: 120_000,
        },
      );
      return {
        isError: raw.isError === true,
        text: raw.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n'),
        structured: (raw.structuredContent ?? {}) as Record<string, unknown>,
        raw,
      };
    },
    async close() {
      await client.close().catch(() => undefined);
      await server.close();
      if (!options.fake) await fake.close();
      home.cleanup();
    },
  };
}

export function errorOf(outcome: Outcome): { code: string; message: string; hint: string; [key: string]: unknown } {
  return (outcome.structured as { error: { code: string; message: string; hint: string } }).error;
}

export const user = (content: string) => [{ role: 'user', content }];
