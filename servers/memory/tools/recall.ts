// memory_recall: facts by key, prefix, namespace or meaning, paged.
import * as z from 'zod';

import { HearthError } from '../../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../../shared/output.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { assertNamespace, FACTS_COLLECTION } from '../facts.js';
import type { OpenMemory } from '../memory.js';
import { FactOut, Key } from './schemas.js';

export function recallTool(openMemory: OpenMemory): Tool {
  const Input = z.object({
    namespace: z.string().min(1).max(64).optional().describe('Only this namespace; default all.'),
    key: Key.optional().describe('Exactly this key (needs namespace).'),
    prefix: z.string().min(1).max(200).optional().describe('Keys starting with this.'),
    query: z.string().min(1).max(2000).optional().describe('Find facts by meaning and words instead of by key, best first.'),
    cursor: z.string().optional().describe('nextCursor from the previous page.'),
    limit: z.number().int().min(1).max(200).default(50),
  });
  return defineTool({
    name: 'memory_recall',
    title: 'Recall facts',
    description:
      'Reads facts stored with memory_remember: one key, a key prefix, a namespace, or those best matching a query. Returns namespace, key, value and when changed, paged.',
    effect: 'read',
    input: Input,
    output: z.object({ facts: z.array(FactOut), total: z.number().int(), nextCursor: z.string().optional() }),
    async handler(args, ctx) {
      const memory = await openMemory();
      if (args.namespace !== undefined) assertNamespace(args.namespace);
      if (args.key !== undefined && args.namespace === undefined)
        throw new HearthError(
          'INVALID_ARGUMENT',
          'key: needs a namespace',
          'Pass the namespace the key lives in (default facts live in `default`).',
          { details: { field: 'key' } },
        );
      if (args.query !== undefined) {
        if (!memory.store.collection(FACTS_COLLECTION)) return { structured: { facts: [], total: 0 }, text: 'No facts stored yet.' };
        const result = await memory.searcher.search(
          {
            query: args.query,
            k: Math.min(args.limit, 50),
            mode: 'hybrid',
            collections: [FACTS_COLLECTION],
            lambda: 1,
            filter: args.namespace ? { metadata: { namespace: args.namespace } } : undefined,
          },
          ctx.signal,
        );
        const byDoc = memory.facts.byDocument([...new Set(result.hits.map((h) => h.documentId))]);
        const seen = new Set<number>();
        const facts = result.hits.flatMap((h) =>
          seen.has(h.documentId) || !byDoc.has(h.documentId) ? [] : (seen.add(h.documentId), [byDoc.get(h.documentId)!]),
        );
        return {
          structured: { facts, total: facts.length },
          text: facts.map((f) => `${f.namespace}/${f.key} = ${f.value}`).join('\n') || 'No matching facts.',
        };
      }
      if (args.key !== undefined) {
        const fact = memory.facts.get(args.namespace!, args.key);
        if (!fact)
          throw new HearthError(
            'NOT_FOUND',
            `key: no fact ${args.namespace}/${args.key}`,
            'Call memory_recall with only the namespace to see its keys.',
            { details: { field: 'key' } },
          );
        return { structured: { facts: [fact], total: 1 }, text: `${fact.namespace}/${fact.key} = ${fact.value}` };
      }
      const key = JSON.stringify([args.namespace ?? null, args.prefix ?? null]);
      const offset = decodeCursor(args.cursor, key);
      const { facts, total } = memory.facts.list({ namespace: args.namespace, prefix: args.prefix, offset, limit: args.limit });
      const next = offset + facts.length;
      const nextCursor = next < total ? encodeCursor(next, key) : undefined;
      return {
        structured: { facts, total, ...(nextCursor ? { nextCursor } : {}) },
        text: facts.map((f) => `${f.namespace}/${f.key} = ${f.value}`).join('\n') || 'No facts.',
      };
    },
  });
}
