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

/** A budget in any of three units; a unit left out is not limited. */
const Amounts = z
  .object({
    tokens: z.number().int().nonnegative().optional().describe('Input plus output tokens.'),
    seconds: z.number().nonnegative().optional().describe('Seconds of model time (wall clock of the calls).'),
    usd: z
      .number()
      .nonnegative()
      .max(1_000_000)
      .optional()
      .describe('US dollars, e.g. 0.5; kept as integer micro-dollars (1 µ$ = $0.000001).'),
  })
  .strict();

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

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
          .array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a provider name is lower case letters, digits and dashes'))
          .default(['ollama'])
          .describe(
            'LLM providers the budget gateway may call: `ollama`, `openai`, `anthropic`, `gemini`, `scripted`, or the name of an OpenAI-compatible server configured under servers.budget.providers. Empty: none.',
          ),
        approval: z
          .enum(['within-limits', 'every-call'])
          .default('within-limits')
          .describe(
            'In draft mode, `within-limits` lets llm_generate run without asking, because every call is held inside the providers and limits set here; `every-call` asks the person before each call.',
          ),
        timeZone: z
          .string()
          .refine(isTimeZone, 'not an IANA time zone name such as Europe/Berlin or America/New_York')
          .optional()
          .describe('The time zone whose calendar days and months the day and month limits follow; default the machine’s.'),
        limits: z
          .object({
            task: Amounts.default({ usd: 0.5 }).describe('What one task (llm_generate `task`) may spend in total.'),
            day: Amounts.default({ usd: 2 }).describe('What all calls may spend in one calendar day.'),
            month: Amounts.default({ usd: 20 }).describe('What all calls may spend in one calendar month.'),
          })
          .strict()
          .prefault({})
          .describe('Budgets the gateway never exceeds. A tool may tighten them for a task, never raise them.'),
      })
      .strict()
      .prefault({}),
    rateLimits: z
      .object({
        perClient: Rate.default({ callsPerMinute: 600, burst: 60 }).describe(
          'Calls per client to tools that change something (write or external effect).',
        ),
        reads: Rate.default({ callsPerMinute: 6000, burst: 600 }).describe(
          'Calls per client to read tools (no side effect: search, get, list, recall, snapshots), counted apart from perClient so a program can search back to back.',
        ),
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
