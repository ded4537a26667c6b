// Which files an ingest call covers: each path is resolved through the policy's path jail (so
// `..`, symlinks and absolute paths cannot leave the allowed roots), folders are walked, and a
// symlink met inside a folder is followed only when its target is inside the roots too.
// A hard link cannot be told from the file it links to: it is the same file, wherever its other
// names are. A file with more than one name that belongs to someone else is refused, since another
// name may be outside the roots; hard links among a person's own files are ingested.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

import { HearthError } from '../../../lib/errors.js';
import type { PathJail } from '../../../lib/path-jail.js';
import { type Format, formatOf } from '../parse/document.js';

export interface FileSource {
  /** Real absolute path. */
  path: string;
  /** Path relative to its root, for people. */
  display: string;
  format: Format;
  bytes: number;
}

export interface SkippedSource {
  display: string;
  reason: string;
}

export interface Sources {
  files: FileSource[];
  /** Files named or met that cannot be ingested (unsupported type, escaping symlink). */
  rejected: SkippedSource[];
  /** Folders walked, for pruning documents whose files are gone. */
  folders: string[];
  /** Files in walked folders skipped silently because their type is not supported. */
  ignored: number;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', 'dist', 'build']);

export interface CollectOptions {
  recursive: boolean;
  maxFiles: number;
  /** Whose files are the person's own; default: this process's user. */
  owner?: number | undefined;
}

export function collectSources(jail: PathJail, paths: readonly string[], options: CollectOptions): Sources {
  const out: Sources = { files: [], rejected: [], folders: [], ignored: 0 };
  const owner = options.owner ?? process.getuid?.();
  const seen = new Set<string>();
  const add = (real: string, explicitField?: string) => {
    if (seen.has(real)) return;
    seen.add(real);
    const display = jail.display(real);
    const format = formatOf(real);
    if (!format) {
      if (explicitField)
        out.rejected.push({
          display,
          reason: `unsupported file type (${basename(real)}); supported: Markdown, text, HTML, PDF, DOCX, TypeScript, JavaScript, Python`,
        });
      else out.ignored++;
      return;
    }
    const stat = statSync(real);
    if (stat.nlink > 1 && owner !== undefined && stat.uid !== owner) {
      out.rejected.push({
        display,
        reason: `a hard link to a file owned by another user (uid ${stat.uid}); its other names may be outside the allowed roots, so it is not ingested`,
      });
      return;
    }
    out.files.push({ path: real, display, format, bytes: stat.size });
    if (out.files.length > options.maxFiles) {
      throw new HearthError(
        'LIMIT_EXCEEDED',
        `paths: more than ${options.maxFiles} files to ingest in one call`,
        'Ingest sub-folders one at a time, or raise servers.memory.maxFilesPerCall.',
      );
    }
  };
  const walk = (dir: string) => {
    out.folders.push(dir);
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (error) {
      out.rejected.push({
        display: jail.display(dir),
        reason: `cannot read the folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      });
      return;
    }
    for (const name of entries) {
      if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
      const full = join(dir, name);
      let real = full;
      let stat = lstatSync(full);
      if (stat.isSymbolicLink()) {
        try {
          real = realpathSync(full);
        } catch {
          out.rejected.push({ display: jail.display(full), reason: 'a broken symbolic link' });
          continue;
        }
        if (!jail.contains(real)) {
          out.rejected.push({ display: jail.display(full), reason: 'a symbolic link to a place outside the allowed roots; not followed' });
          continue;
        }
        stat = statSync(real);
      }
      if (stat.isDirectory()) {
        if (options.recursive && !seen.has(real)) {
          seen.add(real);
          walk(real);
        }
      } else if (stat.isFile()) add(real);
    }
  };
  paths.forEach((input, i) => {
    const field = `paths[${i}]`;
    const real = jail.resolve(input, { field });
    let stat;
    try {
      stat = statSync(real);
    } catch {
      throw new HearthError(
        'NOT_FOUND',
        `${field}: ${input} does not exist`,
        'Check the path; relative paths start at the first allowed root.',
        { details: { field } },
      );
    }
    if (stat.isDirectory()) {
      seen.add(real);
      walk(real);
    } else if (stat.isFile()) add(real, field);
    else
      throw new HearthError('INVALID_ARGUMENT', `${field}: ${input} is neither a file nor a folder`, 'Pass a regular file or a folder.', {
        details: { field },
      });
  });
  return out;
}
