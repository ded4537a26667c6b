// Document filters shared by search, list and delete: collections, metadata equality, format,
// kind and path prefix, as one SQL condition on the documents table (alias `d`).
import * as z from 'zod';

import { FORMATS } from '../parse/document.js';
import type { SqlCondition } from '../store/store.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const DocumentFilter = z
  .object({
    metadata: z
      .record(z.string().min(1).max(100), z.union([Scalar, z.array(Scalar).min(1).max(50)]))
      .optional()
      .describe('Metadata equal to these, e.g. {"project": "apollo"}; a list: any of them.'),
    format: z.array(z.enum(FORMATS)).min(1).optional(),
    kind: z
      .array(z.enum(['file', 'inline', 'fact', 'task']))
      .min(1)
      .optional()
      .describe('inline: text from a call.'),
    pathPrefix: z.string().min(1).optional().describe('Files whose absolute path starts with this.'),
  })
  .strict();
export type DocumentFilter = z.infer<typeof DocumentFilter>;

const KEY = /^[A-Za-z0-9_.-]+$/;

export function filterCondition(filter: DocumentFilter | undefined, collectionIds?: readonly number[]): SqlCondition {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (collectionIds) {
    parts.push(collectionIds.length ? `d.collection_id IN (${collectionIds.map(() => '?').join(',')})` : '0');
    params.push(...collectionIds);
  }
  for (const [key, wanted] of Object.entries(filter?.metadata ?? {})) {
    // Keys go into a JSON path; anything but plain characters is matched through json_each instead.
    const values = Array.isArray(wanted) ? wanted : [wanted];
    const expr = KEY.test(key) ? `json_extract(d.metadata, '$."${key}"')` : `(SELECT value FROM json_each(d.metadata) WHERE key = ?)`;
    if (!KEY.test(key)) params.push(key);
    parts.push(`${expr} IN (${values.map(() => '?').join(',')})`);
    params.push(...values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
  }
  if (filter?.format) {
    parts.push(`d.format IN (${filter.format.map(() => '?').join(',')})`);
    params.push(...filter.format);
  }
  if (filter?.kind) {
    parts.push(`d.kind IN (${filter.kind.map(() => '?').join(',')})`);
    params.push(...filter.kind);
  }
  if (filter?.pathPrefix) {
    parts.push('substr(d.path, 1, ?) = ?');
    params.push(filter.pathPrefix.length, filter.pathPrefix);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

export function hasDocumentFilter(filter: DocumentFilter | undefined): boolean {
  return !!filter && (!!filter.metadata || !!filter.format || !!filter.kind || !!filter.pathPrefix);
}
