// memory_search: hybrid keyword + semantic search with MMR diversity.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { Memory } from '../memory.js';
import { DocumentFilter } from '../search/filters.js';
import { citation } from './convert.js';
import { AnyCollectionName, Location, Scalar } from './schemas.js';

const Input = z.object({
  query: z.string().min(1).max(2000).describe('What to look for: a question or keywords.'),
  k: z.number().int().min(1).max(50).default(8).describe('How many passages to return (1–50).'),
  mode: z
    .enum(['hybrid', 'keyword', 'vector'])
    .default('hybrid')
    .describe(
      "hybrid (default) combines keyword (BM25) and semantic (vector) scores, weighted by what was measured for the collection's embedding model; keyword matches words only; vector matches meaning only.",
    ),
  collections: z
    .array(AnyCollectionName)
    .max(50)
    .optional()
    .describe('Search only these collections; default all, including `_facts` and `_tasks`.'),
  filter: DocumentFilter.optional().describe('Keep only documents matching all of these.'),
  lambda: z
    .number()
    .min(0)
    .max(1)
    .default(0.8)
    .describe('MMR diversity: 1 ranks by relevance only; lower values skip passages that repeat ones already chosen.'),
  perDocument: z
    .number()
    .int()
    .min(1)
    .max(50)
    .optional()
    .describe('At most this many passages per document; 1 returns the k best distinct documents. Default: no limit.'),
  includeText: z.boolean().default(false).describe("Return each passage's full text, not only a snippet."),
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

export function searchTool(memory: Memory): Tool {
  return defineTool({
    name: 'memory_search',
    title: 'Search memory',
    description:
      'Finds the passages in stored documents, facts and task history that best answer a query. Use it before answering questions about the person\'s own documents, or to see how a similar task went (collections: ["_tasks"]). Hybrid mode (default) combines exact words (BM25) with meaning (embeddings), so it finds passages that use other words for the same idea. Returns up to k passages, each with its document title, key and metadata as given at ingest, file path, location (heading path, PDF page, line range, code symbol), a snippet and the scores that ranked it; perDocument: 1 returns k distinct documents. Read a passage whole with memory_get.',
    effect: 'read',
    input: Input,
    output: Output,
    async handler(args, ctx) {
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
