// memory_forget: deletes facts by key from a namespace.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import { assertNamespace } from '../facts.js';
import type { OpenMemory } from '../memory.js';
import { Key, Namespace } from './schemas.js';

export function forgetTool(openMemory: OpenMemory): Tool {
  const Input = z.object({
    namespace: Namespace,
    keys: z.array(Key).min(1).max(100).describe('Keys to forget.'),
  });
  return defineTool({
    name: 'memory_forget',
    title: 'Forget facts',
    description: 'Deletes facts by key from a namespace. Returns the keys forgotten and those that did not exist.',
    effect: 'write',
    idempotent: true,
    input: Input,
    output: z.object({ forgotten: z.array(z.string()), missing: z.array(z.string()) }),
    async preview(args) {
      const memory = await openMemory();
      assertNamespace(args.namespace);
      const found = args.keys.map((k) => memory.facts.get(args.namespace, k)).filter((f) => f !== undefined);
      return {
        summary: `Forget ${found.length} fact(s) in ${args.namespace}`,
        changes: [
          {
            kind: 'records',
            target: 'facts',
            added: [],
            removed: found.map((f) => ({ namespace: f.namespace, key: f.key, value: f.value })),
          },
        ],
      };
    },
    async handler(args) {
      const memory = await openMemory();
      assertNamespace(args.namespace);
      const r = memory.facts.forget(args.namespace, args.keys);
      return {
        structured: r,
        text: `forgot ${r.forgotten.length} fact(s)${r.missing.length ? `; not found: ${r.missing.join(', ')}` : ''}`,
      };
    },
  });
}
