// Node binaries other than the one that installed node_modules, for tests of what Hearth does when
// it is started with the wrong one. Found on the machine (PATH, the usual install folders, version
// managers, the fetched-Node cache); when the machine has none, one is fetched from the npm registry
// the way scripts/node.sh does, so the tests run everywhere rather than being skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

import { isSupportedNode } from '../../orchestrator/runtime.js';
import { REPO } from './mcp-client.js';

export function nodeVersion(node: string): string | undefined {
  const run = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 30_000 });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

function binsUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => join(dir, name, 'bin', 'node'));
}

/** Every runnable Node on this machine, once each (by real path). */
export function nodesOnMachine(): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node')),
    '/usr/bin/node',
    '/usr/local/bin/node',
    '/opt/homebrew/bin/node',
    ...binsUnder(join(homedir(), '.nvm', 'versions', 'node')),
    ...binsUnder(join(homedir(), '.volta', 'tools', 'image', 'node')),
    ...binsUnder(join(REPO, '.cache', 'node')),
  ];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (seen.has(real)) continue;
    seen.add(real);
    if (nodeVersion(real)) found.push(real);
  }
  return found;
}

/** A Node that is not `than`: one on the machine, else the pinned Node 24 that scripts/node.sh fetches. */
export function otherNode(than: string): string {
  const real = realpathSync(than);
  const onMachine = nodesOnMachine().find((node) => node !== real);
  if (onMachine) return onMachine;
  const fetched = execFileSync('sh', [join(REPO, 'scripts', 'node.sh'), '--fetch'], { encoding: 'utf8', timeout: 600_000 }).trim();
  if (realpathSync(fetched) === real) throw new Error(`no Node other than ${than} on this machine, and the fetched one is the same`);
  return fetched;
}

const OLD_MAJOR = '20';

/** A Node older than Hearth supports: one on the machine, else Node 20 fetched from the npm registry. */
export function oldNode(): string {
  const onMachine = nodesOnMachine().find((node) => !isSupportedNode(nodeVersion(node)!));
  if (onMachine) return onMachine;
  const platform = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const cache = join(REPO, '.cache', 'node');
  const existing = binsUnder(cache).find((bin) => existsSync(bin) && nodeVersion(bin)?.startsWith(`${OLD_MAJOR}.`));
  if (existing) return existing;
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, '.fetch-old-'));
  try {
    // npm checks the tarball against the integrity the registry publishes for it.
    const tarball = execFileSync('npm', ['pack', '--silent', `node-${platform}@${OLD_MAJOR}`], {
      cwd: tmp,
      encoding: 'utf8',
      timeout: 600_000,
    })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('tar', ['-xzf', join(tmp, tarball), '-C', tmp]);
    const version = nodeVersion(join(tmp, 'package', 'bin', 'node'));
    if (!version) throw new Error(`node-${platform}@${OLD_MAJOR} does not run here`);
    const dir = join(cache, `node-v${version}-${platform}`);
    if (!existsSync(dir)) renameSync(join(tmp, 'package'), dir);
    return join(dir, 'bin', 'node');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
