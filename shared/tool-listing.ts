// How a tool is listed in tools/list: its JSON Schemas and its annotations, all derived from the one
// definition. Annotations come from the effect (and the tool's declared reach), so no tool sets hints
// by hand. Every byte here is paid in every conversation that loads the list, so the schemas are
// compact: input schemas keep what a model needs to call the tool (types, bounds, defaults, the
// field descriptions), output schemas describe the result's shape only two levels deep, and the
// dry-run alternative of write and external tools is one small shared shape, not the whole preview schema.
import type { Tool as McpTool, ToolAnnotations } from '@modelcontextprotocol/server';
import * as z from 'zod';

import { changesSomething } from '../lib/effect.js';
import { LISTED_AS, LISTED_AS_IN } from './listed-as.js';
import type { Tool } from './tool.js';

type Json = Record<string, unknown>;
/** The names of the tools listed together; undefined: every sibling a listing points at is listed. */
type Listed = ReadonlySet<string> | undefined;

// The title is the tool's own `title`; the annotations' copy of it predates that field and is left out.
function annotationsFor(tool: Tool): ToolAnnotations {
  switch (tool.effect) {
    case 'read':
      // A read that opens or closes a browser session changes what later calls see, so it is not read-only;
      // one that loads pages reaches the open web.
      return {
        readOnlyHint: !tool.statefulRead,
        destructiveHint: false,
        idempotentHint: !tool.statefulRead,
        openWorldHint: tool.openWorld,
      };
    case 'write':
      return { readOnlyHint: false, destructiveHint: !tool.additive, idempotentHint: tool.idempotent, openWorldHint: tool.openWorld };
    case 'external':
      return { readOnlyHint: false, destructiveHint: !tool.additive, idempotentHint: tool.idempotent, openWorldHint: true };
  }
}

/** Any JSON value, said with types (strict validators refuse a schema without one). */
const ANY_VALUE = ['object', 'array', 'string', 'number', 'boolean', 'null'].map((type) => ({ type }));

const SAFE_BOUND = Number.MAX_SAFE_INTEGER;
/** String caps at or above this are sanity limits against abuse, not something a caller plans around. */
const SANITY_CAP = 100;

/**
 * Drops what zod emits that tells a reader little for its bytes: `$schema`, the safe-integer bounds
 * on every integer, "non-empty" on strings, the sanity caps on string lengths and the patterns of
 * ids. The dispatcher still enforces all of them and names the field and the format when one is broken.
 */
function tidy(node: unknown, listed: Listed): unknown {
  if (Array.isArray(node)) return node.map((item) => tidy(item, listed));
  if (!node || typeof node !== 'object') return node;
  const source = node as Json;
  // Strict validators refuse a list as `type`: say it as a union of typed schemas.
  if (Array.isArray(source.type)) {
    const { type, ...rest } = source;
    return tidy({ ...rest, anyOf: (type as string[]).map((t) => ({ type: t })) }, listed);
  }
  // A schema with a listing of its own (listedAs) is advertised as that listing, with its description and default
  // unless the listing says otherwise. One that points at a sibling tool applies only while the sibling is listed
  // too; otherwise the field is listed as if it had no such pointer.
  const pointer = source[LISTED_AS_IN] as { sibling: string; listing: Json } | undefined;
  if (pointer || source[LISTED_AS]) {
    const { [LISTED_AS_IN]: _pointer, [LISTED_AS]: own, ...schema } = source;
    if (pointer && listed && !listed.has(pointer.sibling)) return tidy(own ? { ...schema, [LISTED_AS]: own } : schema, listed);
    const listing = (pointer ? pointer.listing : own) as Json;
    const { description, default: fallback } = source;
    return tidy(
      {
        ...(description === undefined ? {} : { description }),
        ...(fallback === undefined ? {} : { default: fallback }),
        ...listing,
      },
      listed,
    );
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === '$schema') continue;
    if ((key === 'minimum' || key === 'maximum') && typeof value === 'number' && Math.abs(value) >= SAFE_BOUND) continue;
    if (key === 'minLength' && value === 1) continue;
    // Ids and names are copied from earlier results; a wrong one gets an error that says the format.
    if (key === 'pattern') continue;
    // Every JSON object's keys are strings; only a constraint beyond that is worth listing.
    if (key === 'propertyNames' && value && typeof value === 'object') {
      const names = tidy(value, listed) as Json;
      if (Object.keys(names).length > 1 || names.type !== 'string') out[key] = names;
      continue;
    }
    // A union inside a union is one union (checked after tidying: a list of types becomes a union there).
    if (key === 'anyOf' && Array.isArray(value)) {
      out[key] = value
        .map((branch) => tidy(branch, listed) as Json)
        .flatMap((branch) => (Array.isArray(branch.anyOf) && Object.keys(branch).length === 1 ? (branch.anyOf as unknown[]) : [branch]));
      continue;
    }
    if (key === 'maxLength' && typeof value === 'number' && value >= SANITY_CAP) continue;
    // z.unknown() values in a record: "any value" said explicitly, not as an empty schema.
    if (key === 'additionalProperties' && value && typeof value === 'object' && Object.keys(value).length === 0) {
      out[key] = true;
      continue;
    }
    out[key] = tidy(value, listed);
  }
  return out;
}

/**
 * A union is described once, on the union: its branches' descriptions and those of their fields are
 * left out of the listing (a target given as a ref or as hints says so in one sentence). The zod
 * descriptions stay: they are the hints of validation errors.
 */
