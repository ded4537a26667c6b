// Ingestion: files, folders and inline text become documents of a collection. For each document:
// hash the bytes; if the stored document has the same hash, chunking and metadata, do nothing;
// otherwise parse, chunk, embed (outside any transaction), then replace the document's chunks in
// one short transaction. A document that cannot be read fails alone with its reason.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { describeError, HearthError, isHearthError } from '../../../lib/errors.js';
import type { PathJail } from '../../../lib/path-jail.js';
import type { Embedder } from '../embed/embedder.js';
import { type ParsedDocument, ParseFailure } from '../parse/document.js';
import type { Parsers } from '../parse/parsers.js';
import type { Collection, DocumentKind, MemoryStore, Metadata } from '../store/store.js';
import { type ChunkOptions, chunkSections, embeddingText } from './chunker.js';
import { collectSources, type Sources } from './sources.js';

/** Bump when parsing or chunking changes, so re-ingesting refreshes documents made the old way. */
const PIPELINE_VERSION = 1;
const EMBED_BATCH = 64;

export interface InlineText {
  title: string;
  text: string;
  key?: string | undefined;
  format?: 'markdown' | 'text' | undefined;
  metadata?: Metadata | undefined;
}

export interface IngestRequest {
  collection: string;
  paths: readonly string[];
  texts: readonly InlineText[];
  metadata: Metadata;
  recursive: boolean;
  prune: boolean;
}

export type OutcomeStatus = 'added' | 'updated' | 'unchanged' | 'failed' | 'removed';

export interface DocumentOutcome {
  source: string;
  status: OutcomeStatus;
  documentId?: number;
  chunks?: number;
  format?: string;
  reason?: string;
}

export interface IngestReport {
  collection: string;
  outcomes: DocumentOutcome[];
  ignored: number;
  reembedded?: { from: string; to: string; chunks: number };
}

export type PlannedAction = 'add' | 'update' | 'unchanged' | 'remove' | 'fail' | 're-embed';

export interface PlannedItem {
  source: string;
  action: PlannedAction;
  reason?: string;
}

export interface Hooks {
  signal?: AbortSignal | undefined;
  progress?: (done: number, total: number, message: string) => Promise<void> | void;
  throwIfCancelled?: () => void;
}

export interface IngesterDeps {
  store: MemoryStore;
  embedder: Embedder;
  parsers: Parsers;
  jail: () => PathJail;
  chunking: ChunkOptions;
  maxFileBytes: number;
  maxFiles: number;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface PreparedDocument {
  collection: Collection;
  sourceKey: string;
  kind: DocumentKind;
  path: string | null;
  title: string;
  hash: string;
  bytes: number;
  metadata: Metadata;
  parsed: ParsedDocument;
}

export class Ingester {
  readonly chunking: string;

  constructor(private readonly deps: IngesterDeps) {
    this.chunking = `v${PIPELINE_VERSION}:size=${deps.chunking.size}:overlap=${deps.chunking.overlap}`;
  }

  private sources(request: IngestRequest): Sources {
    if (request.paths.length === 0) return { files: [], rejected: [], folders: [], ignored: 0 };
    return collectSources(this.deps.jail(), request.paths, { recursive: request.recursive, maxFiles: this.deps.maxFiles });
  }

