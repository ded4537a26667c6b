// What the budget gateway adds to a model call: the same streamed request to the same fake provider
// (on 127.0.0.1, in the real wire format) through the same official SDK — once directly, once through
// the gateway (ledger hold in SQLite, breaker, retry policy, settlement) — measured interleaved in
// the same run, for the OpenAI and Ollama wire formats. A third row adds the MCP kernel (validation,
// policy, audit row) by calling llm_generate in-process. Target: ≤ 1 ms p50 added by the gateway.
// On a busy machine every latency is bimodal, so the gateway's own time per call (everything outside
// the SDK call, measured around it on each call) is printed too: it does not depend on what the
// machine did to the provider round trip.
//   npm run bench -- budget [--quick]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { Ollama } from 'ollama';
import OpenAI from 'openai';

import { Budget } from '../servers/budget/budget.js';
import { createServer } from '../servers/budget/index.js';
import { budgetSettings } from '../servers/budget/settings.js';
import { loadConfig } from '../shared/config.js';
import { FakeLlm } from '../tests/fixtures/llm/fake-llm.js';
import { ms, QUICK, saveResults, summarize, type Summary, table } from './stats.js';

const N = QUICK ? 200 : 1500;
const WARMUP = 50;
const TEXT = 'Dear hiring manager, I am writing to apply for the role you advertised.';
const MESSAGES = [{ role: 'user' as const, content: 'Write one sentence for a cover letter.' }];

const home = mkdtempSync(join(tmpdir(), 'hearth-bench-budget-'));
const fake = await FakeLlm.start();
fake.fallback = () => ({ answer: { text: TEXT, usage: { inputTokens: 12, outputTokens: 16 } } });

async function directOpenAi(client: OpenAI): Promise<void> {
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: MESSAGES,
    stream: true,
    stream_options: { include_usage: true },
    max_completion_tokens: 256,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  if (text !== TEXT) throw new Error('unexpected answer');
}

async function directOllama(client: Ollama): Promise<void> {
  const stream = await client.chat({ model: 'small', messages: MESSAGES, stream: true, options: { num_predict: 256 } });
  let text = '';
  for await (const part of stream) text += part.message.content;
  if (text !== TEXT) throw new Error('unexpected answer');
}

/** Runs the two functions alternately, swapping which goes first, so machine noise hits both alike. */
async function interleaved(a: () => Promise<void>, b: () => Promise<void>): Promise<[Summary, Summary]> {
  for (let i = 0; i < WARMUP; i++) {
    await a();
    await b();
  }
  const sa: number[] = [];
  const sb: number[] = [];
  const timed = async (fn: () => Promise<void>, into: number[]) => {
    const t0 = performance.now();
    await fn();
    into.push(performance.now() - t0);
  };
  for (let i = 0; i < N; i++) {
    if (i % 2) {
      await timed(a, sa);
      await timed(b, sb);
    } else {
      await timed(b, sb);
      await timed(a, sa);
    }
  }
  return [summarize(sa), summarize(sb)];
}

