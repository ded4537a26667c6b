// References inside step arguments: {"$ref": "steps.<id>.output.<path>"} and {"$input": "<name>"}.
// Finding them (for validation), and resolving them against what is known (for a run, or a
// simulation where the output of a write that has not run is only a placeholder).
import { REF } from './plan-schema.js';

export type Located = { path: (string | number)[] } & (
  { kind: 'ref'; step: string; outputPath: string[] } | { kind: 'input'; name: string }
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asRef(value: unknown): { step: string; outputPath: string[] } | { bad: string } | undefined {
  if (!isRecord(value) || !('$ref' in value)) return undefined;
  const text = value.$ref;
  const match = typeof text === 'string' && Object.keys(value).length === 1 ? REF.exec(text) : null;
  if (!match) return { bad: String(text) };
  return { step: match[1]!, outputPath: match[2] ? match[2].slice(1).split('.') : [] };
}

function asInput(value: unknown): string | undefined {
  if (!isRecord(value) || Object.keys(value).length !== 1 || typeof value.$input !== 'string') return undefined;
  return value.$input;
}

/** Every reference in `args`, with where it sits; a malformed `$ref` is reported with its path. */
export function findRefs(
  args: unknown,
  path: (string | number)[] = [],
): (Located | { kind: 'bad'; path: (string | number)[]; text: string })[] {
  const ref = asRef(args);
  if (ref) return 'bad' in ref ? [{ kind: 'bad', path, text: ref.bad }] : [{ kind: 'ref', path, ...ref }];
  const input = asInput(args);
  if (input !== undefined) return [{ kind: 'input', path, name: input }];
  if (Array.isArray(args)) return args.flatMap((v, i) => findRefs(v, [...path, i]));
  if (isRecord(args)) return Object.entries(args).flatMap(([k, v]) => findRefs(v, [...path, k]));
  return [];
}

/** Reads `path` inside a value by own keys only (never the prototype chain). */
export function pick(value: unknown, path: readonly string[]): { found: true; value: unknown } | { found: false } {
  let node = value;
  for (const key of path) {
    if (Array.isArray(node) && /^\d+$/.test(key) && Number(key) < node.length) node = node[Number(key)];
    else if (isRecord(node) && Object.hasOwn(node, key)) node = node[key];
    else return { found: false };
  }
  return { found: true, value: node };
}

/** What a reference resolves to: a value, or a placeholder for a value that exists only after a step runs. */
export type Known = { known: true; value: unknown } | { known: false; from: string };

export interface Resolver {
  input(name: string): unknown;
  output(step: string): Known;
}

export class Placeholder {
  constructor(readonly from: string) {}
  toJSON(): string {
    return `⟨from step ${this.from}⟩`;
  }
}

/**
 * A copy of `args` with every reference replaced: by its value, or by a Placeholder when it is only
 * known after a step runs. A reference to a path the output lacks throws, naming the step and path.
 */
export function resolveArgs(args: unknown, resolver: Resolver): unknown {
  const ref = asRef(args);
  if (ref && !('bad' in ref)) {
    const out = resolver.output(ref.step);
    if (!out.known) return new Placeholder(out.from);
    const found = pick(out.value, ref.outputPath);
    if (!found.found) throw new MissingOutput(ref.step, ref.outputPath);
    return structuredClone(found.value);
  }
  const input = asInput(args);
  if (input !== undefined) return structuredClone(resolver.input(input));
  if (Array.isArray(args)) return args.map((v) => resolveArgs(v, resolver));
  if (isRecord(args)) {
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(args)) copy[k] = resolveArgs(v, resolver);
    return { ...copy };
  }
  return args;
}

export class MissingOutput extends Error {
  constructor(
    readonly step: string,
    readonly outputPath: string[],
  ) {
    super(`steps.${step}.output${outputPath.map((p) => `.${p}`).join('')} does not exist in what step ${step} returned`);
  }
}

/** Whether a resolved value still holds placeholders. */
export function hasPlaceholder(value: unknown): boolean {
  if (value instanceof Placeholder) return true;
  if (Array.isArray(value)) return value.some(hasPlaceholder);
  if (isRecord(value)) return Object.values(value).some(hasPlaceholder);
  return false;
}

/** The resolved args as JSON, placeholders written as ⟨from step X⟩: what a person sees and what an approval binds. */
export function template(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}
