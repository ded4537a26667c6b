// memory_ingest: files, folders and inline text into a collection.
import * as z from 'zod';

import { HearthError } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import type { IngestRequest } from '../ingest/ingester.js';
import type { OpenMemory } from '../memory.js';
import { CollectionName, MetadataInput } from './schemas.js';

const MAX_OUTCOMES = 200;
/** All inline texts of one call together: keeps a call well inside one message (shared/message-size.ts). */
const MAX_INLINE_CHARS = 10_000_000;

const Input = z.object({
  collection: CollectionName.default('default').describe('Created when missing; names starting with `_` are reserved.'),
  paths: z
    .array(z.string().min(1).max(4096))
    .max(100)
    .default([])
    .describe('Files or folders under the allowed roots (relative: from the first root); hidden, node_modules, dist, build skipped.'),
  texts: z
    .array(
      z
        .object({
          title: z.string().min(1).max(300).describe('Shown in search results.'),
          text: z.string().max(2_000_000).describe('Markdown or plain text.'),
          key: z.string().min(1).max(300).optional().describe('Identity: the same key replaces the text. Default: the title.'),
          format: z.enum(['markdown', 'text']).optional().describe('markdown (default) splits at headings.'),
          metadata: MetadataInput.optional().describe('Merged over the call’s metadata.'),
        })
        .strict(),
    )
    .max(100)
    .refine((texts) => texts.reduce((sum, t) => sum + t.text.length, 0) <= MAX_INLINE_CHARS, {
      message: `the texts hold more than ${MAX_INLINE_CHARS.toLocaleString('en-US')} characters in all; send them over several calls`,
    })
    .default([])
    .describe(`Inline texts, e.g. notes from the conversation (at most ${MAX_INLINE_CHARS.toLocaleString('en-US')} characters per call).`),
  metadata: MetadataInput.default({}).describe('Set on every document of this call, to filter searches by: {"project": "apollo"}.'),
  recursive: z.boolean().default(true).describe('Walk sub-folders of folders.'),
  prune: z.boolean().default(false).describe('Remove documents whose files under these folders are gone.'),
});

const Outcome = z.object({
  source: z.string().describe('File path relative to its root, or `text "<title>"`.'),
  status: z.enum(['added', 'updated', 'unchanged', 'failed', 'removed']),
  documentId: z.number().int().optional(),
  chunks: z.number().int().optional(),
  format: z.string().optional(),
  reason: z.string().optional().describe('Why it failed, or why it was removed.'),
});

const Output = z.object({
  collection: z.string(),
  counts: z.object({
    added: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int(),
    removed: z.number().int(),
  }),
  outcomes: z
    .array(Outcome)
    .describe(`Per document; failures first; at most ${MAX_OUTCOMES} (the full list is in the linked report when longer).`),
  outcomesOmitted: z.number().int().describe('Outcomes left out of the list above.'),
  ignored: z.number().int().describe('Files in the folders skipped because their type is not supported.'),
  reembedded: z
    .object({ from: z.string(), to: z.string(), chunks: z.number().int() })
    .optional()
    .describe('Set when the collection was re-embedded because the configured embedder changed.'),
});

function request(args: z.output<typeof Input>): IngestRequest {
  if (args.collection.startsWith('_'))
    throw new HearthError(
      'INVALID_ARGUMENT',
      `collection: ${args.collection} is reserved`,
      'Names starting with `_` hold facts and the task log; pick another name.',
      { details: { field: 'collection' } },
    );
  if (args.paths.length === 0 && args.texts.length === 0)
    throw new HearthError(
      'INVALID_ARGUMENT',
      'paths: nothing to ingest',
      'Pass file or folder paths in `paths`, or inline text in `texts`.',
      { details: { field: 'paths' } },
    );
  args.texts.forEach((t, i) => {
    if (!t.text.trim())
      throw new HearthError('INVALID_ARGUMENT', `texts[${i}].text: empty`, 'Pass the text to store, or leave this entry out.', {
        details: { field: `texts[${i}].text` },
      });
  });
  return {
    collection: args.collection,
    paths: args.paths,
    texts: args.texts,
    metadata: args.metadata,
    recursive: args.recursive,
    prune: args.prune,
  };
}

