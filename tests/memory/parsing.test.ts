// Parsers and the chunker, directly: heading paths, line ranges, code symbols, size limits.
import { afterAll, describe, expect, it } from 'vitest';

import { chunkSections } from '../../servers/memory/ingest/chunker.js';
import { ParseFailure } from '../../servers/memory/parse/document.js';
import { parseHtml } from '../../servers/memory/parse/html.js';
import { parseMarkdown } from '../../servers/memory/parse/markdown.js';
import { Parsers } from '../../servers/memory/parse/parsers.js';
import { makeDocx, makePdf, MARKDOWN, PYTHON, TYPESCRIPT } from '../fixtures/memory/corpus.js';

const parsers = new Parsers();
afterAll(() => parsers.close());

describe('chunker', () => {
  const paragraph = (i: number) => `Paragraph ${i} says something useful about topic ${i}. It has a second sentence too.`;
  const text = Array.from({ length: 60 }, (_, i) => paragraph(i)).join('\n\n');

  it('keeps chunks within the size, cuts at paragraph breaks, overlaps neighbours, and counts lines', () => {
    const chunks = chunkSections([{ text, lineStart: 10 }], { size: 400, overlap: 80 });
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(400);
    // Every paragraph survives whole in some chunk.
    for (let i = 0; i < 60; i++) expect(chunks.some((c) => c.text.includes(paragraph(i)))).toBe(true);
    // Neighbours share text.
    for (let i = 1; i < chunks.length; i++) {
      const tail = chunks[i - 1]!.text.slice(-30);
      expect(chunks[i]!.text.includes(tail.slice(tail.indexOf(' ') + 1))).toBe(true);
    }
    // Line numbers point at the chunk's first and last line in the source.
    const lines = text.split('\n');
    for (const c of chunks) {
      // A chunk may start or end inside a line (overlap, sentence cuts), never on another line.
      expect(lines[c.lineStart! - 10]!.endsWith(c.text.split('\n')[0]!)).toBe(true);
      expect(lines[c.lineEnd! - 10]!.startsWith(c.text.split('\n').at(-1)!)).toBe(true);
    }
  });

  it('cuts text without any break points hard at the size', () => {
    const chunks = chunkSections([{ text: 'x'.repeat(1000) }], { size: 300, overlap: 0 });
    expect(chunks.map((c) => c.text.length)).toEqual([300, 300, 300, 100]);
  });
});

describe('parsers', () => {
  it('markdown: heading paths, front-matter title, exact first lines', () => {
    const doc = parseMarkdown(MARKDOWN);
    expect(doc.title).toBe('Garden Handbook');
    const lines = MARKDOWN.split('\n');
    const tomatoes = doc.sections.find((s) => s.heading?.join(' > ') === 'Garden Handbook > Watering > Tomatoes')!;
    expect(lines[tomatoes.lineStart! - 1]).toBe('### Tomatoes');
    expect(doc.sections.map((s) => s.heading?.at(-1))).toEqual(['Garden Handbook', 'Watering', 'Tomatoes', 'Compost']);
  });

  it('html: main content only, headings kept', () => {
    const page = `<html><head><title>T</title></head><body><nav>Menu Login Signup</nav><main><article><h1>Guide</h1>${'<p>Long enough article text about configuring the widget frobnicator in detail. </p>'.repeat(8)}<h2>Setup</h2><p>Install the frobnicator first.</p></article></main><footer>Footer links</footer></body></html>`;
    const doc = parseHtml(page);
    const all = doc.sections.map((s) => s.text).join('\n');
    expect(all).toContain('Install the frobnicator first.');
    expect(all).not.toContain('Menu Login');
    expect(all).not.toContain('Footer links');
    expect(doc.sections.find((s) => s.text.includes('Install'))!.heading).toEqual(['Guide', 'Setup']);
  });

  it('code: one section per function or class with its comments and symbol; big classes split per method', async () => {
    const ts = await parsers.parse(Buffer.from(TYPESCRIPT), 'typescript', 'billing.ts', 1200);
    expect(ts.sections.map((s) => s.symbol ?? '(module)')).toEqual(['(module)', 'LineItem', 'computeInvoiceTotal', 'TaxCalculator']);
    const fn = ts.sections.find((s) => s.symbol === 'computeInvoiceTotal')!;
    expect(fn.text.startsWith('/** Sums the line items')).toBe(true);
    expect(TYPESCRIPT.split('\n')[fn.lineStart! - 1]).toBe(fn.text.split('\n')[0]);
    const small = await parsers.parse(Buffer.from(TYPESCRIPT), 'typescript', 'billing.ts', 100);
    expect(small.sections.map((s) => s.symbol)).toContain('TaxCalculator.vatFor');
    const py = await parsers.parse(Buffer.from(PYTHON), 'python', 'retry.py', 1200);
    expect(py.sections.map((s) => s.symbol).filter(Boolean)).toEqual(['backoff_delay', 'RetryPolicy']);
    const pySmall = await parsers.parse(Buffer.from(PYTHON), 'python', 'retry.py', 100);
    expect(pySmall.sections.map((s) => s.symbol)).toContain('RetryPolicy.should_retry');
  });

  it('code: offsets stay right after non-ASCII text', async () => {
    const source = `// Größe café ✓ 日本語\nexport const größe = 'ü';\n\nexport function après(x: number): number {\n  return x * 2;\n}\n`;
    const doc = await parsers.parse(Buffer.from(source), 'typescript', 'x.ts', 1200);
    const fn = doc.sections.find((s) => s.symbol === 'après')!;
    expect(fn.text).toBe('export function après(x: number): number {\n  return x * 2;\n}');
    expect(fn.lineStart).toBe(4);
  });

  it('pdf pages and docx headings come through real files', async () => {
    const pdf = await parsers.parse(Buffer.from(await makePdf(['first page words', 'second page words'])), 'pdf', 'a.pdf', 1200);
    expect(pdf.sections.map((s) => [s.page, s.text])).toEqual([
      [1, 'first page words'],
      [2, 'second page words'],
    ]);
    expect(pdf.pages).toBe(2);
    const docx = await parsers.parse(await makeDocx(), 'docx', 'a.docx', 1200);
    expect(docx.title).toBe('Relocation Plan');
    expect(docx.sections.find((s) => s.text.includes('Frankfurt'))!.heading).toEqual(['Relocation Plan', 'Data centre migration']);
  });

  it('bad files fail with a reason', async () => {
    const reason = async (bytes: Buffer, format: Parameters<Parsers['parse']>[1]) => {
      try {
        await parsers.parse(bytes, format, 'f', 1200);
        return 'parsed';
      } catch (error) {
        return error instanceof ParseFailure ? error.reason : 'other';
      }
    };
    expect(await reason(Buffer.from('%PDF-1.7 garbage'), 'pdf')).toBe('corrupt');
    expect(await reason(Buffer.from('PK not a zip'), 'docx')).toBe('corrupt');
    expect(await reason(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'docx')).toBe('encrypted');
    expect(await reason(Buffer.from('abc\u0000def'), 'markdown')).toBe('corrupt');
    expect(await reason(Buffer.from('   \n\n  '), 'text')).toBe('empty');
    expect(await reason(Buffer.alloc(0), 'python')).toBe('empty');
  });
});
