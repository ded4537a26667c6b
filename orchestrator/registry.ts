// The servers Hearth can run, by name. Imports are lazy so `hearth mcp memory` never loads the
// browser stack, and a server's heavy dependencies load only when it is asked for.
import type * as z from 'zod';

import type { HearthConfig } from '../shared/config.js';
import type { HearthServer } from '../shared/server.js';

/** `file` is the config file that was read, for a server that starts others with the same settings. */
export type CreateServer = (config: HearthConfig, file?: string) => HearthServer | Promise<HearthServer>;

export interface ServerEntry {
  name: string;
  summary: string;
  load: () => Promise<CreateServer>;
  /** The schema of `servers.<name>` in the config; its descriptions make the settings table of docs/servers/<name>.md. */
  settings: () => Promise<z.ZodType>;
}

export const SERVERS: readonly ServerEntry[] = [
  {
    name: 'memory',
    summary: 'ingest documents; hybrid keyword + semantic search; facts and task history',
    load: async () => (await import('../servers/memory/index.js')).createServer,
    settings: async () => (await import('../servers/memory/settings.js')).MemorySettings,
  },
  {
    name: 'code',
    summary: 'sandboxed JavaScript (V8 isolates) with a jailed workspace, tests and artifacts',
    load: async () => (await import('../servers/code/index.js')).createServer,
    settings: async () => (await import('../servers/code/settings.js')).CodeSettings,
  },
  {
    name: 'web',
    summary: 'a real Chromium: snapshots, targeting, forms, sessions, an origin allowlist',
    load: async () => (await import('../servers/web/index.js')).createServer,
    settings: async () => (await import('../servers/web/settings.js')).WebSettings,
  },
  {
    name: 'plan',
    summary: 'plans as data: validate, simulate as one dry-run report, durable runs that resume after a crash and undo on failure',
    load: async () => {
      const { createServer } = await import('../servers/plan/index.js');
      const { withSuiteSiblings } = await import('./plan-siblings.js');
      return (config, file) => createServer(withSuiteSiblings(config, file));
    },
    settings: async () => (await import('../servers/plan/settings.js')).PlanSettings,
  },
  {
    name: 'budget',
    summary: 'an LLM gateway: local-first models, cloud fallback the policy allows, budgets that are never overspent',
    load: async () => {
      const { createServer } = await import('../servers/budget/index.js');
      return (config) => createServer(config);
    },
    settings: async () => (await import('../servers/budget/settings.js')).BudgetSettings,
  },
];

export function serverNames(): string[] {
  return SERVERS.map((s) => s.name);
}

export function findServer(name: string): ServerEntry | undefined {
  return SERVERS.find((s) => s.name === name);
}
