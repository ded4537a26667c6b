// Each folder may import only from the layers below it. Servers never import each other: a server
// reaches another only over MCP.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

import { expect, it } from 'vitest';

import { REPO } from '../helpers/mcp-client.js';

const RULES: Record<string, (target: string) => boolean> = {
  shared: (t) => t === 'shared' || t === 'policies',
  policies: (t) => t === 'policies' || t === 'shared',
  orchestrator: (t) => ['orchestrator', 'shared', 'policies', 'servers'].includes(t),
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

it('shared, policies, orchestrator and each server import only what their layer allows', () => {
  const violations: string[] = [];
  for (const top of ['shared', 'policies', 'orchestrator', 'servers']) {
    for (const file of files(join(REPO, top))) {
      const rel = relative(REPO, file).split(sep);
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(IMPORT)) {
        const spec = match[1] ?? match[2]!;
        if (!spec.startsWith('.')) continue;
        const target = relative(REPO, resolve(dirname(file), spec)).split(sep);
        if (target[0] === '..' || target[0] === undefined) {
          violations.push(`${rel.join('/')} imports ${spec}, outside the repository`);
          continue;
        }
        const ok =
          top === 'servers'
            ? target[0] === 'shared' || target[0] === 'policies' || (target[0] === 'servers' && target[1] === rel[1])
            : RULES[top]!(target[0]);
        if (!ok) violations.push(`${rel.join('/')} imports ${target.join('/')}`);
      }
    }
  }
  expect(violations).toEqual([]);
});
