// memory_delete: documents by id, by filter, or a whole collection.
import * as z from 'zod';

import { HearthError } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { FACTS_COLLECTION } from '../facts.js';
import type { Memory, OpenMemory } from '../memory.js';
import { filterCondition, hasDocumentFilter } from '../search/filters.js';
import type { DocumentRef } from '../store/store.js';
import { SameDocumentFilter } from './schemas.js';

const Input = z.object({
  documentIds: z.array(z.number().int().positive()).min(1).max(1000).optional().describe('Delete these documents.'),
  collection: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('Without a filter: delete this collection and everything in it. With a filter: delete its matching documents.'),
  filter: SameDocumentFilter.optional().describe(
    'Delete the documents matching it (in `collection`, else in all); fields as memory_search’s filter.',
  ),
});

const Output = z.object({
  deletedDocuments: z.number().int(),
  deletedCollection: z.string().optional(),
});

interface Target {
  documents: DocumentRef[];
  collection?: { id: number; name: string };
  description: string;
}

function target(memory: Memory, args: z.output<typeof Input>): Target {
  const { store } = memory;
  const given = [args.documentIds !== undefined, args.collection !== undefined || args.filter !== undefined].filter(Boolean).length;
  if (given !== 1)
    throw new HearthError(
      'INVALID_ARGUMENT',
      'documentIds, collection, filter: say what to delete',
      'Pass documentIds, or a collection (optionally with a filter), or a filter alone — not documentIds together with the others.',
      { details: { field: 'documentIds' } },
    );
  if (args.filter !== undefined && !hasDocumentFilter(args.filter))
    throw new HearthError('INVALID_ARGUMENT', 'filter: empty', 'Name at least one condition, or delete by collection or documentIds.', {
      details: { field: 'filter' },
    });
  if (args.documentIds) {
    const docs = store.documentRefs({ sql: `d.id IN (${args.documentIds.map(() => '?').join(',')})`, params: args.documentIds });
    const missing = args.documentIds.filter((id) => !docs.some((d) => d.id === id));
    if (missing.length)
      throw new HearthError(
        'NOT_FOUND',
        `documentIds: no document ${missing.slice(0, 10).join(', ')}`,
        'Call memory_list to see the stored documents; nothing was deleted.',
        { details: { field: 'documentIds', missing } },
      );
    return { documents: docs, description: `${docs.length} document(s)` };
  }
  let ids: number[] | undefined;
  let collection: Target['collection'];
  if (args.collection !== undefined) {
    const c = store.collection(args.collection);
    if (!c)
      throw new HearthError(
        'NOT_FOUND',
        `collection: there is no collection named ${JSON.stringify(args.collection)}`,
        'Call memory_list to see the collections; nothing was deleted.',
        { details: { field: 'collection' } },
      );
    if (c.name === FACTS_COLLECTION && !args.filter)
      throw new HearthError('INVALID_ARGUMENT', `collection: ${FACTS_COLLECTION} holds facts`, 'Forget facts with memory_forget.', {
        details: { field: 'collection' },
      });
    ids = [c.id];
    if (!args.filter) collection = { id: c.id, name: c.name };
  }
  const docs = store.documentRefs(filterCondition(args.filter, ids));
  return {
    documents: docs,
    ...(collection ? { collection } : {}),
    description: collection
      ? `collection ${collection.name} with its ${docs.length} document(s)`
      : `${docs.length} document(s) matching the filter`,
  };
}

export function deleteTool(openMemory: OpenMemory): Tool {
  return defineTool({
    name: 'memory_delete',
    title: 'Delete from memory',
    description:
      'Removes documents (with passages and vectors) by documentIds, by filter, or a whole collection; files on disk are never touched. Facts go with memory_forget. Returns how many documents went.',
    effect: 'write',
    input: Input,
    output: Output,
    async preview(args) {
      const memory = await openMemory();
      const t = target(memory, args);
      return {
        summary: `Delete ${t.description} from memory`,
        changes: [
          {
            kind: 'records',
            target: t.collection ? `collection ${t.collection.name}` : 'memory documents',
            added: [],
            removed: t.documents
              .slice(0, 100)
              .map((d) => ({ documentId: d.id, collection: d.collection, title: d.title, ...(d.path ? { path: d.path } : {}) })),
            counts: { added: 0, removed: t.documents.length, updated: 0 },
          },
        ],
      };
    },
    async handler(args) {
      const memory = await openMemory();
      const t = target(memory, args);
      if (t.collection) {
        const { documents } = memory.store.deleteCollection(t.collection.id);
        return {
          structured: { deletedDocuments: documents, deletedCollection: t.collection.name },
          text: `Deleted collection ${t.collection.name} and its ${documents} document(s).`,
        };
      }
      const ids = t.documents.map((d) => d.id);
      // Facts deleted through a filter take their fact rows with them (ON DELETE CASCADE).
      const n = memory.store.deleteDocuments(ids);
      return { structured: { deletedDocuments: n }, text: `Deleted ${n} document(s).` };
    },
  });
}
