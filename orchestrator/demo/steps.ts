// What the demo does with each server, through a real MCP client: the everyday jobs.
import type { Client } from '@modelcontextprotocol/client';

import { HearthError } from '../../lib/errors.js';
import { type Printer, textOf } from './print.js';

type Result = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown };

export async function call(client: Client, p: Printer, name: string, args: Record<string, unknown>, show = true): Promise<Result> {
  const started = performance.now();
  const result = (await client.callTool({ name, arguments: args })) as Result;
  const ms = Math.round(performance.now() - started);
  if (result.isError) {
    p.step(`${name} failed (${ms} ms)`);
    p.detail(textOf(result));
    throw new HearthError('INTERNAL', `the demo's ${name} call failed`, 'See the output above; `hearth doctor` checks the installation.');
  }
  if (show) {
    p.step(`${name} (${ms} ms)`);
    p.detail(textOf(result));
  }
  return result;
}

export async function memoryDemo(client: Client, p: Printer, documents: string): Promise<void> {
  p.step('Ingest the sample library (package docs from node_modules) into the collection "library"');
  await call(client, p, 'memory_ingest', { paths: [documents], collection: 'library' });
  p.step('Ingest it again: unchanged files are skipped by content hash');
  await call(client, p, 'memory_ingest', { paths: [documents], collection: 'library' });
  for (const query of [
    'hide passwords and secrets from log output',
    'check that a string is a valid email address',
    'stop untrusted code from using too much memory',
    'ship log lines to a file or another process',
  ]) {
    p.step(`Search: "${query}"`);
    const result = await call(client, p, 'memory_search', { query, k: 3 }, false);
    const hits = (result.structuredContent?.hits ?? []) as { citation: string }[];
    p.detail(hits.map((h, i) => `${i + 1}. ${h.citation}`).join('\n') || '(no hits)');
  }
  p.step('Remember a fact, then find it by meaning');
  await call(
    client,
    p,
    'memory_remember',
    {
      namespace: 'household',
      key: 'boiler-service',
      value: 'The boiler was serviced on 2026-10-03 by Fernández Heating; next service due October 2027.',
    },
    false,
  );
  const found = await call(client, p, 'memory_search', { query: 'when is the heating maintenance due', k: 1 }, false);
  const top = ((found.structuredContent?.hits ?? []) as { citation: string; snippet: string }[])[0];
  p.detail(top ? `${top.citation}: ${top.snippet}` : '(not found)');
}

const ENERGY_CSV = `month,electricity_kwh,gas_kwh,cost_eur
2026-01,412,1380,301.40
2026-02,388,1210,272.15
2026-03,351,940,221.80
2026-04,298,610,161.25
2026-05,265,320,112.90
2026-06,240,180,89.60
2026-07,255,150,90.35
2026-08,262,160,93.10
2026-09,280,340,117.45
2026-10,330,720,175.20
`;

export async function codeDemo(client: Client, p: Printer): Promise<void> {
  p.step('Open a sandbox session and put a CSV of household energy use in its workspace');
  await call(client, p, 'code_session_open', { name: 'energy' }, false);
  await call(client, p, 'code_files_write', { session: 'energy', files: [{ path: 'energy.csv', content: ENERGY_CSV }] }, false);
  p.step('Summarize it and draw a chart, inside a V8 isolate with no network and a jailed workspace');
  await call(client, p, 'code_run', {
    session: 'energy',
    code: [
      "const rows = csv.read('energy.csv');",
      "workspace.writeText('summary.md', table.markdown(stats.summarize(rows)));",
      "workspace.writeText('cost.svg', chart.bar(rows.map((r) => ({ month: r.month.slice(5), cost: r.cost_eur })), { x: 'month', y: 'cost', title: 'Energy cost per month (EUR)' }));",
      'const total = rows.reduce((s, r) => s + r.cost_eur, 0);',
      'console.log(`${rows.length} months, ${total.toFixed(2)} EUR in all`);',
      '({ months: rows.length, totalEur: Math.round(total * 100) / 100, priciest: rows.reduce((a, b) => (b.cost_eur > a.cost_eur ? b : a)).month })',
    ].join('\n'),
  });
  p.step('State survives between calls in a session');
  await call(client, p, 'code_run', { session: 'energy', code: 'rows.filter((r) => r.gas_kwh > 1000).map((r) => r.month)' });
  p.step('An endless loop is stopped by the time limit, and the server carries on');
  const loop = (await client.callTool({
    name: 'code_run',
    arguments: { code: 'while (true) {}', limits: { wallMs: 500, cpuMs: 500 } },
  })) as Result;
  p.detail(textOf(loop).split('\n')[0] ?? '');
  p.step('Package the results as a zip, returned as an MCP resource');
  await call(client, p, 'code_package', { session: 'energy', paths: ['summary.md', 'cost.svg', 'energy.csv'], name: 'energy-report.zip' });
  await call(client, p, 'code_session_close', { session: 'energy' }, false);
}