try {
  writeFileSync(
    join(home, 'policy.json'),
    JSON.stringify({
      version: 1,
      mode: 'autopilot',
      llm: { providers: ['ollama', 'openai'], limits: { day: { usd: 1000 }, month: { usd: 10000 }, task: {} } },
      rateLimits: { perClient: { callsPerMinute: 100_000_000, burst: 1_000_000 } },
    }),
  );
  const settings = {
    providers: { ollama: { baseUrl: fake.baseUrl('ollama') }, openai: { baseUrl: fake.baseUrl('openai') } },
    tiers: { fast: ['ollama/small'], smart: ['openai/gpt-4o-mini'] },
  };
  const { config } = loadConfig({ home, logLevel: 'warn', set: [`servers.budget=${JSON.stringify(settings)}`] }, { HEARTH_HOME: home });
  const key = 'sk-proj-bench0123456789abcdefghijklmn';
  const server = createServer(config, { env: { OPENAI_API_KEY: key } });
  // The gateway without MCP: the same domain objects the server wires its tools to, on their own ledger file.
  const budget = new Budget({
    settings: { ...budgetSettings(config), database: join(home, 'bench-gateway.db') },
    llm: server.kernel.policy.policy.llm,
    policySource: 'bench',
    log: server.kernel.log,
    env: { OPENAI_API_KEY: key },
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(serverSide);
  const mcp = new Client({ name: 'bench', version: '1' });
  await mcp.connect(clientSide);

  const openai = new OpenAI({ apiKey: key, baseURL: fake.baseUrl('openai'), maxRetries: 0 });
  const ollama = new Ollama({ host: fake.baseUrl('ollama') });
  const events = { text: () => undefined, restart: () => undefined };
  // Time inside each provider's SDK call, so the gateway's own share of a call can be told apart.
  let inside = 0;
  for (const provider of budget.providers.values()) {
    const generate = provider.generate.bind(provider);
    provider.generate = async (request) => {
      const t0 = performance.now();
      try {
        return await generate(request);
      } finally {
        inside = performance.now() - t0;
      }
    };
  }
  const own: Record<string, number[]> = { openai: [], ollama: [] };
  const viaGateway = (tier: 'fast' | 'smart') => async () => {
    const t0 = performance.now();
    const r = await budget.gateway.generate(
      {
        messages: MESSAGES,
        tier,
        maxTokens: 256,
        temperature: undefined,
        schema: undefined,
        tools: [],
        toolChoice: 'auto',
        task: undefined,
        limits: undefined,
        cache: false,
      },
      new AbortController().signal,
      events,
    );
    own[tier === 'fast' ? 'ollama' : 'openai']!.push(performance.now() - t0 - inside);
    if (r.text !== TEXT) throw new Error('unexpected answer');
  };
  const viaMcp = (tier: 'fast' | 'smart') => async () => {
    const r = await mcp.callTool({ name: 'llm_generate', arguments: { messages: MESSAGES, tier, maxTokens: 256 } });
    if (r.isError) throw new Error(`llm_generate failed: ${JSON.stringify(r.content)}`);
  };

  const rows: string[][] = [];
  const results: Record<string, unknown> = {};
  for (const [wire, tier, direct] of [
    ['openai', 'smart', () => directOpenAi(openai)],
    ['ollama', 'fast', () => directOllama(ollama)],
  ] as const) {
    const [base, gw] = await interleaved(direct, viaGateway(tier));
    const [base2, viaKernel] = await interleaved(direct, viaMcp(tier));
    const ownTime = summarize(own[wire]!.slice(WARMUP));
    rows.push(
      [`${wire}: SDK directly (baseline)`, ms(base.p50), ms(base.p95), '—'],
      [`${wire}: through the gateway`, ms(gw.p50), ms(gw.p95), `+${ms(gw.p50 - base.p50)}`],
      [`${wire}: the gateway's own time per call`, ms(ownTime.p50), ms(ownTime.p95), ''],
      [`${wire}: llm_generate over MCP in-process`, ms(viaKernel.p50), ms(viaKernel.p95), `+${ms(viaKernel.p50 - base2.p50)}`],
    );
    results[wire] = {
      baseline: base,
      gateway: gw,
      addedP50Ms: gw.p50 - base.p50,
      gatewayOwnTime: ownTime,
      mcpBaseline: base2,
      mcp: viaKernel,
      mcpAddedP50Ms: viaKernel.p50 - base2.p50,
    };
  }
  console.log(`budget gateway overhead per call, ${N} calls each (interleaved), fake provider on 127.0.0.1, streamed\n`);
  table(['path', 'p50', 'p95', 'added p50'], rows);
  saveResults('budget', { calls: N, ...results });
  await mcp.close();
  await server.close();
  budget.close();
} finally {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
}