  /** What a call would do, reading files but writing nothing. */
  plan(request: IngestRequest): { items: PlannedItem[]; ignored: number } {
    const { store } = this.deps;
    const sources = this.sources(request);
    const collection = store.collection(request.collection);
    const items: PlannedItem[] = [];
    if (collection && collection.embedder !== this.deps.embedder.id) {
      items.push({
        source: `collection ${collection.name}`,
        action: 're-embed',
        reason: `embedded with ${collection.embedder}; the configured embedder is ${this.deps.embedder.id}`,
      });
    }
    for (const file of sources.files) {
      if (file.bytes > this.deps.maxFileBytes) {
        items.push({ source: file.display, action: 'fail', reason: tooLarge(file.bytes, this.deps.maxFileBytes) });
        continue;
      }
      const existing = collection && store.documentByKey(collection.id, file.path);
      if (!existing) items.push({ source: file.display, action: 'add' });
      else {
        let hash: string;
        try {
          hash = sha256(readFileSync(file.path));
        } catch (error) {
          items.push({
            source: file.display,
            action: 'fail',
            reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? describeError(error)})`,
          });
          continue;
        }
        const same =
          existing.contentHash === hash && existing.chunking === this.chunking && sameMetadata(existing.metadata, request.metadata);
        items.push({ source: file.display, action: same ? 'unchanged' : 'update' });
      }
    }
    for (const r of sources.rejected) items.push({ source: r.display, action: 'fail', reason: r.reason });
    for (const t of request.texts) {
      const existing = collection && store.documentByKey(collection.id, inlineKey(t));
      const same =
        existing &&
        existing.contentHash === inlineHash(t) &&
        existing.chunking === this.chunking &&
        existing.title === t.title &&
        sameMetadata(existing.metadata, { ...request.metadata, ...t.metadata });
      items.push({ source: `text "${t.title}"`, action: !existing ? 'add' : same ? 'unchanged' : 'update' });
    }
    if (collection && request.prune) {
      for (const doc of this.prunable(collection, sources))
        items.push({ source: this.deps.jail().display(doc.path!), action: 'remove', reason: 'the file no longer exists' });
    }
    return { items, ignored: sources.ignored };
  }

  private prunable(collection: Collection, sources: Sources) {
    const listed = new Set(sources.files.map((f) => f.path));
    return sources.folders
      .flatMap((folder) => this.deps.store.documentsUnder(collection.id, folder))
      .filter((d) => d.path && !listed.has(d.path) && !existsSync(d.path));
  }

  async run(request: IngestRequest, hooks: Hooks = {}): Promise<IngestReport> {
    const sources = this.sources(request);
    const { collection, reembedded } = await this.openCollection(request.collection, hooks);
    const outcomes: DocumentOutcome[] = sources.rejected.map((r) => ({ source: r.display, status: 'failed', reason: r.reason }));
    const total = sources.files.length + request.texts.length;
    let done = 0;
    const step = async (message: string) => {
      // Parsing, embedding and storing are synchronous work; yielding to the event loop between
      // documents lets a cancellation (or any other message) arrive while a batch runs.
      await new Promise((resolve) => setImmediate(resolve));
      hooks.throwIfCancelled?.();
      await hooks.progress?.(done, total, message);
      done++;
    };
    try {
      for (const file of sources.files) {
        await step(file.display);
        outcomes.push(await this.ingestFile(collection, file, request.metadata, hooks.signal));
      }
      for (const text of request.texts) {
        await step(text.title);
        const metadata = { ...request.metadata, ...text.metadata };
        const parsed = this.deps.parsers.parseInline(text.text, text.format ?? 'markdown');
        if (!parsed.sections.length) {
          outcomes.push({ source: `text "${text.title}"`, status: 'failed', reason: 'the text is empty' });
          continue;
        }
        const put = await this.store(
          {
            collection,
            sourceKey: inlineKey(text),
            kind: 'inline',
            path: null,
            title: text.title,
            hash: inlineHash(text),
            bytes: Buffer.byteLength(text.text),
            metadata,
            parsed,
          },
          hooks.signal,
        );
        outcomes.push({
          source: `text "${text.title}"`,
          status: put.outcome,
          documentId: put.id,
          chunks: put.chunks,
          format: parsed.format,
        });
      }
      if (request.prune) {
        const gone = this.prunable(collection, sources);
        this.deps.store.deleteDocuments(gone.map((d) => d.id));
        for (const d of gone)
          outcomes.push({
            source: this.deps.jail().display(d.path!),
            status: 'removed',
            documentId: d.id,
            reason: 'the file no longer exists',
          });
      }
    } catch (error) {
      const written = outcomes.filter((o) => o.status === 'added' || o.status === 'updated').length;
      if (isHearthError(error) && written > 0) {
        throw new HearthError(
          error.code,
          `${error.message} (after ${written} document(s) were stored; each stored document is complete)`,
          `${error.hint} Running the same call again skips what is already stored.`,
          { details: { stored: written } },
        );
      }
      throw error;
    }
    await hooks.progress?.(total, total, 'done');
    return { collection: collection.name, outcomes, ignored: sources.ignored, ...(reembedded ? { reembedded } : {}) };
  }

  private async ingestFile(
    collection: Collection,
    file: Sources['files'][number],
    metadata: Metadata,
    signal?: AbortSignal,
  ): Promise<DocumentOutcome> {
    const base = { source: file.display, format: file.format };
    if (file.bytes > this.deps.maxFileBytes) return { ...base, status: 'failed', reason: tooLarge(file.bytes, this.deps.maxFileBytes) };
    let bytes: Buffer;
    try {
      bytes = readFileSync(file.path);
    } catch (error) {
      return { ...base, status: 'failed', reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? describeError(error)})` };
    }
    if (bytes.length > this.deps.maxFileBytes) return { ...base, status: 'failed', reason: tooLarge(bytes.length, this.deps.maxFileBytes) };
    const hash = sha256(bytes);
    const existing = this.deps.store.documentByKey(collection.id, file.path);
    if (existing && existing.contentHash === hash && existing.chunking === this.chunking && sameMetadata(existing.metadata, metadata)) {
      return { ...base, status: 'unchanged', documentId: existing.id, chunks: existing.chunks };
    }
    let parsed: ParsedDocument;
    try {
      parsed = await this.deps.parsers.parse(bytes, file.format, file.path, this.deps.chunking.size, signal);
    } catch (error) {
      if (error instanceof ParseFailure) return { ...base, status: 'failed', reason: `${error.reason}: ${error.message}` };
      return { ...base, status: 'failed', reason: `could not parse: ${describeError(error)}` };
    }
    const title = parsed.title ?? basename(file.path);
    const put = await this.store(
      { collection, sourceKey: file.path, kind: 'file', path: file.path, title, hash, bytes: bytes.length, metadata, parsed },
      signal,
    );
    return { ...base, status: put.outcome, documentId: put.id, chunks: put.chunks };
  }

  /** Chunks, embeds and stores one parsed document. Used by ingest, facts and the task log. */
  async store(
    doc: PreparedDocument,
    signal?: AbortSignal,
    alongside?: (documentId: number) => void,
  ): Promise<{ id: number; outcome: 'added' | 'updated' | 'unchanged'; chunks: number }> {
    const chunks = chunkSections(doc.parsed.sections, this.deps.chunking);
    const vectors: Float32Array[] = [];
    for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
      const batch = chunks.slice(i, i + EMBED_BATCH).map((c) => embeddingText(doc.title, c));
      vectors.push(...(await this.deps.embedder.embed(batch, 'document', signal)));
    }
    const put = this.deps.store.putDocument(
      {
        collectionId: doc.collection.id,
        sourceKey: doc.sourceKey,
        kind: doc.kind,
        path: doc.path,
        title: doc.title,
        format: doc.parsed.format,
        contentHash: doc.hash,
        chunking: this.chunking,
        bytes: doc.bytes,
        pages: doc.parsed.pages ?? null,
        metadata: doc.metadata,
      },
      chunks,
      vectors,
      this.deps.embedder.id,
      alongside,
    );
    return { ...put, chunks: chunks.length };
  }

