// Path jail: a path is allowed only if, after resolving `..` and every symlink, it lies inside one
// of the allowed roots. Roots are realpath'd once; a path that does not exist yet is checked through
// its nearest existing ancestor, so a symlinked parent cannot smuggle a new file outside.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

import { HearthError } from './errors.js';

export interface JailOptions {
  /** Field name used in error messages, e.g. `path` or `files[2]`. */
  field?: string;
  /** Where relative paths resolve from; defaults to the first root. */
  base?: string;
  /** Hint shown when a path is outside the roots. */
  hint?: string;
}

/** The real path of `path`, existing or not: its nearest existing ancestor's real path plus the rest. */
export function realpathOf(path: string): string {
  // Walk up to the nearest existing ancestor, realpath it, and re-append the missing tail.
  let current = path;
  const tail: string[] = [];
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) break;
    tail.unshift(basename(current));
    current = parent;
  }
  const real = realpathSync(current);
  return tail.length ? join(real, ...tail) : real;
}

function inside(root: string, path: string): boolean {
  if (path === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(prefix);
}

export class PathJail {
  readonly roots: readonly string[];

  constructor(roots: readonly string[]) {
    this.roots = roots.filter((r) => existsSync(r)).map((r) => realpathSync(resolve(r)));
  }

  /** Resolves `input` and returns its real absolute path, or throws OUT_OF_ROOTS / INVALID_ARGUMENT. */
  resolve(input: string, options: JailOptions = {}): string {
    const field = options.field ?? 'path';
    if (typeof input !== 'string' || input.length === 0) {
      throw new HearthError('INVALID_ARGUMENT', `${field}: a path is required`, 'Pass a file or folder path.', { details: { field } });
    }
    if (input.includes('\0')) {
      throw new HearthError('INVALID_ARGUMENT', `${field}: the path contains a NUL byte`, 'Remove the NUL character from the path.', {
        details: { field },
      });
    }
    if (this.roots.length === 0) {
      throw new HearthError(
        'OUT_OF_ROOTS',
        `${field}: no file roots are allowed`,
        options.hint ?? 'Add a folder to `roots` in the policy file, then restart the server.',
        { details: { field } },
      );
    }
    const base = options.base ?? this.roots[0]!;
    const absolute = isAbsolute(input) ? resolve(input) : resolve(base, input);
    // `resolve` removed every `..`; the real path follows every symlink, including in parents.
    const real = realpathOf(absolute);
    if (!this.roots.some((root) => inside(root, real))) {
      throw new HearthError(
        'OUT_OF_ROOTS',
        `${field}: ${input} is outside the allowed roots`,
        options.hint ?? `Use a path under ${this.roots.join(', ')}, or add its folder to \`roots\` in the policy file.`,
        {
          details: { field, roots: this.roots },
        },
      );
    }
    return real;
  }

  /** Whether a real path is inside a root (for paths already resolved, e.g. when walking a folder). */
  contains(realPath: string): boolean {
    return this.roots.some((root) => inside(root, realPath));
  }

  /** A path relative to the root that contains it, for display. */
  display(realPath: string): string {
    const root = this.roots.find((r) => inside(r, realPath));
    return root ? relative(root, realPath) || '.' : realPath;
  }
}
