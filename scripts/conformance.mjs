#!/usr/bin/env node
// `make conformance`: runs the official MCP conformance server scenarios that apply to a real
// server against `hearth serve`. The suite needs Node 22, so a Node 22 binary comes from the npm
// registry (node-<platform>-<arch>) into .cache/conformance, used for this run only.
//
// hearth serve requires a bearer token; the conformance runner cannot send one, so a small proxy
// in this process adds the header and forwards everything else (Host and Origin included) as is.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONFORMANCE = '@modelcontextprotocol/conformance@0.2.0-alpha.12';
const NODE22 = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}@22.23.3`;

// Scenarios about the protocol and transport, which any server must pass. The others exercise
// the reference "everything" server's fixture tools and prompts (test_simple_text, …).
const SCENARIOS = [
  'server-initialize',
  'ping',
  'server-stateless',
  'tools-list',
  'resources-list',
  'sep-2164-resource-not-found',
  'dns-rebinding-protection',
  'caching',
  'http-header-validation',
  'logging-set-level',
  'prompts-list',
  'server-session-lifecycle',
];

const cache = join(repo, '.cache', 'conformance');
const bin = join(cache, 'node_modules', '.bin');
if (!existsSync(join(cache, 'node_modules', '@modelcontextprotocol', 'conformance'))) {
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'package.json'), '{"private":true}\n');
  console.error(`conformance: installing ${CONFORMANCE} and ${NODE22} into ${cache}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', cache, CONFORMANCE, NODE22], { stdio: 'inherit' });
}
const node22 = join(bin, 'node');
const runner = join(cache, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

const home = mkdtempSync(join(tmpdir(), 'hearth-conformance-'));
// `make conformance` runs every server with the scenarios above; `node scripts/conformance.mjs
// memory --scenario prompts-list,logging-set-level` runs the named ones only.
const argv = process.argv.slice(2);
const scenarioFlag = argv.indexOf('--scenario');
const scenarios = scenarioFlag >= 0 ? (argv[scenarioFlag + 1] ?? '').split(',').filter(Boolean) : SCENARIOS;
const servers = argv.filter((a, i) => !a.startsWith('--') && (scenarioFlag < 0 || i !== scenarioFlag + 1));
const serve = spawn(
  process.execPath,
  [
    '--no-node-snapshot',
    join(repo, 'bin', 'hearth.js'),
    'serve',
    '--port',
    '0',
    '--log-level',
    'warn',
    ...(servers.length ? ['--servers', servers.join(',')] : []),
  ],
  {
    env: { ...process.env, HEARTH_HOME: home },
    stdio: ['ignore', 'inherit', 'pipe'],
  },
);
let stderr = '';
const base = await new Promise((resolve, reject) => {
  serve.stderr.on('data', (c) => {
    stderr += c;
    const m = /listening on (http:\/\/\S+)/.exec(stderr);
    if (m) resolve(m[1]);
  });
  serve.on('exit', (code) => reject(new Error(`hearth serve exited (${code}): ${stderr}`)));
});
const names = [...stderr.matchAll(/^ {2}([a-z]+): http/gm)].map((m) => m[1]);
const token = readFileSync(join(home, 'http-token'), 'utf8').trim();

const proxy = createServer((req, res) => {
  const up = request(new URL(req.url, base), { method: req.method, headers: { ...req.headers, authorization: `Bearer ${token}` } }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', (e) => {
    res.writeHead(502);
    res.end(String(e));
  });
  req.pipe(up);
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
const proxyBase = `http://127.0.0.1:${proxy.address().port}`;

const results = [];
for (const server of names) {
  for (const scenario of scenarios) {
    const out = await new Promise((resolve) => {
      const child = spawn(node22, [runner, 'server', '--url', `${proxyBase}/mcp/${server}`, '--scenario', scenario], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (c) => (text += c));
      child.stderr.on('data', (c) => (text += c));
      child.on('exit', () => resolve(text));
    });
    const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
    const passed = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(plain);
    const failures = [...plain.matchAll(/\[([a-z0-9-]+)\s*\] FAILURE (.*)/g)].map((m) => `${m[1]}: ${m[2].trim()}`);
    const notes = [...plain.matchAll(/Error: (.*)/g)].map((m) => m[1].trim());
    results.push({ server, scenario, passed: passed ? Number(passed[1]) : 0, total: passed ? Number(passed[2]) : 0, failures, notes });
    console.log(
      `${server.padEnd(7)} ${scenario.padEnd(30)} ${passed ? `${passed[1]}/${passed[2]}` : 'no result'}${failures.length ? `  FAILED: ${failures.join('; ')}` : ''}`,
    );
    for (const note of notes) console.log(`${' '.repeat(39)}${note}`);
  }
}
mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(repo, 'bench', 'results', 'conformance.json'),
  `${JSON.stringify({ at: new Date().toISOString(), suite: CONFORMANCE, results }, null, 2)}\n`,
);
proxy.close();
serve.kill('SIGTERM');
await new Promise((r) => serve.on('exit', r));
rmSync(home, { recursive: true, force: true });
