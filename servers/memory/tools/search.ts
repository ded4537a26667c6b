// memory_search: hybrid keyword + semantic search with MMR diversity.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { OpenMemory } from '../memory.js';
import { DocumentFilter } from '../search/filters.js';
import { citation } from './convert.js';
import { AnyCollectionName, Location, Scalar } from './schemas.js';

const Input = z.object({
  query: z.string().min(1).max(2000).describe('What to look for: a question or keywords.'),
  k: z.number().int().min(1).max(50).default(8).describe('How many passages.'),
  mode: z
    .enum(['hybrid', 'keyword', 'vector'])
    .default('hybrid')
    .describe('hybrid: words (BM25) and meaning (vectors); keyword or vector: one only.'),
  collections: z
    .array(AnyCollectionName)
    .max(50)
    .optional()
    .describe('Only these collections; default all, `_facts` and `_tasks` included.'),
  filter: DocumentFilter.optional().describe('Keep only documents matching all of these.'),
  lambda: z.number().min(0).max(1).default(0.8).describe('MMR diversity: 1 is relevance only; lower skips repeats.'),
  perDocument: z.number().int().min(1).max(50).optional().describe('Passages per document at most (1: k distinct documents).'),
  includeText: z.boolean().default(false).describe('Full passage text, not a snippet.'),
});

const Hit = z.object({
  chunkId: z.number().int().describe('Pass to memory_get as chunkId to read the passage whole.'),
  documentId: z.number().int(),
  collection: z.string(),
  key: z
    .string()
    .describe(
      "The document's identity as given at ingest: an inline text's key (its title when no key was given), a file's absolute path, a fact's key, a logged task's id.",
    ),
  metadata: z.record(z.string(), Scalar).describe('The metadata the document was ingested with.'),
  title: z.string(),
  path: z.string().nullable().describe('Absolute path of the source file; null for inline text, facts and tasks.'),
  format: z.string(),
  kind: z.enum(['file', 'inline', 'fact', 'task']),
  location: Location,
  citation: z.string().describe('Title, page, heading, symbol and lines, ready to cite.'),
  snippet: z.string(),
  text: z.string().optional(),
  scores: z.object({
    keyword: z.number().optional().describe('BM25 score (higher is better); absent when the keyword ranking did not find it.'),
    keywordRank: z.number().int().optional(),
    vector: z.number().optional().describe('Cosine similarity to the query, -1..1.'),
    vectorRank: z.number().int().optional(),
    fused: z
      .number()
      .describe(
        "Relevance in 0..1: each ranking's scores scaled to 0..1 over its candidates; in hybrid mode, the keyword and vector ones added with the collection's keyword weight.",
      ),
    final: z.number().describe('Score the result was picked by (MMR when lambda < 1).'),
  }),
});

const Output = z.object({
  hits: z.array(Hit),
  collections: z.array(z.string()).describe('Collections searched.'),
  warnings: z.array(z.string()),
  notes: z.array(z.string()).describe('How the query was run, when it matters.'),
});

export function searchTool(openMemory: OpenMemory): Tool {
  return defineTool({
    name: 'memory_search',
    title: 'Search memory',
    description:
      'Finds the passages in stored documents, facts and task history that best answer a query, by words and meaning. Use it before answering about the person’s own documents. Returns up to k passages with title, key, metadata, path, location, snippet and scores; read one whole with memory_get.',
    effect: 'read',
    input: Input,
    output: Output,
    async handler(args, ctx) {
      const memory = await openMemory();
      const result = await memory.searcher.search(
        {
          query: args.query,
          k: args.k,
          mode: args.mode,
          collections: args.collections,
          filter: args.filter,
          lambda: args.lambda,
          perDocument: args.perDocument,
        },
        ctx.signal,
      );
      const hits = result.hits.map(({ text, ...h }) => ({
        ...h,
        citation: citation(h.title, h.location),
        ...(args.includeText ? { text } : {}),
      }));
      const lines = hits.length
        ? hits.map((h, i) => `${i + 1}. [${h.collection}] ${h.citation}${h.path ? ` (${h.path})` : ''}\n   ${h.snippet}`)
        : [
            `No passages found for ${JSON.stringify(args.query)} in ${result.collections.length ? result.collections.join(', ') : 'an empty memory'}.`,
          ];
      return {
        structured: { hits, collections: result.collections, warnings: result.warnings, notes: result.notes },
        text: [...lines, ...result.warnings.map((w) => `warning: ${w}`)].join('\n'),
      };
    },
  });
}
