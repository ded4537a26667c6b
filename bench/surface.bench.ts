// `npm run bench -- surface`: what a client and a model see of each server. For every Hearth server:
// the bytes of tools/list and of what a model reads (names, descriptions, input schemas), per tool,
// and the cold start — spawn to the first tools/list answer over stdio with a real client — next to
// a bare server on the same SDK started the same way, and @playwright/mcp when it is installed.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

import { toolListSize } from '../shared/tool-list-size.js';
import { ms, QUICK, ratio, saveResults, summarize, table } from './stats.js';

const REPO = resolve(import.meta.dirname, '..');
const RUNS = QUICK ? 3 : 7;
const PLAYWRIGHT_MCP = join(REPO, 'node_modules/@playwright/mcp/cli.js');

interface Contestant {
  name: string;
  args: string[];
  env?: Record<string, string>;
}

interface Measured {
  name: string;
  tools: number;
  listBytes: number;
  modelBytes: number;
  coldMs: number[];
}

async function coldStart(c: Contestant, home: string): Promise<{ ms: number; tools: Awaited<ReturnType<Client['listTools']>>['tools'] }> {
  const client = new Client({ name: 'hearth-bench', version: '1.0.0' }, { capabilities: {} });
  const start = performance.now();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: c.args,
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HEARTH_HOME: home, ...c.env },
    stderr: 'pipe',
  });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const elapsed = performance.now() - start;
  await client.close();
  return { ms: elapsed, tools };
}

async function measure(c: Contestant, home: string): Promise<Measured> {
  const coldMs: number[] = [];
  let size = { tools: 0, listBytes: 0, modelBytes: 0 };
  await coldStart(c, home); // warms the file system cache, as a second start on a machine would be
  for (let i = 0; i < RUNS; i++) {
    const run = await coldStart(c, home);
    coldMs.push(run.ms);
    size = toolListSize(run.tools);
  }
  return { name: c.name, ...size, coldMs };
}

const home = mkdtempSync(join(tmpdir(), 'hearth-bench-surface-'));
try {
  writeFileSync(join(home, 'policy.json'), JSON.stringify({ version: 1 }));
  const hearth = (server: string): Contestant => ({
    name: `hearth ${server}`,
    args: ['--no-node-snapshot', 'bin/hearth.js', 'mcp', server],
  });
  const contestants: Contestant[] = [
    { name: 'bare SDK server', args: ['--no-node-snapshot', 'bench/surface/bare-server.mjs'] },
    ...['memory', 'code', 'web', 'budget', 'plan'].map(hearth),
  ];
  const havePlaywrightMcp = existsSync(PLAYWRIGHT_MCP);
  if (havePlaywrightMcp) contestants.push({ name: '@playwright/mcp', args: [PLAYWRIGHT_MCP, '--headless'] });
  const results: Measured[] = [];
  for (const c of contestants) results.push(await measure(c, home));
  const bare = summarize(results[0]!.coldMs).p50;
  console.log(`\nTool lists and cold start to the first tools/list (${RUNS} starts each, p50; ratio against the bare SDK server):`);
  console.log('targets per tool: at most 1,000 B a model reads and 2,000 B of tools/list; cold start at most 0.35 s\n');
  table(
    ['server', 'tools', 'tools/list', 'per tool', 'model reads', 'per tool', 'cold start', 'vs bare'],
    results.map((r) => {
      const cold = summarize(r.coldMs).p50;
      return [
        r.name,
        String(r.tools),
        `${(r.listBytes / 1024).toFixed(1)} KB`,
        `${Math.round(r.listBytes / Math.max(1, r.tools))} B`,
        `${(r.modelBytes / 1024).toFixed(1)} KB`,
        `${Math.round(r.modelBytes / Math.max(1, r.tools))} B`,
        ms(cold),
        ratio(cold, bare),
      ];
    }),
  );
  if (!havePlaywrightMcp) console.log('\n@playwright/mcp is not installed in node_modules: not measured.');
  saveResults('surface', { runs: RUNS, results: results.map((r) => ({ ...r, coldP50: summarize(r.coldMs).p50 })) });
} finally {
  rmSync(home, { recursive: true, force: true });
}
