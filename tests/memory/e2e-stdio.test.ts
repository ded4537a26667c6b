// End to end over stdio with a real MCP client: the real CLI, a temp home, a policy with one root.
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { copyEncryptedPdf, writeCorpus } from '../fixtures/memory/corpus.js';
import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';
import { SHARED_CACHE } from './helpers.js';

let home: TempHome;
let docs: string;
let conn: StdioConnection | undefined;

interface Hit {
  title: string;
  path: string | null;
  format: string;
  location: { heading?: string; page?: number; lineStart?: number; lineEnd?: number; symbol?: string };
  snippet: string;
  chunkId: number;
}

beforeEach(async () => {
  home = tempHome('hearth-memory-e2e-');
  docs = join(home.dir, 'docs');
  await writeCorpus(docs);
});
afterEach(async () => {
  await conn?.close();
  conn = undefined;
  home.cleanup();
});

async function connect(mode: 'autopilot' | 'observe' = 'autopilot'): Promise<StdioConnection> {
  home.policy({ mode, roots: [docs] });
  conn = await connectStdio('orchestrator/cli.ts', ['mcp', 'memory'], {
    HEARTH_HOME: home.dir,
    HEARTH__servers__memory__cacheDir: SHARED_CACHE,
    HEARTH_LOG_LEVEL: 'warn',
  });
  return conn;
}

async function call(name: string, args: Record<string, unknown>) {
  const result = await conn!.client.callTool({ name, arguments: args });
  return result as { isError?: boolean; structuredContent: Record<string, unknown>; content: { type: string; text?: string }[] };
}

async function search(query: string, extra: Record<string, unknown> = {}): Promise<Hit[]> {
  const r = await call('memory_search', { query, k: 5, ...extra });
  expect(r.isError, JSON.stringify(r.structuredContent)).toBeFalsy();
  return r.structuredContent.hits as Hit[];
}

function errorOf(r: { isError?: boolean; structuredContent: Record<string, unknown> }): { code: string; message: string; hint: string } {
  expect(r.isError).toBe(true);
  return r.structuredContent.error as { code: string; message: string; hint: string };
}

