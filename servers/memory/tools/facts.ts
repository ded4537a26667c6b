// memory_remember, memory_recall, memory_forget: key/value facts per namespace.
import * as z from 'zod';

import { HearthError } from '../../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../../shared/output.js';
import { defineTool } from '../../../shared/tool.js';
import { assertNamespace, FACTS_COLLECTION } from '../facts.js';
import type { Memory } from '../memory.js';

const Namespace = z.string().min(1).max(64).default('default').describe('Groups facts, e.g. `user`, `project:apollo`. Default `default`.');
const Key = z.string().min(1).max(200).describe("The fact's name within its namespace, e.g. `preferred-editor`.");

const FactOut = z.object({
  namespace: z.string(),
  key: z.string(),
  value: z.string(),
  documentId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export function rememberTool(memory: Memory) {
  const Input = z.object({
    namespace: Namespace,
    key: Key,
    value: z.string().min(1).max(20_000).describe('What to remember. Replaces the previous value of this key.'),
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
      "Stores a durable key/value fact in a namespace (for example namespace `user`, key `timezone`, value `Europe/Berlin`), replacing the key's previous value. Facts survive restarts, are read back with memory_recall, and are also found by memory_search. Returns whether the fact was added, updated or unchanged.",
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
      check(args);
      const r = await memory.facts.remember(args.namespace, args.key, args.value, ctx.signal);
      return {
        structured: { namespace: args.namespace, key: args.key, ...r },
        text: `${r.status} ${args.namespace}/${args.key}${r.previous !== undefined && r.status === 'updated' ? ` (was: ${r.previous.slice(0, 200)})` : ''}`,
      };
    },
  });
}

export function recallTool(memory: Memory) {
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
      'Reads facts stored with memory_remember: one key, every key with a prefix, a whole namespace, or the facts that best match a query. Returns namespace, key, value and when it was last changed, paged.',
    effect: 'read',
    input: Input,
    output: z.object({ facts: z.array(FactOut), total: z.number().int(), nextCursor: z.string().optional() }),
    async handler(args, ctx) {
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

export function forgetTool(memory: Memory) {
  const Input = z.object({
    namespace: Namespace,
    keys: z.array(Key).min(1).max(100).describe('Keys to forget.'),
  });
  return defineTool({
    name: 'memory_forget',
    title: 'Forget facts',
    description:
      'Deletes facts (stored with memory_remember) by key from a namespace; they stop appearing in memory_recall and memory_search. Returns the keys forgotten and the ones that did not exist.',
    effect: 'write',
    idempotent: true,
    input: Input,
    output: z.object({ forgotten: z.array(z.string()), missing: z.array(z.string()) }),
    async preview(args) {
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
      assertNamespace(args.namespace);
      const r = memory.facts.forget(args.namespace, args.keys);
      return {
        structured: r,
        text: `forgot ${r.forgotten.length} fact(s)${r.missing.length ? `; not found: ${r.missing.join(', ')}` : ''}`,
      };
    },
  });
}
