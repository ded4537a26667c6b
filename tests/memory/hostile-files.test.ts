// Hostile documents: a zip-bomb DOCX, a DOCX whose headers lie about what an entry unpacks to, and
// files that take too long or too much memory to parse, and hard links to other people's files. Each fails alone with a reason a person can
// act on; the rest of the folder is ingested; the parser keeps working for the next file.
import { linkSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PathJail } from '../../lib/path-jail.js';
import { collectSources } from '../../servers/memory/ingest/sources.js';
import { ParseFailure } from '../../servers/memory/parse/document.js';
import { DEFAULT_ISOLATION, Parsers } from '../../servers/memory/parse/parsers.js';
import { checkZipBounds, DEFAULT_ZIP_LIMITS } from '../../servers/memory/parse/zip-bounds.js';
import { makeDocx, MARKDOWN } from '../fixtures/memory/corpus.js';
import { documentXml, handmadeDocx } from '../fixtures/memory/docx-zip.js';
import { openMemory, type TestMemory } from './helpers.js';

// 24 MB of one paragraph repeated: a few tens of kilobytes packed, far over 200 times.
const bomb = handmadeDocx(documentXml('boom', (24 * 1024 * 1024) / 38));
// A modest document that says its body is 1 MB (at the ratio floor) and unpacks to 8 MB.
const liar = handmadeDocx(documentXml('liar', (8 * 1024 * 1024) / 38), 1024 * 1024);

/** A body of varied words (packs about 3:1, like real prose), `paragraphs` long. */
function wordyXml(paragraphs: number): Buffer {
  const words = ['garden', 'river', 'ledger', 'window', 'copper', 'meadow', 'signal', 'harbour', 'lantern', 'orchard', 'quarry', 'violet'];
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const parts = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
  ];
  for (let p = 0; p < paragraphs; p++) {
    const text = Array.from({ length: 6 }, () => `${words[next() % words.length]}${next() % 1000}`).join(' ');
    parts.push(`<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`);
  }
  parts.push('</w:body></w:document>');
  return Buffer.from(parts.join(''));
}

async function failure(work: Promise<unknown>): Promise<ParseFailure> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ParseFailure) return error;
    throw error;
  }
  throw new Error('parsed, but it should have failed');
}

describe('zip bounds', () => {
  it('refuse a bomb by its ratio and a liar by what it really unpacks to, before any parser runs', () => {
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(() => checkZipBounds(bomb)).toThrow(
      expect.objectContaining({ reason: 'too-large', message: expect.stringMatching(/over 200 times/) }),
    );
    expect(() => checkZipBounds(liar)).toThrow(
      expect.objectContaining({ reason: 'too-large', message: expect.stringMatching(/more than the 1\.0 MB its header claims/) }),
    );
    expect(() => checkZipBounds(bomb, { ...DEFAULT_ZIP_LIMITS, maxRatio: 100_000, maxUnpackedBytes: 8 * 1024 * 1024 })).toThrow(
      expect.objectContaining({ reason: 'too-large', message: expect.stringMatching(/unpacks to more than 8\.0 MB/) }),
    );
  });

  it('let a real DOCX through', async () => {
    expect(() => checkZipBounds(Buffer.from([1, 2, 3]))).toThrow(expect.objectContaining({ reason: 'corrupt' }));
    const real = await makeDocx();
    expect(() => checkZipBounds(real)).not.toThrow();
  });
});

describe('the parse worker', () => {
  it('fails a file that needs more memory than allowed, and parses the next one', async () => {
    const parsers = new Parsers({ ...DEFAULT_ISOLATION, memoryMb: 48 });
    try {
      const heavy = handmadeDocx(wordyXml(200_000));
      const failed = await failure(parsers.parse(heavy, 'docx', 'heavy.docx', 1200));
      expect(failed.reason).toBe('too-large');
      expect(failed.message).toMatch(/more than 48 MB of memory \(servers\.memory\.parseMemoryMb\)/);
      const next = await parsers.parse(await makeDocx(), 'docx', 'ok.docx', 1200);
      expect(next.title).toBe('Relocation Plan');
    } finally {
      await parsers.close();
    }
  });

  it('fails a file that takes longer than allowed', async () => {
    const parsers = new Parsers({ ...DEFAULT_ISOLATION, timeoutMs: 100 });
    try {
      const slow = handmadeDocx(wordyXml(100_000));
      const failed = await failure(parsers.parse(slow, 'docx', 'slow.docx', 1200));
      expect(failed.reason).toBe('timed-out');
      expect(failed.message).toMatch(/servers\.memory\.parseTimeoutMs/);
    } finally {
      await parsers.close();
    }
  });
});

describe('ingesting a folder with hostile documents', () => {
  let mem: TestMemory;
  beforeAll(async () => {
    mem = openMemory();
    mkdirSync(mem.docs, { recursive: true });
    writeFileSync(join(mem.docs, 'bomb.docx'), bomb);
    writeFileSync(join(mem.docs, 'liar.docx'), liar);
    writeFileSync(join(mem.docs, 'relocation.docx'), await makeDocx());
    writeFileSync(join(mem.docs, 'garden.md'), MARKDOWN);
  });
  afterAll(async () => {
    await mem?.close();
  });

  it('fails each hostile file alone and ingests the rest', async () => {
    const result = await mem.memory.ingester.run({
      collection: 'default',
      paths: [mem.docs],
      texts: [],
      metadata: {},
      recursive: true,
      prune: false,
    });
    const by = Object.fromEntries(result.outcomes.map((o) => [o.source.split('/').pop(), o]));
    expect(by['bomb.docx']).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^too-large: .*zip bomb/) });
    expect(by['liar.docx']).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^too-large: .*header claims/) });
    expect(by['relocation.docx']).toMatchObject({ status: 'added' });
    expect(by['garden.md']).toMatchObject({ status: 'added' });
  });
});

describe('hard links', () => {
  it('a hard link to a file owned by someone else is refused; the person’s own hard links are ingested', () => {
    const base = mkdtempSync(join(tmpdir(), 'hearth-hardlink-'));
    try {
      const docs = join(base, 'docs');
      mkdirSync(docs);
      writeFileSync(join(base, 'outside.md'), '# Outside the roots\n');
      linkSync(join(base, 'outside.md'), join(docs, 'linked.md'));
      writeFileSync(join(docs, 'plain.md'), '# Plain\n');
      const jail = new PathJail([docs]);
      const me = statSync(join(docs, 'plain.md')).uid;
      // As seen by a server running as another user: the linked file is someone else's.
      const asOther = collectSources(jail, [docs], { recursive: true, maxFiles: 10, owner: me + 1 });
      expect(asOther.files.map((f) => f.display)).toEqual(['plain.md']);
      expect(asOther.rejected).toEqual([
        { display: 'linked.md', reason: expect.stringMatching(/^a hard link to a file owned by another user/) },
      ]);
      // As the owner: both are the person's own files.
      const asOwner = collectSources(jail, [docs], { recursive: true, maxFiles: 10, owner: me });
      expect(asOwner.files.map((f) => f.display).sort()).toEqual(['linked.md', 'plain.md']);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
