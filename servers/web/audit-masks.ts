// Keeps secrets out of the audit log. The dispatcher asks a tool for audit-safe arguments before the
// call runs, but only the page knows whether a field is a password. So the audit copy is registered
// against the call's argument object, and the preview or handler masks more of it once it has looked
// at the page — the audit row is written after both, from the same copy.
export const MASKED = '••••';

/** Label, name or selector text that suggests a secret. */
export const SECRET_HINT = /pass(word|code|phrase)?|\bpwd\b|\bpin\b|secret|\bcvc\b|\bcvv\b|security.?code|one.?time|\botp\b|token|api.?key/i;

type Json = Record<string, unknown>;

export class AuditMasks {
  private readonly copies = new WeakMap<object, Json>();

  /** Stores and returns the audit copy made for `args`. */
  register(args: object, copy: Json): Json {
    this.copies.set(args, copy);
    return copy;
  }

  /** The audit copy registered for `args`, if any. */
  copyFor(args: object): Json | undefined {
    return this.copies.get(args);
  }

  /** Masks the value at `path` (e.g. ['fields', 3, 'value']) in the audit copy of `args`. */
  mask(args: object, path: readonly (string | number)[]): void {
    let node: unknown = this.copies.get(args);
    for (const key of path.slice(0, -1)) {
      if (node === null || typeof node !== 'object') return;
      node = (node as Record<string | number, unknown>)[key];
    }
    const last = path[path.length - 1];
    if (last !== undefined && node !== null && typeof node === 'object' && last in node) (node as Record<string | number, unknown>)[last] = MASKED;
  }
}

/** A deep copy of JSON-like arguments. */
export function copyArgs<T>(args: T): Json {
  return JSON.parse(JSON.stringify(args ?? {})) as Json;
}
