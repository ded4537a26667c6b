// The task log: what a person asked, the steps taken, and how it ended, stored as a searchable
// document in the reserved `_tasks` collection so a client can look up how a similar task went.
import { randomUUID } from 'node:crypto';

import type { Ingester } from './ingest/ingester.js';
import { sha256 } from './ingest/ingester.js';
import { parseMarkdown } from './parse/markdown.js';
import type { Metadata } from './store/store.js';

export const TASKS_COLLECTION = '_tasks';

export interface TaskStep {
  action: string;
  result?: string | undefined;
  ok?: boolean | undefined;
}

export interface TaskEntry {
  task: string;
  steps: readonly TaskStep[];
  outcome: 'succeeded' | 'failed' | 'partial' | 'abandoned';
  notes?: string | undefined;
  tags?: readonly string[] | undefined;
}

export function renderTask(entry: TaskEntry, at: string): string {
  const lines = [`# Task: ${entry.task}`, '', `Outcome: ${entry.outcome}. Logged ${at}.`, ''];
  if (entry.tags?.length) lines.push(`Tags: ${entry.tags.join(', ')}`, '');
  if (entry.steps.length) {
    lines.push('## Steps', '');
    entry.steps.forEach((s, i) =>
      lines.push(`${i + 1}. ${s.ok === false ? '(failed) ' : ''}${s.action}${s.result ? ` — ${s.result}` : ''}`),
    );
    lines.push('');
  }
  if (entry.notes) lines.push('## Notes', '', entry.notes, '');
  return lines.join('\n');
}

export class TaskLog {
  constructor(private readonly ingester: Ingester) {}

  async log(entry: TaskEntry, signal?: AbortSignal): Promise<{ documentId: number; chunks: number; loggedAt: string }> {
    const loggedAt = new Date().toISOString();
    const text = renderTask(entry, loggedAt);
    const { collection } = await this.ingester.openCollection(TASKS_COLLECTION, { signal });
    const metadata: Metadata = { outcome: entry.outcome, loggedAt, ...(entry.tags?.length ? { tags: entry.tags.join(',') } : {}) };
    const put = await this.ingester.store(
      {
        collection,
        sourceKey: `task:${randomUUID()}`,
        kind: 'task',
        path: null,
        title: `Task: ${entry.task.slice(0, 120)}`,
        hash: sha256(text),
        bytes: Buffer.byteLength(text),
        metadata,
        parsed: parseMarkdown(text),
      },
      signal,
    );
    return { documentId: put.id, chunks: put.chunks, loggedAt };
  }
}
