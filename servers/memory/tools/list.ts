// memory_list: collections and documents, paged.
import * as z from 'zod';

import { HearthError } from '../../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../../shared/output.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import type { OpenMemory } from '../memory.js';
import { filterCondition } from '../search/filters.js';
import { documentOut } from './convert.js';
import { SameDocumentFilter } from './schemas.js';
import { AnyCollectionName, DocumentOut } from './schemas.js';

const Input = z.object({
  collection: AnyCollectionName.optional().describe('List the documents of this collection; default: of all collections.'),
  filter: SameDocumentFilter.optional().describe('Only documents matching it; fields as memory_search’s filter.'),
  cursor: z.string().optional().describe('nextCursor from the previous page of the same listing.'),
  limit: z.number().int().min(1).max(200).default(50).describe('Documents per page.'),
});

const Collection = z.object({
  name: z.string(),
  embedder: z.string().describe("The embedding model the collection's vectors come from."),
  dimensions: z.number().int(),
  documents: z.number().int(),
  chunks: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const Output = z.object({
  collections: z.array(Collection).describe('Every collection (on the first page only).'),
  documents: z.array(DocumentOut),
  total: z.number().int().describe('Documents matching, over all pages.'),
  nextCursor: z.string().optional(),
});

export function listTool(openMemory: OpenMemory): Tool {
  return defineTool({
    name: 'memory_list',
    title: 'List collections and documents',
    description:
      'Lists the collections (embedding model, counts) and the documents of one or all, newest first, paged. Use it to find a documentId for memory_get or memory_delete.',
    effect: 'read',
    input: Input,
    output: Output,
    async handler(args) {
      const memory = await openMemory();
      const collections = memory.store.collections();
      let ids: number[] | undefined;
      if (args.collection !== undefined) {
        const c = collections.find((x) => x.name === args.collection);
        if (!c)
          throw new HearthError(
            'NOT_FOUND',
            `collection: there is no collection named ${JSON.stringify(args.collection)}`,
            collections.length
              ? `Known collections: ${collections
                  .map((x) => x.name)
                  .slice(0, 20)
                  .join(', ')}.`
              : 'Nothing has been ingested yet.',
            { details: { field: 'collection' } },
          );
        ids = [c.id];
      }
      const where = filterCondition(args.filter, ids);
      const key = JSON.stringify([args.collection ?? null, args.filter ?? null]);
      const offset = decodeCursor(args.cursor, key);
      const { documents: rows, total } = memory.store.documentPage(where, offset, args.limit);
      const documents = rows.map(documentOut);
      const next = offset + documents.length;
      const nextCursor = next < total ? encodeCursor(next, key) : undefined;
      const shownCollections = offset === 0 ? collections.map(({ id: _id, ...c }) => c) : [];
      const text = [
        ...(offset === 0
          ? [
              collections.length
                ? `Collections: ${collections.map((c) => `${c.name} (${c.documents} docs, ${c.chunks} chunks)`).join(', ')}`
                : 'Memory is empty.',
            ]
          : []),
        ...documents.map(
          (d) => `#${d.documentId} [${d.collection}] ${d.title} — ${d.format}, ${d.chunks} chunks${d.path ? `, ${d.path}` : ''}`,
        ),
        ...(nextCursor ? [`… ${total - next} more; pass nextCursor.`] : []),
      ].join('\n');
      return { structured: { collections: shownCollections, documents, total, ...(nextCursor ? { nextCursor } : {}) }, text };
    },
  });
}