  /** The collection, created for the configured embedder, or re-embedded when it was made with another. */
  async openCollection(
    name: string,
    hooks: Hooks = {},
  ): Promise<{ collection: Collection; reembedded?: { from: string; to: string; chunks: number } }> {
    const { store, embedder } = this.deps;
    const { dimensions } = await embedder.ready(hooks.signal);
    const existing = store.collection(name);
    if (!existing) return { collection: store.ensureCollection(name, embedder.id, dimensions) };
    if (existing.embedder === embedder.id) return { collection: existing };
    const vectors = new Map<number, Float32Array>();
    const total = store.chunkCount(existing.id);
    for (const batch of store.chunkTexts(existing.id)) {
      await new Promise((resolve) => setImmediate(resolve));
      hooks.throwIfCancelled?.();
      await hooks.progress?.(vectors.size, total, `re-embedding ${name} with ${embedder.id}`);
      const embedded = await embedder.embed(
        batch.map((c) => embeddingText(c.title, c)),
        'document',
        hooks.signal,
      );
      batch.forEach((c, i) => vectors.set(c.id, embedded[i]!));
    }
    store.replaceVectors(existing.id, embedder.id, dimensions, vectors);
    return { collection: store.collection(name)!, reembedded: { from: existing.embedder, to: embedder.id, chunks: vectors.size } };
  }
}

function inlineKey(text: InlineText): string {
  return `inline:${text.key ?? text.title}`;
}

function inlineHash(text: InlineText): string {
  return sha256(`${text.format ?? 'markdown'}\n${text.text}`);
}

function sameMetadata(a: Metadata, b: Metadata): boolean {
  const keys = (m: Metadata) => Object.keys(m).sort();
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

function tooLarge(bytes: number, limit: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `too-large: ${mb(bytes)} is over the ${mb(limit)} limit (servers.memory.maxFileBytes)`;
}
