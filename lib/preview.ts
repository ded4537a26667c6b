// The preview of a write or external tool call: what it would do, as structured, readable changes.
// Dry-runs, observe mode, draft approvals and the plan simulator all show the same preview.
import { createRequire } from 'node:module';

import type * as Diff from 'diff';
import * as z from 'zod';

const require = createRequire(import.meta.url);

const FileChange = z.object({
  kind: z.literal('file'),
  path: z.string(),
  action: z.enum(['create', 'modify', 'delete']),
  diff: z.string().optional().describe('Unified diff of the text change, when the file is text.'),
  bytes: z.number().int().nonnegative().optional(),
});

const FormChange = z.object({
  kind: z.literal('form'),
  target: z.string().describe('The page or form the values go into.'),
  fields: z.array(z.object({ field: z.string(), value: z.string(), note: z.string().optional() })),
  submit: z.boolean(),
});

const RecordRow = z.record(z.string(), z.unknown());

const RecordsChange = z.object({
  kind: z.literal('records'),
  target: z.string().describe('The collection or table the rows belong to.'),
  added: z.array(RecordRow),
  removed: z.array(RecordRow),
  updated: z.array(RecordRow).optional(),
  counts: z.object({ added: z.number().int(), removed: z.number().int(), updated: z.number().int() }).optional(),
});

const RequestChange = z.object({
  kind: z.literal('request'),
  method: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
});

const CodeChange = z.object({
  kind: z.literal('code'),
  language: z.string(),
  source: z.string(),
  limits: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
});

const NoteChange = z.object({ kind: z.literal('note'), text: z.string() });

export const Change = z.discriminatedUnion('kind', [FileChange, FormChange, RecordsChange, RequestChange, CodeChange, NoteChange]);
export type Change = z.infer<typeof Change>;

/**
 * A preview lists every change the call would make. An empty list, or only record changes with no
 * row added, removed or updated, says the call changes nothing (re-ingesting unchanged files,
 * remembering a value already stored): in draft mode such a call runs without asking the person.
 */
export const Preview = z.object({
  summary: z.string().describe('One line saying what the call would do.'),
  changes: z.array(Change),
});
export type Preview = z.infer<typeof Preview>;

/** Whether a preview shows that the call would change nothing (see Preview). A note, a file, a form or a request is a change. */
export function changesNothing(preview: Preview): boolean {
  return preview.changes.every((change) => {
    if (change.kind !== 'records') return false;
    const counts = change.counts ?? { added: 0, removed: 0, updated: 0 };
    return (
      change.added.length === 0 &&
      change.removed.length === 0 &&
      (change.updated?.length ?? 0) === 0 &&
      counts.added === 0 &&
      counts.removed === 0 &&
      counts.updated === 0
    );
  });
}

/** What a dry-run (or observe mode) returns instead of running the tool. */
export const DryRunResult = z.object({
  dryRun: z.literal(true),
  reason: z.enum(['dry-run', 'observe']).describe('Why the call only previewed: a requested dry-run, or the observe mode.'),
  preview: Preview,
});
export type DryRunResult = z.infer<typeof DryRunResult>;

/** A unified diff between two versions of a text file. */
export function unifiedDiff(path: string, before: string, after: string): string {
  // Loaded on first use: every server imports this file, few ever show a file diff, and the package
  // is some twenty modules on the way to the first tools/list.
  const { createTwoFilesPatch } = require('diff') as typeof Diff;
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
}

const MAX_ROWS_SHOWN = 20;

/** Renders a preview as readable text: the same report for people, logs and the plan simulator. */
export function renderPreview(preview: Preview): string {
  const lines = [preview.summary];
  for (const change of preview.changes) {
    switch (change.kind) {
      case 'file':
        lines.push(`${change.action} ${change.path}${change.bytes === undefined ? '' : ` (${change.bytes} bytes)`}`);
        if (change.diff) lines.push(change.diff.trimEnd());
        break;
      case 'form': {
        lines.push(`fill ${change.target}${change.submit ? ' and submit' : ''}:`);
        const width = Math.max(...change.fields.map((f) => f.field.length), 5);
        for (const f of change.fields) lines.push(`  ${f.field.padEnd(width)} → ${f.value}${f.note ? `  (${f.note})` : ''}`);
        break;
      }
      case 'records': {
        const counts = change.counts ?? {
          added: change.added.length,
          removed: change.removed.length,
          updated: change.updated?.length ?? 0,
        };
        lines.push(`${change.target}: +${counts.added} -${counts.removed}${counts.updated ? ` ~${counts.updated}` : ''}`);
        for (const row of change.added.slice(0, MAX_ROWS_SHOWN)) lines.push(`  + ${JSON.stringify(row)}`);
        for (const row of change.removed.slice(0, MAX_ROWS_SHOWN)) lines.push(`  - ${JSON.stringify(row)}`);
        for (const row of (change.updated ?? []).slice(0, MAX_ROWS_SHOWN)) lines.push(`  ~ ${JSON.stringify(row)}`);
        const shown = Math.min(change.added.length, MAX_ROWS_SHOWN) + Math.min(change.removed.length, MAX_ROWS_SHOWN);
        const total = counts.added + counts.removed;
        if (total > shown) lines.push(`  … ${total - shown} more rows not shown`);
        break;
      }
      case 'request':
        lines.push(`${change.method} ${change.url}`);
        for (const [k, v] of Object.entries(change.headers ?? {})) lines.push(`  ${k}: ${v}`);
        if (change.body)
          lines.push(`  body: ${change.body.length > 500 ? `${change.body.slice(0, 500)}… (${change.body.length} chars)` : change.body}`);
        break;
      case 'code':
        lines.push(
          `run ${change.language}${
            change.limits
              ? ` with ${Object.entries(change.limits)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', ')}`
              : ''
          }:`,
        );
        lines.push(...change.source.split('\n').map((l) => `  | ${l}`));
        break;
      case 'note':
        lines.push(change.text);
        break;
    }
  }
  return lines.join('\n');
}
