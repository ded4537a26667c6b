// A shorter listing for one schema in tools/list. Validation still runs the full zod schema (with its
// field errors); the listing only changes what every conversation pays for in bytes. Use it where the
// strict JSON Schema costs more than it tells: a union of message shapes the description already
// spells out, or a field that is the same as one a sibling tool lists in full ("as in llm_generate").
// A listing that points at a sibling applies only while that sibling is listed too: where the policy's
// tools.allow leaves it out, the field is listed in full, so no description points at nothing.
import type * as z from 'zod';

/** The metadata key that carries the listing; shared/tool-listing.ts replaces the schema with it. */
export const LISTED_AS = 'hearth/listedAs';

/**
 * The metadata key of a listing that points at a sibling tool: `{ sibling, listing }`. Kept apart from
 * LISTED_AS so a field with both (a brief pointer over its own shorter listing) falls back to the latter.
 */
export const LISTED_AS_IN = 'hearth/listedAsIn';

export function listedAs<T extends z.ZodType>(schema: T, listing: Record<string, unknown>, options: { sibling?: string } = {}): T {
  return schema.meta(options.sibling ? { [LISTED_AS_IN]: { sibling: options.sibling, listing } } : { [LISTED_AS]: listing });
}
