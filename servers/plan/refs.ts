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

// A reference is an object with the one key `$ref` (or `$input`). The keys are read once and passed
// along: a long plan walks thousands of argument objects, checked and resolved at every run.
function asRef(
  value: Record<string, unknown>,
  keys: readonly string[],
): { step: string; outputPath: string[] } | { bad: string } | undefined {
  if (!Object.hasOwn(value, '$ref')) return undefined;
  const text = value.$ref;
  const match = typeof text === 'string' && keys.length === 1 ? REF.exec(text) : null;
  if (!match) return { bad: String(text) };
  return { step: match[1]!, outputPath: match[2] ? match[2].slice(1).split('.') : [] };
}

function asInput(value: Record<string, unknown>, keys: readonly string[]): string | undefined {
  return keys.length === 1 && keys[0] === '$input' && typeof value.$input === 'string' ? value.$input : undefined;
}

type Found = Located | { kind: 'bad'; path: (string | number)[]; text: string };

/** Every reference in `args`, with where it sits; a malformed `$ref` is reported with its path. */
export function findRefs(args: unknown, path: (string | number)[] = []): Found[] {
  const found: Found[] = [];
  collectRefs(args, path, found);
  return found;
}

function collectRefs(args: unknown, path: (string | number)[], found: Found[]): void {
  if (Array.isArray(args)) {
    for (let i = 0; i < args.length; i++) collectRefs(args[i], [...path, i], found);
    return;
  }
  if (!isRecord(args)) return;
  const keys = Object.keys(args);
  const ref = asRef(args, keys);
  if (ref) {
    found.push('bad' in ref ? { kind: 'bad', path, text: ref.bad } : { kind: 'ref', path, ...ref });
    return;
  }
  const input = asInput(args, keys);
  if (input !== undefined) {
    found.push({ kind: 'input', path, name: input });
    return;
  }
  for (const key of keys) collectRefs(args[key], [...path, key], found);
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
  if (Array.isArray(args)) return args.map((v) => resolveArgs(v, resolver));
  if (!isRecord(args)) return args;
  const keys = Object.keys(args);
  const ref = asRef(args, keys);
  if (ref && !('bad' in ref)) {
    const out = resolver.output(ref.step);
    if (!out.known) return new Placeholder(out.from);
    const found = pick(out.value, ref.outputPath);
    if (!found.found) throw new MissingOutput(ref.step, ref.outputPath);
    return structuredClone(found.value);
  }
  const input = asInput(args, keys);
  if (input !== undefined) return structuredClone(resolver.input(input));
  const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of keys) copy[key] = resolveArgs(args[key], resolver);
  return { ...copy };
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
