// The script a `scripted` provider answers from: an ordered list of turns, each optionally matched
// against the conversation and answering text, a JSON value and/or tool calls. Built to drive a
// client's tool loop offline (demos, tests): the model asks for tools, gets their results, and
// writes its answer — the same conversation every time. See docs/servers/budget.md.
import { readFileSync } from 'node:fs';

import * as z from 'zod';

import { HearthError } from '../../../lib/errors.js';
import { formatIssues } from '../../../lib/zod-issues.js';
import { type ChatMessage, toolNameFor } from '../messages.js';

const Match = z
  .object({
    lastUser: z.string().min(1).optional().describe('The last user message contains this.'),
    lastToolResult: z.string().min(1).optional().describe('A tool result since the last assistant turn contains this.'),
    lastToolName: z.string().min(1).optional().describe('A tool result since the last assistant turn came from this tool.'),
    contains: z.string().min(1).optional().describe('Any message of the conversation contains this.'),
    system: z.string().min(1).optional().describe('The system prompt contains this.'),
    step: z.number().int().min(0).optional().describe('This many assistant turns came before (0 for the first answer).'),
  })
  .strict();

const Turn = z
  .object({
    match: Match.optional().describe('When this turn may answer; all conditions must hold (text matches ignore case). None: any time.'),
    text: z.string().optional(),
    json: z.unknown().optional().describe('A structured answer; sent as its JSON text.'),
    toolCalls: z
      .array(
        z
          .object({
            id: z.string().min(1).optional(),
            name: z.string().min(1),
            arguments: z.record(z.string(), z.unknown()).default({}),
          })
          .strict(),
      )
      .default([]),
    usage: z
      .object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0) })
      .strict()
      .optional(),
    repeat: z.boolean().default(false).describe('Stays available after answering (otherwise each turn answers once).'),
    chunkDelayMs: z.number().int().min(0).max(10_000).default(0).describe('Pause between streamed words.'),
  })
  .strict();

export const Script = z
  .object({
    name: z.string().optional(),
    turns: z.array(Turn).min(1),
  })
  .strict();
export type Script = z.infer<typeof Script>;
export type ScriptTurn = Script['turns'][number];
type MatchSpec = z.infer<typeof Match>;

export function loadScript(file: string): Script {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HearthError(
      'CONFIG_INVALID',
      `script file ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      'Check servers.budget.providers.<name>.script.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new HearthError('CONFIG_INVALID', `script file ${file}: not valid JSON (${(error as Error).message})`, 'Fix the JSON syntax.');
  }
  const parsed = Script.safeParse(json);
  if (!parsed.success)
    throw new HearthError(
      'CONFIG_INVALID',
      formatIssues(`script file ${file}`, parsed.error),
      'See docs/servers/budget.md for the script format.',
    );
  return parsed.data;
}

const has = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());

/** The tool results after the last assistant turn, with their tool names. */
function pendingResults(messages: readonly ChatMessage[]): { name: string; content: string }[] {
  const out: { name: string; content: string }[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant') break;
    if (m.role === 'tool') out.push({ name: toolNameFor(messages, i), content: m.content });
  }
  return out;
}

export function matches(spec: MatchSpec | undefined, messages: readonly ChatMessage[]): boolean {
  if (!spec) return true;
  if (spec.lastUser !== undefined) {
    const last = [...messages].reverse().find((m) => m.role === 'user');
    if (!last || !has(last.content, spec.lastUser)) return false;
  }
  if (spec.lastToolResult !== undefined || spec.lastToolName !== undefined) {
    const results = pendingResults(messages);
    if (spec.lastToolResult !== undefined && !results.some((r) => has(r.content, spec.lastToolResult!))) return false;
    if (spec.lastToolName !== undefined && !results.some((r) => r.name === spec.lastToolName)) return false;
  }
  if (spec.contains !== undefined && !messages.some((m) => has(m.content, spec.contains!))) return false;
  if (spec.system !== undefined && !messages.some((m) => m.role === 'system' && has(m.content, spec.system!))) return false;
  if (spec.step !== undefined && messages.filter((m) => m.role === 'assistant').length !== spec.step) return false;
  return true;
}

/** A one-line description of a turn's conditions, for "nothing matched" messages. */
export function describeMatch(spec: MatchSpec | undefined): string {
  if (!spec) return 'any conversation';
  return Object.entries(spec)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(' and ');
}
