// The policy file's schema: the single source for validation, defaults and the documentation of
// every policy field (docs/security.md is generated from these descriptions).
import * as z from 'zod';

import { Mode } from './modes.js';

const Rate = z
  .object({
    callsPerMinute: z.number().int().positive(),
    burst: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Calls allowed at once before the per-minute rate applies; default: a tenth of the rate, at least 1.'),
  })
  .strict();

export const Policy = z
  .object({
    version: z.literal(1).describe('Policy format version. Always 1.'),
    mode: Mode.default('draft').describe('Default mode for every server: observe | draft | autopilot.'),
    servers: z
      .record(z.string(), z.object({ mode: Mode.optional().describe('Mode for this server.') }).strict())
      .default({})
      .describe('Per-server overrides, keyed by server name (memory, plan, code, web, budget).'),
    tools: z
      .object({
        allow: z.array(z.string()).default(['*']).describe('Tool name patterns that may run (`*` matches any run of characters).'),
        deny: z.array(z.string()).default([]).describe('Tool name patterns that never run; deny wins over allow.'),
      })
      .strict()
      .prefault({}),
    roots: z
      .array(z.string())
      .default([])
      .describe(
        'Folders tools may read and write. `~` is your home; relative paths resolve against the policy file. Empty: no file access.',
      ),
    web: z
      .object({
        origins: z
          .array(z.string())
          .default([])
          .describe(
            'Origins the browser and web_request may reach, e.g. `https://example.com`, `https://*.example.com`, `http://127.0.0.1:*`. Empty: none.',
          ),
      })
      .strict()
      .prefault({}),
    outbound: z
      .object({
        hosts: z
          .array(z.string())
          .default([])
          .describe('Hosts sandboxed code may fetch from, e.g. `api.example.com`, `*.example.com`. Empty: no network.'),
      })
      .strict()
      .prefault({}),
    llm: z
      .object({
        providers: z
          .array(z.enum(['ollama', 'openai', 'anthropic', 'gemini']))
          .default(['ollama'])
          .describe('LLM providers the budget gateway may call.'),
      })
      .strict()
      .prefault({}),
    rateLimits: z
      .object({
        perClient: Rate.default({ callsPerMinute: 600, burst: 60 }).describe('Tool calls per client.'),
        perTool: z.record(z.string(), Rate).default({}).describe('Tool name pattern → rate, applied per client.'),
      })
      .strict()
      .prefault({}),
    redact: z
      .object({
        patterns: z.array(z.string()).default([]).describe('Regular expressions whose matches are redacted everywhere.'),
      })
      .strict()
      .prefault({}),
    approvals: z
      .object({
        ttlSeconds: z.number().int().positive().default(86_400).describe('A queued approval expires after this many seconds.'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Policy = z.infer<typeof Policy>;
