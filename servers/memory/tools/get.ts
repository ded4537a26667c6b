// memory_get: a document (its chunks, paged) or one chunk, by id.
import * as z from 'zod';

import { HearthError } from '../../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../../shared/output.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import type { OpenMemory } from '../memory.js';
import { chunkOut, citation, documentOut } from './convert.js';
import { ChunkOut, DocumentOut } from './schemas.js';

const Input = z.object({
  documentId: z.number().int().positive().optional().describe('From memory_search, memory_list or memory_ingest.'),
  chunkId: z.number().int().positive().optional().describe('From memory_search.'),
  cursor: z.string().optional().describe('nextCursor from the previous page of the same document.'),
  limit: z.number().int().min(1).max(50).default(10).describe('Chunks per page when reading a document.'),
});

const Output = z.object({
  document: DocumentOut,
  chunks: z.array(ChunkOut).describe("The requested chunk, or one page of the document's chunks in order."),
  nextCursor: z.string().optional(),
});

export function getTool(openMemory: OpenMemory): Tool {
  return defineTool({
    name: 'memory_get',
    title: 'Read a stored document or passage',
    description:
      "Reads a passage whole with its document's details (chunkId, from memory_search), or a document's chunks in order, a page at a time (documentId; pass nextCursor back as cursor). Exactly one of the two.",
    effect: 'read',
    input: Input,
    output: Output,
    async handler(args) {
      const memory = await openMemory();
      if ((args.documentId === undefined) === (args.chunkId === undefined)) {
        throw new HearthError(
          'INVALID_ARGUMENT',
          'documentId, chunkId: pass exactly one of them',
          'Use chunkId for one passage from search results, documentId for a whole document.',
          { details: { field: 'documentId' } },
        );
      }
      if (args.chunkId !== undefined) {
        const chunk = memory.store.chunk(args.chunkId);
        if (!chunk)
          throw new HearthError(
            'NOT_FOUND',
            `chunkId: there is no chunk ${args.chunkId}`,
            'It may have been replaced by a re-ingest; search again for fresh ids.',
            { details: { field: 'chunkId' } },
          );
        const doc = memory.store.document(chunk.documentId)!;
        const out = chunkOut(chunk);
        return { structured: { document: documentOut(doc), chunks: [out] }, text: `${citation(doc.title, out.location)}\n\n${chunk.text}` };
      }
      const doc = memory.store.document(args.documentId!);
      if (!doc)
        throw new HearthError(
          'NOT_FOUND',
          `documentId: there is no document ${args.documentId}`,
          'Call memory_list to see the stored documents.',
          { details: { field: 'documentId' } },
        );
      const key = `doc:${doc.id}:${doc.updatedAt}`;
      const offset = decodeCursor(args.cursor, key);
      const chunks = memory.store.chunksOf(doc.id, offset, args.limit).map(chunkOut);
      const next = offset + chunks.length;
      const nextCursor = next < doc.chunks ? encodeCursor(next, key) : undefined;
      const text = [
        `${doc.title} (${doc.format}, ${doc.chunks} chunks${doc.path ? `, ${doc.path}` : ''}) — chunks ${offset + 1}–${next}`,
        ...chunks.map((c) => `--- ${citation(doc.title, c.location)}\n${c.text}`),
      ].join('\n');
      return { structured: { document: documentOut(doc), chunks, ...(nextCursor ? { nextCursor } : {}) }, text };
    },
  });
}
