// A shorter listing for one schema in tools/list. Validation still runs the full zod schema (with its
// field errors); the listing only changes what every conversation pays for in bytes. Use it where the
// strict JSON Schema costs more than it tells: a union of message shapes the description already
// spells out, or a field that is the same as one a sibling tool lists in full ("as in llm_generate").
import type * as z from 'zod';

/** The metadata key that carries the listing; shared/tool-listing.ts replaces the schema with it. */
export const LISTED_AS = 'hearth/listedAs';

export function listedAs<T extends z.ZodType>(schema: T, listing: Record<string, unknown>): T {
  return schema.meta({ [LISTED_AS]: listing });
}
