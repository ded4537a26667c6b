// The rules behind the launcher's one-line messages, and the promise that what the launcher loads
// parses in Nodes far older than Hearth supports (so they get the message, not a SyntaxError).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import * as acorn from 'acorn';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { isNativeLoadFailure, isSupportedNode, nativeProblem, readRuntimeRecord, versionProblem } from '../../orchestrator/runtime.js';
import { REPO } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let root: TempHome;
beforeEach(() => (root = tempHome('hearth-runtime-')));
afterEach(() => root.cleanup());

const old = { execPath: '/usr/bin/node', version: '20.20.2', modules: '115' };
const current = { execPath: '/opt/node24/bin/node', version: '24.21.0', modules: '137' };

function record(execPath: string, version = '24.21.0', modules = '137') {
  mkdirSync(join(root.dir, 'node_modules'), { recursive: true });
  writeFileSync(
    join(root.dir, 'node_modules', '.hearth-runtime.json'),
    JSON.stringify({ execPath, version, modules, platform: 'linux', arch: 'x64' }),
  );
}

it.each([
  ['20.20.2', false],
  ['21.7.3', false],
  ['22.11.0', false],
  ['22.12.0', true],
  ['22.23.3', true],
  ['23.0.0', true],
  ['24.21.0', true],
  ['25.1.0', true],
])('Node %s is supported: %s', (version, supported) => {
  expect(isSupportedNode(version)).toBe(supported);
});

it('a supported Node has no version problem; an old one gets the line, with the install record when there is one', () => {
  expect(versionProblem(root.dir, current)).toBeUndefined();
  expect(versionProblem(root.dir, old)).toBe(
    'hearth: Node 20.20.2 (/usr/bin/node) is too old: Hearth needs Node 22.12+ or 24. ' +
      'Fix: install Node 24 LTS and reinstall hearth-mcp with it (the npm install -g you used before).',
  );
  record(process.execPath);
  writeFileSync(join(root.dir, 'Makefile'), '');
  const line = versionProblem(root.dir, old)!;
  expect(line).toContain(`node_modules was installed with Node 24.21.0 (ABI 137, ${process.execPath}).`);
  expect(line).toContain(`Fix: run make in ${root.dir} (`);
  expect(line).toMatch(new RegExp(`, or run hearth with ${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.$`));
  expect(line).not.toContain('\n');
});

it('a record that is not what make writes is ignored rather than trusted', () => {
  mkdirSync(join(root.dir, 'node_modules'));
  writeFileSync(join(root.dir, 'node_modules', '.hearth-runtime.json'), '{"execPath": 42}');
  expect(readRuntimeRecord(root.dir)).toBeUndefined();
  writeFileSync(join(root.dir, 'node_modules', '.hearth-runtime.json'), 'not json');
  expect(readRuntimeRecord(root.dir)).toBeUndefined();
});

it('native load failures are told apart from other errors, and the ABI in the error names the Node it was built for', () => {
  // Node's own wording when an addon built from source meets another Node.
  const abi = Object.assign(
    new Error(
      "The module '/home/ana/hearth/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
        'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 137. This version of Node.js requires\n' +
        'NODE_MODULE_VERSION 127. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).',
    ),
    { code: 'ERR_DLOPEN_FAILED' },
  );
  const running = { execPath: '/usr/local/bin/node', version: '22.23.3', modules: '127' };
  expect(nativeProblem(abi, root.dir, undefined, running)).toBe(
    'hearth: better-sqlite3 does not load in Node 22.23.3 (ABI 127, /usr/local/bin/node): it was compiled for Node 24 (ABI 137). ' +
      'Fix: reinstall hearth-mcp with this Node (the npm install -g you used before).',
  );
  // With an install record that agrees, the line names the exact Node (and where it was).
  record('/gone/node-v24.21.0/bin/node');
  expect(nativeProblem(abi, root.dir, undefined, running)).toContain(
    ': it was installed with Node 24.21.0 (ABI 137, /gone/node-v24.21.0/bin/node, no longer there). Fix:',
  );
  // A record that disagrees with the addon (another install since) gives way to what the addon says.
  record('/gone/node-v22/bin/node', '22.23.3', '127');
  expect(nativeProblem(abi, root.dir, undefined, running)).toContain(': it was compiled for Node 24 (ABI 137). Fix:');
  const scoped = new Error('/x/node_modules/@node-rs/argon2-linux-x64-gnu/argon2.linux-x64-gnu.node: invalid ELF header');
  expect(nativeProblem(scoped, root.dir, undefined, running)).toMatch(/^hearth: @node-rs\/argon2-linux-x64-gnu does not load/);
  expect(isNativeLoadFailure(new Error('ENOENT: no such file or directory'))).toBe(false);
  expect(nativeProblem(new TypeError('x is not a function'), root.dir)).toBeUndefined();
});

it('what the launcher loads parses as ES2020 and imports nothing but Node built-ins and itself', () => {
  // The files Node reads before the version check, in a checkout that has been built.
  const entry = join(REPO, 'bin', 'hearth.js');
  const seen = new Set<string>();
  const queue = [entry, join(REPO, 'dist', 'orchestrator', 'launcher.js'), join(REPO, 'dist', 'orchestrator', 'cli.js')];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const tree = acorn.parse(source, { ecmaVersion: 2020, sourceType: 'module', allowAwaitOutsideFunction: true, allowHashBang: true });
    for (const node of tree.body) {
      if (node.type !== 'ImportDeclaration') continue;
      const spec = String(node.source.value);
      if (spec.startsWith('node:')) continue;
      expect(spec.startsWith('.'), `${file} imports ${spec}`).toBe(true);
      queue.push(resolve(dirname(file), spec));
    }
  }
  expect([...seen].map((f) => f.slice(REPO.length + 1)).sort()).toEqual([
    'bin/hearth.js',
    'dist/orchestrator/cli.js',
    'dist/orchestrator/launcher.js',
    'dist/orchestrator/runtime.js',
    'dist/shared/package-info.js',
  ]);
});
