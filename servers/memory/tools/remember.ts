// memory_remember: stores a key/value fact in a namespace, replacing the key's previous value.
import * as z from 'zod';

import { HearthError } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { assertNamespace } from '../facts.js';
import type { OpenMemory } from '../memory.js';
import { Key, Namespace } from './schemas.js';

export function rememberTool(openMemory: OpenMemory): Tool {
  const Input = z.object({
    namespace: Namespace,
    key: Key,
    value: z.string().min(1).max(20_000).describe('What to remember.'),
  });
  const check = (args: z.output<typeof Input>) => {
    assertNamespace(args.namespace);
    if (!args.value.trim())
      throw new HearthError('INVALID_ARGUMENT', 'value: empty', 'Pass what to remember; to remove a fact use memory_forget.', {
        details: { field: 'value' },
      });
  };
  return defineTool({
    name: 'memory_remember',
    title: 'Remember a fact',
    description:
      'Stores a lasting key/value fact in a namespace (e.g. `user` / `timezone` = `Europe/Berlin`), replacing the key’s value; read back with memory_recall, found by memory_search. Returns added, updated or unchanged.',
    effect: 'write',
    idempotent: true,
    input: Input,
    output: z.object({
      namespace: z.string(),
      key: z.string(),
      status: z.enum(['added', 'updated', 'unchanged']),
      previous: z.string().optional(),
      documentId: z.number().int(),
    }),
    async preview(args) {
      const memory = await openMemory();
      check(args);
      const before = memory.facts.get(args.namespace, args.key);
      const row = { namespace: args.namespace, key: args.key, value: args.value };
      if (!before)
        return {
          summary: `Remember ${args.namespace}/${args.key}`,
          changes: [{ kind: 'records', target: 'facts', added: [row], removed: [] }],
        };
      if (before.value === args.value)
        return { summary: `${args.namespace}/${args.key} already has this value; nothing changes`, changes: [] };
      return {
        summary: `Change ${args.namespace}/${args.key}`,
        changes: [
          {
            kind: 'records',
            target: 'facts',
            added: [],
            removed: [],
            updated: [{ ...row, previous: before.value }],
            counts: { added: 0, removed: 0, updated: 1 },
          },
        ],
      };
    },
    async handler(args, ctx) {
      const memory = await openMemory();
      check(args);
      const r = await memory.facts.remember(args.namespace, args.key, args.value, ctx.signal);
      return {
        structured: { namespace: args.namespace, key: args.key, ...r },
        text: `${r.status} ${args.namespace}/${args.key}${r.previous !== undefined && r.status === 'updated' ? ` (was: ${r.previous.slice(0, 200)})` : ''}`,
      };
    },
  });
}
