// The plan server's settings (`servers.plan.*` in the config): where runs are journaled, how it
// reaches the servers whose tools plans call, how long a plan approval lasts, and output bounds.
import { isAbsolute, join } from 'node:path';

import * as z from 'zod';

import type { HearthConfig } from '../../shared/config.js';
import { serverSection } from '../../shared/config.js';

const Sibling = z
  .object({
    command: z.string().min(1).optional().describe('stdio: the program to start, e.g. node.'),
    args: z.array(z.string()).max(100).default([]).describe('stdio: its arguments, e.g. ["bin/hearth.js", "mcp", "memory"].'),
    env: z.record(z.string(), z.string()).default({}).describe('stdio: extra environment variables.'),
    cwd: z.string().optional().describe('stdio: the folder to start it in.'),
    url: z.string().url().optional().describe('HTTP: the server’s MCP endpoint, e.g. http://127.0.0.1:8765/mcp/memory.'),
    token: z.string().min(1).optional().describe('HTTP: the bearer token.'),
    hearth: z
      .boolean()
      .default(true)
      .describe(
        'A Hearth server (its tools keep their names and deduplicate by idempotency key); false for any other MCP server, whose tools plans call as <name>.<tool>.',
      ),
  })
  .strict()
  .refine((s) => (s.command === undefined) !== (s.url === undefined), 'give command (stdio) or url (HTTP), not both');

export const PlanSettings = z
  .object({
    database: z.string().optional().describe('The journal of runs and the saved playbooks; default `<home>/plan.db`.'),
    servers: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a server name is lower case letters, digits and dashes'), Sibling)
      .default({})
      .describe(
        'The servers plans reach, by name. `hearth mcp plan` fills in the suite’s own servers (started as `hearth mcp <name>`); add other MCP servers here.',
      ),
    approvalTtlSeconds: z
      .number()
      .int()
      .min(60)
      .max(604_800)
      .default(86_400)
      .describe('How long the approval of a plan lets its steps run unasked.'),
    maxOutputChars: z
      .number()
      .int()
      .min(1_000)
      .max(5_000_000)
      .default(200_000)
      .describe('A step output larger than this (as JSON) is journaled cut, with a note.'),
    concurrentRuns: z.number().int().min(1).max(64).default(4).describe('Runs that execute at once; more wait queued.'),
  })
  .strict();

export type PlanSettings = z.output<typeof PlanSettings> & { database: string };
export type SiblingSettings = z.output<typeof Sibling>;

export function planSettings(config: HearthConfig): PlanSettings {
  const parsed = serverSection(config, 'plan', PlanSettings);
  const database =
    parsed.database === undefined
      ? join(config.home, 'plan.db')
      : isAbsolute(parsed.database)
        ? parsed.database
        : join(config.home, parsed.database);
  return { ...parsed, database };
}
