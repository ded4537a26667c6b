// Schemas the memory tools share: names, metadata, ids, and the shapes of documents and chunks.
import * as z from 'zod';

import { listedAs } from '../../../shared/listed-as.js';
import { DocumentFilter } from '../search/filters.js';

const COLLECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const CollectionName = z
  .string()
  .regex(COLLECTION_NAME, 'a collection name is 1–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit')
  .describe('Collection name, e.g. `notes` or `project-apollo`.');

/** Names of existing collections, including the reserved `_facts` and `_tasks`. */
export const AnyCollectionName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/, 'a collection name is 1–64 letters, digits, `.`, `_` or `-`')
  .describe('Collection name; `_facts` and `_tasks` hold facts and the task log.');

export const Scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);
export const MetadataInput = z
  .record(z.string().min(1).max(100), Scalar)
  .refine((m) => Object.keys(m).length <= 50, 'at most 50 metadata keys');

export const Location = z.object({
  heading: z.string().optional().describe('Heading path, outermost first, joined by " > ".'),
  page: z.number().int().optional().describe('1-based PDF page.'),
  lineStart: z.number().int().optional(),
  lineEnd: z.number().int().optional(),
  symbol: z.string().optional().describe('Function, class or method, for source code.'),
});

export const DocumentOut = z.object({
  documentId: z.number().int(),
  collection: z.string(),
  title: z.string(),
  kind: z.enum(['file', 'inline', 'fact', 'task']),
  format: z.string(),
  path: z.string().nullable(),
  bytes: z.number().int(),
  pages: z.number().int().nullable(),
  chunks: z.number().int(),
  metadata: z.record(z.string(), Scalar),
  contentHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ChunkOut = z.object({
  chunkId: z.number().int(),
  documentId: z.number().int(),
  ord: z.number().int().describe('Position of the chunk in its document, from 0.'),
  location: Location,
  text: z.string(),
});

export const Namespace = z.string().min(1).max(64).default('default').describe('Groups facts, e.g. `user`, `project:apollo`.');
export const Key = z.string().min(1).max(200).describe("The fact's name, e.g. `preferred-editor`.");

export const FactOut = z.object({
  namespace: z.string(),
  key: z.string(),
  value: z.string(),
  documentId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * The filter as memory_list and memory_delete list it (their descriptions point to memory_search's,
 * which lists the fields in full): said once (every conversation that loads the list pays for each copy). Validated the same way.
 */
export const SameDocumentFilter = listedAs(DocumentFilter, { type: 'object' }, { sibling: 'memory_search' });
