// Turning zod issues into the messages a model can act on: the field path as the model wrote it
// (`files[2].path`), what was wrong, and the field's own description as the hint.
import type * as z from 'zod';

import { type ArgumentProblem, MAX_ARGUMENT_DEPTH } from '../lib/argument-limits.js';
import { HearthError } from '../lib/errors.js';

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(arguments)';
}

/** The `.describe()` text of the schema node at `path`, if the path leads to one. */
function describeAt(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  let node: unknown = schema;
  for (const key of path) {
    node = unwrap(node);
    const def = (node as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def;
    if (def?.type === 'object' && typeof key === 'string') node = def.shape?.[key];
    else if (def?.type === 'array' && typeof key === 'number') node = def.element;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return (node as { description?: string }).description ?? (unwrap(node) as { description?: string }).description;
}

function unwrap(node: unknown): unknown {
  let current = node as { def?: { type?: string; innerType?: unknown } };
  while (current?.def && ['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch'].includes(current.def.type ?? '')) {
    current = current.def.innerType as typeof current;
  }
  return current;
}

export function validationError(tool: string, schema: z.ZodType, error: z.ZodError): HearthError {
  const issues = error.issues.slice(0, 5);
  const first = issues[0]!;
  const field = fieldPath(first.path);
  const message = issues.map((i) => `${fieldPath(i.path)}: ${i.message}`).join('; ');
  const unknownKeys = issues.find((i): i is z.core.$ZodIssueUnrecognizedKeys => i.code === 'unrecognized_keys');
  let hint: string;
  if (unknownKeys) {
    const keys = unknownKeys.keys.map((k) => `\`${k}\``).join(', ');
    hint = `Remove ${keys}: ${tool} does not take ${unknownKeys.keys.length > 1 ? 'them' : 'it'}. Check the tool's input schema for the right names.`;
  } else {
    const described = describeAt(schema, first.path);
    hint = described ? `\`${field}\`: ${described}` : `Check \`${field}\` against ${tool}'s input schema.`;
  }
  return new HearthError('INVALID_ARGUMENT', `invalid arguments for ${tool}: ${message}`, hint, {
    details: { field, issues: issues.map((i) => ({ field: fieldPath(i.path), problem: i.message })) },
  });
}

/** Arguments beyond the shape limits (lib/argument-limits.ts), refused before the schema sees them. */
export function argumentShapeError(tool: string, shape: ArgumentProblem): HearthError {
  const field = fieldPath(shape.path);
  return new HearthError(
    'INVALID_ARGUMENT',
    `invalid arguments for ${tool}: ${field}: ${shape.problem}`,
    `No tool takes arguments nested deeper than ${MAX_ARGUMENT_DEPTH} levels or holding over a million values; ` +
      `flatten \`${field.split(/[.[]/)[0]}\` or send it as a string.`,
    { details: { field } },
  );
}
