// The memory server's settings (`servers.memory.*` in the config file, `--set servers.memory.key=value`,
// or `HEARTH__servers__memory__key=value`). Every default a person may want to change lives here.
import { join } from 'node:path';

import * as z from 'zod';

import { HearthError } from '../../lib/errors.js';
import { defaultCacheHome } from '../../lib/home.js';
import type { HearthConfig } from '../../shared/config.js';
import { serverSection } from '../../shared/config.js';

const Builtin = z
  .object({ provider: z.literal('builtin').describe('Word vectors shipped in an npm package, SIF-weighted. Needs no download.') })
  .strict();

const Ollama = z
  .object({
    provider: z.literal('ollama').describe('A running Ollama with an embedding model pulled (`ollama pull nomic-embed-text`).'),
    model: z.string().min(1).default('nomic-embed-text').describe('Any Ollama embedding model, e.g. nomic-embed-text, mxbai-embed-large.'),
    baseUrl: z.string().url().default('http://127.0.0.1:11434').describe('Where Ollama listens.'),
    batchSize: z.number().int().min(1).max(512).default(32).describe('Texts sent per /api/embed request.'),
    timeoutMs: z.number().int().min(1000).max(600_000).default(120_000).describe('Per request.'),
    queryPrefix: z.string().default('').describe('Prepended to queries (nomic-embed-text wants "search_query: ").'),
    documentPrefix: z.string().default('').describe('Prepended to passages (nomic-embed-text wants "search_document: ").'),
  })
  .strict();

const Onnx = z
  .object({
    provider: z
      .literal('onnx')
      .describe('A sentence-embedding model exported to ONNX in a local folder, run with ONNX Runtime; nothing is downloaded.'),
    dir: z
      .string()
      .min(1)
      .describe(
        'A local folder holding a sentence-embedding model exported to ONNX: tokenizer.json, config.json and model.onnx (or onnx/model.onnx).',
      ),
    pooling: z.enum(['mean', 'cls']).default('mean').describe('How token vectors become one vector.'),
    maxTokens: z.number().int().min(8).max(8192).default(256).describe('Longer inputs are cut to this many tokens.'),
    batchSize: z.number().int().min(1).max(256).default(16).describe('Texts per inference batch.'),
    queryPrefix: z.string().default('').describe('Prepended to queries (e5 models want "query: ").'),
    documentPrefix: z.string().default('').describe('Prepended to passages (e5 models want "passage: ").'),
  })
  .strict();

const EmbedderSettings = z.discriminatedUnion('provider', [Builtin, Ollama, Onnx]);
export type EmbedderSettings = z.infer<typeof EmbedderSettings>;
export type OllamaSettings = z.infer<typeof Ollama>;
export type OnnxSettings = z.infer<typeof Onnx>;

export const MemorySettings = z
  .object({
    database: z
      .string()
      .optional()
      .describe(
        'The SQLite file; default `<home>/memory.db`. Several processes may use it at once (WAL, busy timeout, short IMMEDIATE transactions).',
      ),
    cacheDir: z
      .string()
      .optional()
      .describe(
        "Where derived data (the built-in embedder's compact word-vector table) is kept; default `~/.cache/hearth/memory` (`$XDG_CACHE_HOME/hearth/memory`), shared by every data directory on the machine.",
      ),
    chunkSize: z.number().int().min(200).max(8000).default(1200).describe('Target characters per chunk.'),
    chunkOverlap: z
      .number()
      .int()
      .min(0)
      .max(2000)
      .default(150)
      .describe('Characters repeated between neighbouring chunks of one section; less than half of chunkSize.'),
    maxFileBytes: z
      .number()
      .int()
      .min(1)
      .default(25 * 1024 * 1024)
      .describe('Larger files fail with a clear reason; the rest of the batch goes on.'),
    maxUnpackedBytes: z
      .number()
      .int()
      .min(1024 * 1024)
      .default(256 * 1024 * 1024)
      .describe(
        'What one DOCX may unpack to in all; an entry that unpacks to over 200 times its packed size (and over 1 MB) is refused as well, as a zip bomb.',
      ),
    parseTimeoutMs: z
      .number()
      .int()
      .min(100)
      .default(120_000)
      .describe('Longest a PDF or DOCX may take to parse (in a worker thread); that file then fails alone.'),
    parseMemoryMb: z
      .number()
      .int()
      .min(32)
      .default(1024)
      .describe('Most memory parsing one PDF or DOCX may use (in a worker thread); that file then fails alone.'),
    maxFilesPerCall: z
      .number()
      .int()
      .min(1)
      .default(5000)
      .describe('A folder with more files is refused; ingest its sub-folders one by one.'),
    embedder: EmbedderSettings.default({ provider: 'builtin' }),
    search: z
      .object({
        exactBelow: z
          .number()
          .int()
          .min(0)
          .default(20_000)
          .describe(
            'Collections with fewer chunks use sqlite-vec exact KNN; larger ones an in-memory binary index (sign bits after centering, Hamming distance) whose candidates are ranked by an int8 copy of their vectors.',
          ),
        candidateShare: z
          .number()
          .min(0.001)
          .max(1)
          .default(0.06)
          .describe(
            'Share of a large collection the binary index keeps (nearest by Hamming distance, at least 3000) for the int8 ranking; more is closer to exact search and slower.',
          ),
        keywordBudget: z
          .number()
          .int()
          .min(100)
          .default(5_000)
          .describe(
            "Keyword search finds passages by the query's rarer words until they match about this many chunks; commoner words beyond it are counted in the passages found (so the ranking is still full BM25) but not used to find more, and memory_search says so in `notes`. Keeps a question full of common words fast on a large collection.",
          ),
        keywordCandidates: z.number().int().min(10).max(5000).default(100).describe('Top keyword hits considered for fusion.'),
        vectorCandidates: z.number().int().min(10).max(5000).default(100).describe('Top vector hits considered for fusion.'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((s) => s.chunkOverlap < s.chunkSize / 2, { message: 'chunkOverlap must be less than half of chunkSize', path: ['chunkOverlap'] });

export type MemorySettings = z.infer<typeof MemorySettings>;

export interface ResolvedSettings extends MemorySettings {
  database: string;
  cacheDir: string;
}

export function memorySettings(config: HearthConfig): ResolvedSettings {
  const parsed = serverSection(config, 'memory', MemorySettings);
  if (parsed.embedder.provider === 'onnx' && parsed.embedder.dir.trim() === '') {
    throw new HearthError(
      'CONFIG_INVALID',
      'configuration: servers.memory.embedder.dir: empty',
      'Point it at a folder with tokenizer.json and model.onnx.',
    );
  }
  return {
    ...parsed,
    database: parsed.database ?? join(config.home, 'memory.db'),
    cacheDir: parsed.cacheDir ?? join(defaultCacheHome(), 'memory'),
  };
}
