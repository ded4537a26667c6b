// What the kernel costs per tool call: the same echo tool through Hearth's dispatcher (validation,
// policy, redaction, a hash-chained audit row in SQLite) and through a bare SDK McpServer, both
// served in-process over the Streamable HTTP handler with a real client, in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';

import { loadConfig } from '../shared/config.js';
import { createServer } from '../tests/fixtures/kernel-server.js';
import { ms, QUICK, ratio, saveResults, table, time } from './stats.js';

const N = QUICK ? 200 : 2000;
const home = mkdtempSync(join(tmpdir(), 'hearth-bench-kernel-'));

async function clientFor(handler: { fetch: (r: Request) => Promise<Response> }): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('http://bench.local/mcp'), { fetch: (url, init) => handler.fetch(new Request(url, init)) }),
  );
  return client;
}

try {
  // Rate limits high enough that the benchmark measures calls, not refusals.
  writeFileSync(
    join(home, 'policy.json'),
    JSON.stringify({ version: 1, rateLimits: { perClient: { callsPerMinute: 100_000_000, burst: 1_000_000 } } }),
  );
  const { config } = loadConfig({ logLevel: 'warn' }, { HEARTH_HOME: home });
  const hearth = createServer(config);
  const hearthHandler = createMcpHandler(() => hearth.connect('http'));
  const bare = createMcpHandler(() => {
    const server = new McpServer({ name: 'bare', version: '1' });
    server.registerTool(
      'test_echo',
      { inputSchema: z.object({ text: z.string() }), outputSchema: z.object({ echoed: z.string() }) },
      async ({ text }) => ({ content: [{ type: 'text', text }], structuredContent: { echoed: text } }),
    );
    return server;
  });
  const [hc, bc] = [await clientFor(hearthHandler), await clientFor(bare)];
  const args = { name: 'test_echo', arguments: { text: 'hello bench' } };
  const call = (client: Client) => async () => {
    const result = await client.callTool(args);
    if (result.isError) throw new Error(`the benchmark call failed: ${JSON.stringify(result.content)}`);
  };
  const base = await time(N, call(bc));
  const kernel = await time(N, call(hc));
  console.log(`kernel overhead per tool call, ${N} calls each, in-process Streamable HTTP (no sockets)\n`);
  table(
    ['path', 'p50', 'p95', 'p50 ratio'],
    [
      ['bare SDK McpServer (baseline)', ms(base.p50), ms(base.p95), '1.00×'],
      ['Hearth kernel (policy + audit row)', ms(kernel.p50), ms(kernel.p95), ratio(kernel.p50, base.p50)],
    ],
  );
  saveResults('kernel', { calls: N, baseline: base, kernel });
  await hc.close();
  await bc.close();
  await hearthHandler.close();
  await bare.close();
  await hearth.close();
} finally {
  rmSync(home, { recursive: true, force: true });
}