describe('memory over stdio', () => {
  it('ingests a folder of every format and finds each passage with its citation', async () => {
    await connect();
    const { tools } = await conn!.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'memory_delete',
      'memory_forget',
      'memory_get',
      'memory_ingest',
      'memory_list',
      'memory_log_task',
      'memory_recall',
      'memory_remember',
      'memory_search',
    ]);
    const progress: number[] = [];
    const ingest = await conn!.client.callTool(
      { name: 'memory_ingest', arguments: { collection: 'docs', paths: ['.'] } },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(ingest.isError).toBeFalsy();
    const counts = (ingest.structuredContent as { counts: Record<string, number> }).counts;
    expect(counts).toEqual({ added: 7, updated: 0, unchanged: 0, failed: 0, removed: 0 });
    expect(progress.length).toBeGreaterThan(0);

    const md = await search('how often should tomato plants be watered');
    expect(md[0]).toMatchObject({
      title: 'Garden Handbook',
      format: 'markdown',
      location: { heading: 'Garden Handbook > Watering > Tomatoes', lineStart: 12 },
    });

    const pdf = await search('storm surge recorded by the lighthouse keeper');
    expect(pdf[0]).toMatchObject({ title: 'Harbour Annual Report', format: 'pdf', location: { page: 2 } });
    expect(pdf[0]!.snippet).toContain('storm surge');

    const html = await search('sourdough starter feeding ratio');
    expect(html[0]).toMatchObject({
      title: 'Sourdough Basics',
      format: 'html',
      location: { heading: 'Sourdough Basics > Feeding the starter' },
    });

    const docx = await search('when does the Frankfurt data centre migration finish');
    expect(docx[0]).toMatchObject({
      title: 'Relocation Plan',
      format: 'docx',
      location: { heading: 'Relocation Plan > Data centre migration' },
    });

    const ts = await search('invoice total with a discount', { collections: ['docs'] });
    expect(ts[0]).toMatchObject({ format: 'typescript', location: { symbol: 'computeInvoiceTotal', lineStart: 9 } });
    expect(ts[0]!.path).toBe(join(docs, 'billing.ts'));

    const py = await search('exponential backoff with jitter before a retry');
    expect(py[0]).toMatchObject({ format: 'python', location: { symbol: 'backoff_delay' } });

    const txt = await search('when is the quarterly budget review');
    expect(txt[0]).toMatchObject({ title: 'notes.txt', format: 'text' });

    // Navigation, header and footer of the HTML page are not content.
    for (const marker of ['zebra-navigation-marker', 'zebra-header-marker', 'zebra-footer-marker']) {
      expect(await search(marker, { mode: 'keyword' })).toEqual([]);
    }

    const get = await call('memory_get', { chunkId: pdf[0]!.chunkId });
    expect(get.isError).toBeFalsy();
    expect((get.structuredContent.chunks as { text: string }[])[0]!.text.replace(/\s+/g, ' ')).toContain('four point two meters');
  });

  it('re-ingesting unchanged files writes nothing; a changed file replaces its chunks; a deleted one is pruned', async () => {
    await connect();
    await call('memory_ingest', { collection: 'docs', paths: [docs] });
    const dbFile = join(home.dir, 'memory.db');
    const before = readFileSync(dbFile);
    const again = await call('memory_ingest', { collection: 'docs', paths: [docs] });
    expect((again.structuredContent as { counts: Record<string, number> }).counts).toMatchObject({ added: 0, updated: 0, unchanged: 7 });
    // No write transaction ran: the main database file and the WAL's committed frames are untouched.
    expect(readFileSync(dbFile).equals(before)).toBe(true);

    writeFileSync(join(docs, 'notes.txt'), 'The offsite moved to the lakeside cabin in October.\n');
    const changed = await call('memory_ingest', { collection: 'docs', paths: [docs] });
    expect((changed.structuredContent as { counts: Record<string, number> }).counts).toMatchObject({ updated: 1, unchanged: 6 });
    expect(await search('quarterly budget review Thursday', { mode: 'keyword' })).toEqual([]);
    expect((await search('offsite lakeside cabin'))[0]).toMatchObject({ title: 'notes.txt' });

    unlinkSync(join(docs, 'retry.py'));
    const pruned = await call('memory_ingest', { collection: 'docs', paths: [docs], prune: true });
    const outcomes = pruned.structuredContent.outcomes as { source: string; status: string }[];
    expect(outcomes.find((o) => o.source === 'retry.py')).toMatchObject({ status: 'removed' });
    expect(await search('backoff_delay jitter', { mode: 'keyword' })).toEqual([]);
  });

  it('refuses paths outside the roots, escaping symlinks and .. tricks', async () => {
    const outside = join(home.dir, 'secret');
    mkdirSync(outside);
    writeFileSync(join(outside, 'passwords.md'), '# Secrets\n\nThe vault code is 1234.\n');
    symlinkSync(outside, join(docs, 'escape-dir'));
    symlinkSync(join(outside, 'passwords.md'), join(docs, 'escape.md'));
    await connect();

    for (const path of [join(outside, 'passwords.md'), '../secret/passwords.md', `${docs}/../secret`, 'escape.md']) {
      const r = await call('memory_ingest', { collection: 'x', paths: [path] });
      expect(errorOf(r).code, path).toBe('OUT_OF_ROOTS');
      expect(errorOf(r).message).toContain('paths[0]');
    }
    // Walking the folder meets the symlinks and does not follow them out.
    const walk = await call('memory_ingest', { collection: 'x', paths: ['.'] });
    const outcomes = walk.structuredContent.outcomes as { source: string; status: string; reason?: string }[];
    expect(
      outcomes
        .filter((o) => o.status === 'failed')
        .map((o) => o.source)
        .sort(),
    ).toEqual(['escape-dir', 'escape.md']);
    expect(outcomes.find((o) => o.source === 'escape.md')!.reason).toContain('outside the allowed roots');
    expect(await search('vault code', { mode: 'keyword' })).toEqual([]);
  });

  it('observe mode: ingest and delete return previews and change nothing', async () => {
    await connect('observe');
    const ingest = await call('memory_ingest', { collection: 'docs', paths: [docs] });
    expect(ingest.isError).toBeFalsy();
    expect(ingest.structuredContent).toMatchObject({
      dryRun: true,
      reason: 'observe',
      preview: { summary: expect.stringContaining('add 7') },
    });
    const list = await call('memory_list', {});
    expect(list.structuredContent).toMatchObject({ collections: [], documents: [], total: 0 });
    const del = await call('memory_delete', { collection: 'docs' });
    expect(errorOf(del).code).toBe('NOT_FOUND');
  });

  it('gives clear errors for bad input, and a bad file fails alone', async () => {
    writeFileSync(join(docs, 'empty.md'), '');
    writeFileSync(join(docs, 'broken.pdf'), 'this is not a pdf at all');
    copyEncryptedPdf(join(docs, 'locked.pdf'));
    const limit = Math.max(...readdirSync(docs).map((f) => statSync(join(docs, f)).size));
    writeFileSync(join(docs, 'big.txt'), 'x '.repeat(limit));
    home.policy({ mode: 'autopilot', roots: [docs] });
    conn = await connectStdio('orchestrator/cli.ts', ['mcp', 'memory'], {
      HEARTH_HOME: home.dir,
      HEARTH__servers__memory__cacheDir: SHARED_CACHE,
      HEARTH__servers__memory__maxFileBytes: String(limit),
      HEARTH_LOG_LEVEL: 'warn',
    });

    const ingest = await call('memory_ingest', { collection: 'docs', paths: ['.'] });
    expect(ingest.isError).toBeFalsy();
    const outcomes = ingest.structuredContent.outcomes as { source: string; status: string; reason?: string }[];
    const reason = (source: string) => outcomes.find((o) => o.source === source)?.reason ?? '';
    expect(reason('empty.md')).toMatch(/^empty/);
    expect(reason('broken.pdf')).toMatch(/^corrupt/);
    expect(reason('locked.pdf')).toMatch(/^encrypted/);
    expect(reason('big.txt')).toMatch(/^too-large/);
    expect(outcomes.filter((o) => o.status === 'added')).toHaveLength(7);

    expect(errorOf(await call('memory_search', { query: '   ' })).message).toContain('query');
    expect(errorOf(await call('memory_search', { query: '' })).code).toBe('INVALID_ARGUMENT');
    const k = errorOf(await call('memory_search', { query: 'tomatoes', k: 500 }));
    expect(k.code).toBe('INVALID_ARGUMENT');
    expect(k.message).toContain('k');
    const unknown = errorOf(await call('memory_search', { query: 'tomatoes', collections: ['nope'] }));
    expect(unknown).toMatchObject({ code: 'NOT_FOUND' });
    expect(unknown.message).toContain('collections[0]');
    expect(unknown.hint).toContain('docs');
    writeFileSync(join(docs, 'unreadable.md'), '# hidden\n');
    const { chmodSync } = await import('node:fs');
    chmodSync(join(docs, 'unreadable.md'), 0o000);
    const r = await call('memory_ingest', { collection: 'docs', paths: ['unreadable.md'] });
    // root can read anything; everyone else gets the unreadable reason.
    if (process.getuid?.() === 0) expect(r.isError).toBeFalsy();
    else expect((r.structuredContent.outcomes as { reason: string }[])[0]!.reason).toMatch(/unreadable/);
    expect(errorOf(await call('memory_ingest', { collection: 'docs', paths: ['missing.md'] })).code).toBe('NOT_FOUND');
    expect(errorOf(await call('memory_ingest', { collection: '_facts', texts: [{ title: 't', text: 'x' }] })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(errorOf(await call('memory_get', {})).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(await call('memory_get', { documentId: 99999 })).code).toBe('NOT_FOUND');
  });

  it('facts and task history are stored, recalled and found by search', async () => {
    await connect();
    expect(
      (await call('memory_remember', { namespace: 'user', key: 'editor', value: 'The person edits code in Helix with a dark theme.' }))
        .structuredContent,
    ).toMatchObject({ status: 'added' });
    expect(
      (await call('memory_remember', { namespace: 'user', key: 'editor', value: 'The person edits code in Zed.' })).structuredContent,
    ).toMatchObject({ status: 'updated', previous: 'The person edits code in Helix with a dark theme.' });
    expect((await call('memory_recall', { namespace: 'user', key: 'editor' })).structuredContent).toMatchObject({
      facts: [{ value: 'The person edits code in Zed.' }],
    });
    const found = await search('which text editor does the person use');
    expect(found[0]).toMatchObject({ title: 'user: editor' });
    expect(await search('Helix dark theme', { mode: 'keyword' })).toEqual([]);

    const logged = await call('memory_log_task', {
      task: 'Renew the TLS certificate for the intranet',
      steps: [
        { action: 'ran certbot renew', result: 'failed: port 80 closed', ok: false },
        { action: 'opened port 80 and retried', result: 'renewed' },
      ],
      outcome: 'succeeded',
      notes: 'Port 80 must be open for the HTTP challenge.',
    });
    expect(logged.isError).toBeFalsy();
    const history = await search('certificate renewal failed', { collections: ['_tasks'] });
    expect(history[0]!.title).toContain('TLS certificate');

    expect((await call('memory_forget', { namespace: 'user', keys: ['editor', 'nothing'] })).structuredContent).toEqual({
      forgotten: ['editor'],
      missing: ['nothing'],
    });
    expect(await search('Zed', { mode: 'keyword', collections: ['_facts'] })).toEqual([]);
  });

  it('hits carry the key and metadata given at ingest; perDocument returns distinct documents; searches back to back are not throttled', async () => {
    await connect();
    const paragraphs = (topic: string) =>
      Array.from({ length: 30 }, (_v, i) => `Note ${i}: the ${topic} invoice for the Lisbon office was paid late.`).join('\n\n');
    const ingest = await call('memory_ingest', {
      collection: 'crm',
      texts: [
        { title: 'Acme', key: 'acct-001', text: paragraphs('Acme'), metadata: { tier: 'gold' } },
        { title: 'Globex', key: 'acct-002', text: paragraphs('Globex') },
        { title: 'Initech', key: 'acct-003', text: paragraphs('Initech') },
      ],
      metadata: { source: 'crm-export' },
    });
    expect(ingest.isError).toBeFalsy();
    const hits = (await search('invoice Lisbon office paid late', { k: 3, perDocument: 1, collections: ['crm'] })) as (Hit & {
      key: string;
      metadata: Record<string, unknown>;
    })[];
    expect(hits.map((h) => h.key).sort()).toEqual(['acct-001', 'acct-002', 'acct-003']);
    expect(hits.find((h) => h.key === 'acct-001')!.metadata).toEqual({ source: 'crm-export', tier: 'gold' });
    // The default policy's read bucket lets a program search back to back: 150 calls, none refused.
    const results = [];
    for (let i = 0; i < 150; i++) results.push(await call('memory_search', { query: `invoice ${i}`, k: 1, mode: 'keyword' }));
    expect(results.filter((r) => r.isError)).toEqual([]);
  });

  it('deletes by filter, by id and by collection; dry-run deletes nothing; long results are paged or linked', async () => {
    const many = join(docs, 'many');
    mkdirSync(many);
    for (let i = 0; i < 205; i++) writeFileSync(join(many, `n${i}.txt`), `Note number ${i} about item ${i}.\n`);
    await connect();
    const ingest = await call('memory_ingest', { collection: 'docs', paths: ['.'] });
    const s = ingest.structuredContent as { counts: Record<string, number>; outcomes: unknown[]; outcomesOmitted: number };
    expect(s.counts.added).toBe(212);
    expect(s.outcomes).toHaveLength(200);
    expect(s.outcomesOmitted).toBe(12);
    const link = ingest.content.find((c) => c.type === 'resource_link') as { uri: string } | undefined;
    expect(link).toBeDefined();
    const report = await conn!.client.readResource({ uri: link!.uri });
    expect(JSON.parse((report.contents[0] as { text: string }).text)).toHaveLength(212);

    // memory_list pages with a cursor; memory_get pages a document's chunks.
    const page1 = (await call('memory_list', { collection: 'docs', limit: 100 })).structuredContent as {
      documents: { documentId: number; format: string; title: string }[];
      nextCursor?: string;
      total: number;
    };
    expect(page1.total).toBe(212);
    const page3 = (
      await call('memory_list', {
        collection: 'docs',
        limit: 100,
        cursor: (
          (await call('memory_list', { collection: 'docs', limit: 100, cursor: page1.nextCursor })).structuredContent as {
            nextCursor: string;
          }
        ).nextCursor,
      })
    ).structuredContent as { documents: unknown[]; nextCursor?: string };
    expect(page3.documents).toHaveLength(12);
    expect(page3.nextCursor).toBeUndefined();
    const pdfDoc = (await call('memory_list', { filter: { format: ['pdf'] } })).structuredContent as {
      documents: { documentId: number; chunks: number }[];
    };
    expect(pdfDoc.documents).toHaveLength(1);
    const first = (await call('memory_get', { documentId: pdfDoc.documents[0]!.documentId, limit: 1 })).structuredContent as {
      chunks: { location: { page: number } }[];
      nextCursor?: string;
    };
    expect(first.chunks[0]!.location.page).toBe(1);
    const second = (await call('memory_get', { documentId: pdfDoc.documents[0]!.documentId, limit: 1, cursor: first.nextCursor }))
      .structuredContent as { chunks: { location: { page: number } }[] };
    expect(second.chunks[0]!.location.page).toBe(2);
    expect(errorOf(await call('memory_get', { documentId: pdfDoc.documents[0]!.documentId, cursor: 'bogus' })).code).toBe(
      'INVALID_ARGUMENT',
    );

    // A dry run previews and changes nothing.
    const dry = (await conn!.client.callTool({
      name: 'memory_delete',
      arguments: { collection: 'docs', filter: { pathPrefix: many } },
      _meta: { 'hearth/dryRun': true },
    })) as { structuredContent: { dryRun: boolean; preview: { changes: { counts: { removed: number } }[] } } };
    expect(dry.structuredContent.dryRun).toBe(true);
    expect(dry.structuredContent.preview.changes[0]!.counts.removed).toBe(205);
    expect(((await call('memory_list', { collection: 'docs', limit: 1 })).structuredContent as { total: number }).total).toBe(212);

    expect((await call('memory_delete', { collection: 'docs', filter: { pathPrefix: many } })).structuredContent).toEqual({
      deletedDocuments: 205,
    });
    expect((await search('Note number 17 about item', { mode: 'keyword' })).filter((h) => h.path?.startsWith(many))).toEqual([]);
    expect((await call('memory_delete', { documentIds: [pdfDoc.documents[0]!.documentId] })).structuredContent).toEqual({
      deletedDocuments: 1,
    });
    expect((await search('storm surge lighthouse', { mode: 'keyword' })).filter((h) => h.format === 'pdf')).toEqual([]);
    expect(errorOf(await call('memory_delete', { documentIds: [pdfDoc.documents[0]!.documentId] })).code).toBe('NOT_FOUND');
    expect((await call('memory_delete', { collection: 'docs' })).structuredContent).toEqual({
      deletedDocuments: 6,
      deletedCollection: 'docs',
    });
    expect(((await call('memory_list', {})).structuredContent as { collections: unknown[] }).collections).toEqual([]);
  });

  it('a cancelled ingest stops between documents; what was stored is whole and a rerun completes it', async () => {
    const many = join(docs, 'many');
    mkdirSync(many);
    const body = Array.from({ length: 40 }, (_v, j) => `Paragraph ${j} of a long note about gardens, harbours and bread.`).join('\n\n');
    for (let i = 0; i < 400; i++) writeFileSync(join(many, `n${i}.md`), `# Note ${i}\n\n${body}\n`);
    await connect();
    const controller = new AbortController();
    let seen = 0;
    const call = conn!.client.callTool(
      { name: 'memory_ingest', arguments: { collection: 'docs', paths: ['many'] } },
      { signal: controller.signal, onprogress: () => ++seen === 5 && controller.abort('stop') },
    );
    await expect(call).rejects.toThrow();
    const listed = async () =>
      (
        (await conn!.client.callTool({ name: 'memory_list', arguments: { collection: 'docs', limit: 1 } })).structuredContent as {
          total: number;
        }
      ).total;
    // Give the server a moment to notice the cancellation, then check nothing half-done is left.
    await new Promise((r) => setTimeout(r, 300));
    const partial = await listed();
    expect(partial).toBeLessThan(400);
    const rerun = (await conn!.client.callTool({ name: 'memory_ingest', arguments: { collection: 'docs', paths: ['many'] } }))
      .structuredContent as { counts: { added: number; unchanged: number } };
    expect(rerun.counts.added + rerun.counts.unchanged).toBe(400);
    expect(rerun.counts.unchanged).toBe(partial);
    expect(await listed()).toBe(400);
    // Every stored document has all its chunks: none was cut short by the cancellation.
    const chunks = (await conn!.client.callTool({ name: 'memory_list', arguments: { collection: 'docs', limit: 200 } }))
      .structuredContent as { documents: { chunks: number }[] };
    const counts = new Set(chunks.documents.map((d) => d.chunks));
    expect(counts.size).toBe(1);
  });
});
