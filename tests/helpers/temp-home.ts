// A fresh data directory per test, removed afterwards.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempHome {
  dir: string;
  /** Writes <dir>/policy.json from a partial policy (version 1 is added). */
  policy(policy: Record<string, unknown>): string;
  cleanup(): void;
}

export function tempHome(prefix = 'hearth-test-'): TempHome {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  return {
    dir,
    policy(policy) {
      const file = join(dir, 'policy.json');
      writeFileSync(file, JSON.stringify({ version: 1, ...policy }, null, 2));
      return file;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
