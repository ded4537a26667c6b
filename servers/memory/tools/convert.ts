// Domain rows → tool output shapes.
import type { z } from 'zod';

import type { ChunkRow, DocumentRow } from '../store/store.js';
import type { ChunkOut, DocumentOut } from './schemas.js';

export function documentOut(d: DocumentRow): z.input<typeof DocumentOut> {
  return {
    documentId: d.id,
    collection: d.collection,
    title: d.title,
    kind: d.kind,
    format: d.format,
    path: d.path,
    bytes: d.bytes,
    pages: d.pages,
    chunks: d.chunks,
    metadata: d.metadata,
    contentHash: d.contentHash,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export function chunkOut(c: ChunkRow): z.input<typeof ChunkOut> {
  return {
    chunkId: c.id,
    documentId: c.documentId,
    ord: c.ord,
    location: {
      ...(c.heading ? { heading: c.heading } : {}),
      ...(c.page !== undefined ? { page: c.page } : {}),
      ...(c.lineStart !== undefined ? { lineStart: c.lineStart } : {}),
      ...(c.lineEnd !== undefined ? { lineEnd: c.lineEnd } : {}),
      ...(c.symbol ? { symbol: c.symbol } : {}),
    },
    text: c.text,
  };
}

/** "guide.md §Install > Linux, lines 10–24" — how a hit is cited in text output. */
export function citation(
  title: string,
  location: { heading?: string; page?: number; lineStart?: number; lineEnd?: number; symbol?: string },
): string {
  const parts = [title];
  if (location.page !== undefined) parts.push(`p. ${location.page}`);
  if (location.heading) parts.push(`§${location.heading}`);
  if (location.symbol) parts.push(location.symbol);
  if (location.lineStart !== undefined)
    parts.push(
      location.lineEnd !== undefined && location.lineEnd !== location.lineStart
        ? `lines ${location.lineStart}–${location.lineEnd}`
        : `line ${location.lineStart}`,
    );
  return parts.join(', ');
}