export function ingestTool(openMemory: OpenMemory): Tool {
  return defineTool({
    name: 'memory_ingest',
    title: 'Ingest documents into memory',
    description:
      'Stores files and folders under the allowed roots, or inline text, in a collection for memory_search: Markdown, text, HTML, PDF, DOCX, TS/JS/Python source. Unchanged files are skipped, changed ones replaced; an unreadable file fails alone. Returns each document’s outcome (added, updated, unchanged, failed, removed).',
    effect: 'write',
    idempotent: true,
    input: Input,
    output: Output,
    async preview(args) {
      const memory = await openMemory();
      const req = request(args);
      const { items, ignored } = memory.ingester.plan(req);
      const rows = (action: string) =>
        items
          .filter((i) => i.action === action)
          .map((i) => ({ source: i.source, action: i.action, ...(i.reason ? { reason: i.reason } : {}) }));
      const add = rows('add');
      const update = rows('update');
      const remove = rows('remove');
      const fail = rows('fail');
      const unchanged = items.filter((i) => i.action === 'unchanged').length;
      const reembed = items.find((i) => i.action === 're-embed');
      return {
        summary: `Ingest into ${req.collection}: add ${add.length}, update ${update.length}, remove ${remove.length}, unchanged ${unchanged}, cannot ingest ${fail.length}${ignored ? `, ${ignored} unsupported files ignored` : ''}`,
        changes: [
          {
            kind: 'records',
            target: `collection ${req.collection}`,
            added: add.slice(0, 100),
            removed: remove.slice(0, 100),
            updated: update.slice(0, 100),
            counts: { added: add.length, removed: remove.length, updated: update.length },
          },
          ...(fail.length
            ? [
                {
                  kind: 'note' as const,
                  text: `Would fail: ${fail
                    .slice(0, 20)
                    .map((f) => `${f.source} (${f.reason})`)
                    .join('; ')}${fail.length > 20 ? ` … and ${fail.length - 20} more` : ''}`,
                },
              ]
            : []),
          ...(reembed ? [{ kind: 'note' as const, text: `Re-embed the whole collection: ${reembed.reason}.` }] : []),
        ],
      };
    },
    async handler(args, ctx) {
      const memory = await openMemory();
      const req = request(args);
      const report = await memory.ingester.run(req, {
        signal: ctx.signal,
        progress: (n, total, message) => ctx.progress(n, total, message),
        throwIfCancelled: () => ctx.throwIfCancelled(),
      });
      const counts = { added: 0, updated: 0, unchanged: 0, failed: 0, removed: 0 };
      for (const o of report.outcomes) counts[o.status]++;
      const order = { failed: 0, removed: 1, added: 2, updated: 3, unchanged: 4 } as const;
      const sorted = [...report.outcomes].sort((a, b) => order[a.status] - order[b.status]);
      const shown = sorted.slice(0, MAX_OUTCOMES);
      const content = [];
      if (sorted.length > MAX_OUTCOMES) {
        const artifact = ctx.artifacts.put(
          `ingest-${req.collection}.json`,
          JSON.stringify(sorted, null, 2),
          'application/json',
          `All ${sorted.length} outcomes of an ingest into ${req.collection}`,
        );
        content.push(ctx.artifacts.link(artifact));
      }
      const failures = shown
        .filter((o) => o.status === 'failed')
        .slice(0, 10)
        .map((o) => `  failed ${o.source}: ${o.reason}`);
      const text = [
        `${report.collection}: ${counts.added} added, ${counts.updated} updated, ${counts.unchanged} unchanged, ` +
          `${counts.failed} failed, ${counts.removed} removed${report.ignored ? `; ${report.ignored} unsupported files ignored` : ''}.`,
        ...(report.reembedded
          ? [`Re-embedded ${report.reembedded.chunks} chunks with ${report.reembedded.to} (was ${report.reembedded.from}).`]
          : []),
        ...failures,
      ].join('\n');
      return {
        structured: {
          collection: report.collection,
          counts,
          outcomes: shown,
          outcomesOmitted: sorted.length - shown.length,
          ignored: report.ignored,
          ...(report.reembedded ? { reembedded: report.reembedded } : {}),
        },
        text,
        content,
      };
    },
  });
}