function undescribed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(undescribed);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Json)
      .filter(([key]) => key !== 'description')
      .map(([key, value]) => [key, undescribed(value)]),
  );
}

function briefUnions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(briefUnions);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    const described = typeof (node as Json).description === 'string';
    const union = (v: unknown) => !!v && typeof v === 'object' && ('anyOf' in v || 'oneOf' in v);
    // A described array of a union (messages of several roles) counts as a described union too.
    if (described && (key === 'anyOf' || key === 'oneOf' || (key === 'items' && union(value)))) out[key] = undescribed(value);
    // A described list says what its items are: the items' own description (a hint for errors) is left out.
    else if (described && key === 'items' && value && typeof value === 'object') {
      const { description: _itemDescription, ...items } = value as Json;
      out[key] = briefUnions(items);
    } else out[key] = briefUnions(value);
  }
  return out;
}

/** A property with no type at all (z.unknown()) is any value, said with types. */
function typed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(typed);
  if (!node || typeof node !== 'object') return node;
  const out: Json = Object.fromEntries(Object.entries(node as Json).map(([k, v]) => [k, typed(v)]));
  if (out.properties && typeof out.properties === 'object') {
    for (const [key, prop] of Object.entries(out.properties as Record<string, Json>)) {
      if (prop.type === undefined && !prop.anyOf && !prop.oneOf && !('const' in prop) && !prop.enum) {
        (out.properties as Record<string, Json>)[key] = { ...prop, anyOf: ANY_VALUE };
      }
    }
  }
  return out;
}

/** The same schema without its shorter listings (see listedAs): every field spelled out. */
function withoutListings(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutListings);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Json)
      .filter(([key]) => key !== LISTED_AS && key !== LISTED_AS_IN)
      .map(([key, value]) => [key, withoutListings(value)]),
  );
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output', listed: Listed, listings = true): Json {
  const raw = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  return typed(tidy(briefUnions(listings ? raw : withoutListings(raw)), listed)) as Json;
}

const OUTLINE_DEPTH = 1;

/**
 * The shape of a result, loosely: types and top-level descriptions, objects and arrays spelled out
 * to `OUTLINE_DEPTH` levels, below that only their type. Loose objects allow more properties, so a
 * client validating against it never rejects what the kernel has already checked against the full schema.
 */
function outline(node: Json, depth: number): Json {
  const out: Json = {};
  const union = (node.anyOf ?? node.oneOf) as Json[] | undefined;
  if (union) {
    const branches = union.map((b) => outline(b, depth));
    const types = [...new Set(branches.map((b) => b.type))];
    if (depth >= OUTLINE_DEPTH && types.length === 1 && typeof types[0] === 'string') out.type = types[0];
    else out.anyOf = branches;
  } else if (node.type !== undefined) out.type = node.type;
  else if ('const' in node) out.type = typeof node.const === 'string' ? 'string' : typeof node.const;
  if ('const' in node) out.const = node.const;
  if (Array.isArray(node.enum)) out.enum = node.enum;
  if (depth <= 1 && typeof node.description === 'string') out.description = node.description;
  if (node.type === 'object' && node.properties && depth < OUTLINE_DEPTH) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties as Record<string, Json>).map(([k, v]) => [k, outline(v, depth + 1)]),
    );
    if (Array.isArray(node.required) && node.required.length) out.required = node.required;
  }
  if (node.type === 'array' && node.items && depth < OUTLINE_DEPTH) out.items = outline(node.items as Json, depth + 1);
  if (out.type === undefined && out.anyOf === undefined) out.anyOf = ANY_VALUE;
  return out;
}

/**
 * What a write or external tool answers instead of running it, on a dry-run or in observe mode
 * (DryRunResult in lib/preview.ts): `preview` is `{summary, changes[]}`, documented once in docs/tools.md.
 */
const DRY_RUN_OUTLINE: Json = {
  type: 'object',
  properties: {
    dryRun: { type: 'boolean', const: true },
    reason: { type: 'string', enum: ['dry-run', 'observe'] },
    preview: { type: 'object' },
  },
  required: ['dryRun', 'reason', 'preview'],
};

/** The outputSchema advertised for a tool: write/external tools may also answer with a preview. */
function outputSchemaFor(tool: Tool): Json {
  const own = outline(jsonSchema(tool.output, 'output', undefined), 0);
  if (!changesSomething(tool.effect)) return own;
  return { type: 'object', anyOf: [own, DRY_RUN_OUTLINE] };
}

/** The inputSchema advertised for a tool: strict, as the dispatcher validates it (unknown keys are errors). */
function inputSchemaFor(tool: Tool, listed: Listed): Json {
  return jsonSchema(tool.input.strict(), 'input', listed);
}

/**
 * The input schema with every field spelled out, as the dispatcher validates it, for the reference in
 * docs/tools.md: a reader wants a filter's or a target's fields where the listing points elsewhere.
 */
export function fullInputSchema(tool: Tool): Json {
  return jsonSchema(tool.input.strict(), 'input', undefined, false);
}

/**
 * How a tool is listed. `listed` names every tool in the same list (default: all of them are), so a
 * field listed "as in" a sibling that is not there is spelled out in full.
 */
export function describeTool(tool: Tool, listed?: ReadonlySet<string>): McpTool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: inputSchemaFor(tool, listed) as McpTool['inputSchema'],
    outputSchema: outputSchemaFor(tool),
    annotations: annotationsFor(tool),
    _meta: { 'hearth/effect': tool.effect },
  };
}
