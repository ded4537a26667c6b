// Shared set-up for the memory tests: a Memory over a temp folder, with the built-in embedder's
// word table cached once per machine (building it takes seconds; every test reuses it).
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PathJail } from '../../lib/path-jail.js';
import { BuiltinEmbedder } from '../../servers/memory/embed/builtin.js';
import type { Embedder } from '../../servers/memory/embed/embedder.js';
import { Memory } from '../../servers/memory/memory.js';
import { MemorySettings, type ResolvedSettings } from '../../servers/memory/settings.js';

export const SHARED_CACHE = join(tmpdir(), 'hearth-test-memory-cache');

export interface TestMemory {
  memory: Memory;
  dir: string;
  docs: string;
  close(): Promise<void>;
}

export function settingsFor(dir: string, overrides: Record<string, unknown> = {}): ResolvedSettings {
  const parsed = MemorySettings.parse(overrides);
  return { ...parsed, database: join(dir, 'memory.db'), cacheDir: SHARED_CACHE };
}

export function openMemory(overrides: Record<string, unknown> = {}, embedder?: Embedder, dir?: string): TestMemory {
  const base = dir ?? realpathSync(mkdtempSync(join(tmpdir(), 'hearth-memory-')));
  const docs = join(base, 'docs');
  const settings = settingsFor(base, overrides);
  const memory = new Memory(settings, embedder ?? new BuiltinEmbedder({ cacheDir: SHARED_CACHE }), () => new PathJail([docs]));
  return {
    memory,
    dir: base,
    docs,
    async close() {
      await memory.close();
      if (!dir) rmSync(base, { recursive: true, force: true });
    },
  };
}
