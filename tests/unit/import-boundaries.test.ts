// The layers import in one direction: lib (leaf utilities) ← policies ← shared (the kernel) ←
// servers ← orchestrator. A folder imports only from its own layer and the layers below it; a
// server imports only from its own folder among the servers (it reaches another only over MCP); and
// nothing in the product imports the tests, the benchmarks or the docs generator.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

import { expect, it } from 'vitest';

import { REPO } from '../helpers/mcp-client.js';

const LAYERS = ['lib', 'policies', 'shared', 'servers', 'orchestrator'] as const;
type Layer = (typeof LAYERS)[number];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

/** The layer a repository path belongs to; a file at the root (package.json) is leaf data. */
function layerOf(path: string[]): Layer | undefined {
  if (path.length === 1) return 'lib';
  return LAYERS.find((l) => l === path[0]);
}

/** Every relative import of the product as `from → to` (paths from the repository root), plus the violations. */
function violations(): { imports: number; problems: string[] } {
  const problems: string[] = [];
  let imports = 0;
  for (const layer of LAYERS) {
    for (const file of files(join(REPO, layer))) {
      const from = relative(REPO, file).split(sep);
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const spec = match[1] ?? match[2] ?? match[3]!;
        if (!spec.startsWith('.')) continue;
        imports++;
        const to = relative(REPO, resolve(dirname(file), spec)).split(sep);
        const target = to[0] === '..' ? undefined : layerOf(to);
        const where = `${from.join('/')} imports ${to.join('/')}`;
        if (target === undefined) problems.push(`${where}: outside the layers`);
        else if (LAYERS.indexOf(target) > LAYERS.indexOf(layer))
          problems.push(`${where}: ${layer} may not import ${target}, a layer above it`);
        else if (layer === 'servers' && target === 'servers' && to[1] !== from[1])
          problems.push(`${where}: a server never imports another`);
      }
    }
  }
  return { imports, problems };
}

it('lib, policies, shared, servers and orchestrator import only their own layer and the ones below', () => {
  const { imports, problems } = violations();
  expect(imports).toBeGreaterThan(300);
  expect(problems).toEqual([]);
});
