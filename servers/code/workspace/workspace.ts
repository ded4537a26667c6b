// A session's workspace: one folder, path-jailed. Every path is relative to the folder; `..`,
// absolute paths, NUL bytes and symlinks leading out are refused (PathJail realpath-checks each
// call). Writes are whole (temp file + rename); size and file-count caps hold across the folder.
// The same class serves the file tools (server process) and the sandbox's file API (sandbox process).
// The folder itself is created by the first write, never before: a preview, a read or a listing of
// a workspace that was never written leaves the disk as it was.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, sep } from 'node:path';

import { HearthError } from '../../../lib/errors.js';
import { PathJail, realpathOf } from '../../../lib/path-jail.js';

export interface WorkspaceLimits {
  maxFileBytes: number;
  maxWorkspaceBytes: number;
  maxWorkspaceFiles: number;
}

export interface FileEntry {
  /** Relative to the workspace, with forward slashes. */
  path: string;
  kind: 'file' | 'dir' | 'symlink';
  bytes: number;
  modified: string;
}

export interface WriteOutcome {
  path: string;
  created: boolean;
  bytes: number;
}

const TEMP_PREFIX = '.hearth-tmp-';
/** One file or folder name, in bytes: the limit of common file systems (NAME_MAX). */
const MAX_NAME_BYTES = 255;

/**
 * A file-system failure as a tool error, with the workspace path the caller gave — never the host
 * path, which says where Hearth keeps its data. Unexpected failures are rethrown as they are.
 */
function fsFailure(error: unknown, path: string, field: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const details = { details: { field } };
  switch (code) {
    case 'ENAMETOOLONG':
      return new HearthError(
        'INVALID_ARGUMENT',
        `${field}: ${path} is too long a path for the file system`,
        'Use a shorter path.',
        details,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new HearthError(
        'LIMIT_EXCEEDED',
        `${field}: the disk that holds the workspace is full`,
        'Free some space, then try again.',
        details,
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new HearthError(
        'UNAVAILABLE',
        `${field}: the workspace cannot be written (${code})`,
        'A person should check the permissions of the Hearth data directory.',
        details,
      );
    case 'ENOTDIR':
    case 'EISDIR':
    case 'EEXIST':
      return new HearthError(
        'CONFLICT',
        `${field}: ${path} clashes with a file or folder already in the workspace`,
        'Choose another path.',
        details,
      );
    default:
      return error;
  }
}
const HINT = 'Use a path relative to the workspace, such as data/input.csv; it cannot leave the workspace.';

export class Workspace {
  readonly dir: string;
  private jailed: PathJail | undefined;
  private usageCache: { bytes: number; files: number } | undefined;

  constructor(
    dir: string,
    readonly limits: WorkspaceLimits,
  ) {
    this.dir = realpathOf(dir);
  }

  /** The jail over the folder, once the folder exists (a jail drops roots that do not). */
  private get jail(): PathJail {
    if (!this.jailed?.roots.length) this.jailed = new PathJail([this.dir]);
    return this.jailed;
  }

  /** The real path of a checked relative path. Before the folder exists nothing is under it, so no link can lead out. */
  private real(normal: string, field: string): string {
    if (!existsSync(this.dir)) return join(this.dir, normal);
    return this.jail.resolve(normal, { field, base: this.dir, hint: HINT });
  }

  /** Validates the text of a path before touching the disk. */
  private checkText(path: string, field: string): string {
    if (typeof path !== 'string' || path.length === 0)
      throw new HearthError('INVALID_ARGUMENT', `${field}: a path is required`, HINT, { details: { field } });
    if (path.includes('\0'))
      throw new HearthError('INVALID_ARGUMENT', `${field}: the path contains a NUL byte`, 'Remove the NUL character from the path.', {
        details: { field },
      });
    if (path.length > 1024)
      throw new HearthError('INVALID_ARGUMENT', `${field}: the path is longer than 1024 characters`, 'Use a shorter path.', {
        details: { field },
      });
    if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path))
      throw new HearthError('OUT_OF_ROOTS', `${field}: ${path} is an absolute path; workspace paths are relative`, HINT, {
        details: { field },
      });
    const normal = posix.normalize(path.replace(/\\/g, '/'));
    if (normal === '..' || normal.startsWith('../'))
      throw new HearthError('OUT_OF_ROOTS', `${field}: ${path} leads outside the workspace`, HINT, { details: { field } });
    const long = normal.split('/').find((name) => Buffer.byteLength(name) > MAX_NAME_BYTES);
    if (long)
      throw new HearthError(
        'INVALID_ARGUMENT',
        `${field}: the name ${JSON.stringify(`${long.slice(0, 40)}…`)} is ${Buffer.byteLength(long)} bytes long; file systems take at most ${MAX_NAME_BYTES}`,
        'Use shorter file and folder names.',
        { details: { field } },
      );
    return normal;
  }

  /** The real path of an existing or future entry, following symlinks (for reading). */
  resolve(path: string, field = 'path'): string {
    return this.real(this.checkText(path, field), field);
  }

  /** The entry itself without following a final symlink: the real parent plus the name (for writing and deleting). */
  private entry(path: string, field: string): string {
    const normal = this.checkText(path, field);
    if (normal === '.' || normal === '')
      throw new HearthError('INVALID_ARGUMENT', `${field}: names the workspace itself`, 'Name a file inside the workspace.', {
        details: { field },
      });
    const parent = this.real(dirname(normal) || '.', field);
    const name = basename(normal);
    if (name.startsWith(TEMP_PREFIX))
      throw new HearthError('INVALID_ARGUMENT', `${field}: names starting with ${TEMP_PREFIX} are reserved`, 'Choose another file name.', {
        details: { field },
      });
    return join(parent, name);
  }

  /** Display form: relative, forward slashes. */
  rel(real: string): string {
    return relative(this.dir, real).split(sep).join('/') || '.';
  }

  private lstat(real: string): Stats | undefined {
    try {
      return lstatSync(real);
    } catch {
      return undefined;
    }
  }

  exists(path: string, field = 'path'): boolean {
    try {
      return this.lstat(this.resolve(path, field)) !== undefined;
    } catch (error) {
      if (error instanceof HearthError && error.code === 'OUT_OF_ROOTS') return false;
      throw error;
    }
  }

  stat(path: string, field = 'path'): FileEntry {
    const real = this.resolve(path, field);
    const st = this.lstat(real);
    if (!st)
      throw new HearthError(
        'NOT_FOUND',
        `${field}: ${path} does not exist in the workspace`,
        'List the workspace with code_files_list to see its files.',
        { details: { field } },
      );
    return {
      path: this.rel(real),
      kind: st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'file',
      bytes: st.isFile() ? st.size : 0,
      modified: st.mtime.toISOString(),
    };
  }

  private fileOrThrow(path: string, field: string): { real: string; size: number } {
    const real = this.resolve(path, field);
    let st: Stats;
    try {
      st = statSync(real);
    } catch {
      throw new HearthError(
        'NOT_FOUND',
        `${field}: ${path} does not exist in the workspace`,
        'List the workspace with code_files_list to see its files.',
        { details: { field } },
      );
    }
    if (!st.isFile())
      throw new HearthError(
        'INVALID_ARGUMENT',
        `${field}: ${path} is a folder, not a file`,
        'Name a file; list a folder with code_files_list.',
        { details: { field } },
      );
    return { real, size: st.size };
  }

  /** The whole file, refused past maxFileBytes. */
  read(path: string, field = 'path'): Buffer {
    const { real, size } = this.fileOrThrow(path, field);
    if (size > this.limits.maxFileBytes)
      throw new HearthError(
        'LIMIT_EXCEEDED',
        `${field}: ${path} is ${size} bytes, above the ${this.limits.maxFileBytes}-byte file limit`,
        'Read it in ranges with code_files_read (offset), or split it.',
        { details: { field } },
      );
    return readFileSync(real);
  }

  /** A byte range of a file, and the file's size. */
  readRange(path: string, offset: number, length: number, field = 'path'): { bytes: Buffer; size: number } {
    const { real, size } = this.fileOrThrow(path, field);
    const start = Math.min(offset, size);
    const count = Math.max(0, Math.min(length, size - start));
    const bytes = Buffer.alloc(count);
    const fd = openSync(real, 'r');
    try {
      let read = 0;
      while (read < count) {
        const n = readSync(fd, bytes, read, count - read, start + read);
        if (n === 0) break;
        read += n;
      }
      return { bytes: bytes.subarray(0, read), size };
    } finally {
      closeSync(fd);
    }
  }

  usage(): { bytes: number; files: number } {
    if (!this.usageCache) {
      let bytes = 0;
      let files = 0;
      for (const e of this.walk(this.dir, true)) {
        if (e.kind !== 'dir') files += 1;
        bytes += e.bytes;
      }
      this.usageCache = { bytes, files };
    }
    return this.usageCache;
  }

  /** Forgets the cached usage (another process may have written). */
  refresh(): void {
    this.usageCache = undefined;
  }

  private plan(path: string, size: number, field: string): { real: string; old: Stats | undefined } {
    const real = this.entry(path, field);
    const old = this.lstat(real);
    if (old?.isDirectory())
      throw new HearthError('CONFLICT', `${field}: ${path} is a folder`, 'Choose a file name that is not a folder.', {
        details: { field },
      });
    if (size > this.limits.maxFileBytes)
      throw new HearthError(
        'LIMIT_EXCEEDED',
        `${field}: ${size} bytes is above the ${this.limits.maxFileBytes}-byte file limit`,
        'Write a smaller file or split it; a person can raise servers.code.maxFileBytes.',
        { details: { field } },
      );
    return { real, old };
  }

  private checkTotals(adds: { size: number; old: Stats | undefined }[], field: string): void {
    const usage = this.usage();
    let bytes = usage.bytes;
    let files = usage.files;
    for (const a of adds) {
      bytes += a.size - (a.old?.isFile() ? a.old.size : 0);
      if (!a.old) files += 1;
    }
    if (bytes > this.limits.maxWorkspaceBytes)
      throw new HearthError(
        'LIMIT_EXCEEDED',
        `${field}: the workspace would hold ${bytes} bytes, above its ${this.limits.maxWorkspaceBytes}-byte limit`,
        'Delete files you no longer need with code_files_delete, or write less.',
        { details: { field } },
      );
    if (files > this.limits.maxWorkspaceFiles)
      throw new HearthError(
        'LIMIT_EXCEEDED',
        `${field}: the workspace would hold ${files} files, above its ${this.limits.maxWorkspaceFiles}-file limit`,
        'Delete files you no longer need, or pack them into one.',
        { details: { field } },
      );
  }

  write(path: string, data: Uint8Array, field = 'path'): WriteOutcome {
    return this.writeMany([{ path, data, field }])[0]!;
  }

  /** Writes several files all-or-nothing: every check passes before the first rename. */
  writeMany(files: readonly { path: string; data: Uint8Array; field: string }[]): WriteOutcome[] {
    const plans = files.map((f) => ({ ...f, ...this.plan(f.path, f.data.byteLength, f.field), size: f.data.byteLength }));
    const seen = new Set<string>();
    for (const p of plans) {
      if (seen.has(p.real))
        throw new HearthError('INVALID_ARGUMENT', `${p.field}: ${p.path} appears twice`, 'Name each file once per call.', {
          details: { field: p.field },
        });
      seen.add(p.real);
    }
    this.checkTotals(plans, plans[0]?.field ?? 'files');
    const temps: { temp: string; real: string }[] = [];
    // The file being written when something fails: the error names it as the caller wrote it.
    let current = plans[0];
    try {
      for (const p of plans) {
        current = p;
        const parent = dirname(p.real);
        mkdirSync(parent, { recursive: true, mode: 0o700 });
        // The parent may have been created just now: check again that it is still inside.
        if (!this.jail.contains(realpathSync(parent)))
          throw new HearthError('OUT_OF_ROOTS', `${p.field}: ${p.path} leads outside the workspace`, HINT, { details: { field: p.field } });
        const temp = join(parent, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
        writeFileSync(temp, p.data, { flag: 'wx', mode: 0o600 });
        temps.push({ temp, real: p.real });
      }
      for (const t of temps) {
        current = plans.find((p) => p.real === t.real);
        renameSync(t.temp, t.real);
      }
    } catch (error) {
      for (const t of temps) rmSync(t.temp, { force: true });
      throw current ? fsFailure(error, current.path, current.field) : error;
    }
    if (this.usageCache) {
      for (const p of plans) {
        this.usageCache.bytes += p.size - (p.old?.isFile() ? p.old.size : 0);
        if (!p.old) this.usageCache.files += 1;
      }
    }
    return plans.map((p) => ({ path: this.rel(p.real), created: !p.old, bytes: p.size }));
  }

  /** Deletes a file, a symlink (not its target) or, with `recursive`, a folder. Returns what was removed. */
  delete(path: string, options: { recursive?: boolean } = {}, field = 'path'): string[] {
    const real = this.entry(path, field);
    const st = this.lstat(real);
    if (!st)
      throw new HearthError(
        'NOT_FOUND',
        `${field}: ${path} does not exist in the workspace`,
        'List the workspace with code_files_list to see its files.',
        { details: { field } },
      );
    if (st.isDirectory()) {
      if (!options.recursive)
        throw new HearthError(
          'INVALID_ARGUMENT',
          `${field}: ${path} is a folder`,
          'Pass recursive: true to delete a folder and everything in it.',
          { details: { field } },
        );
      const removed = [...this.walk(real, true)].filter((e) => e.kind !== 'dir').map((e) => e.path);
      rmSync(real, { recursive: true, force: true });
      this.usageCache = undefined;
      return [...removed, this.rel(real)];
    }
    unlinkSync(real);
    if (this.usageCache) {
      this.usageCache.bytes -= st.isFile() ? st.size : 0;
      this.usageCache.files -= 1;
    }
    return [this.rel(real)];
  }

  /** Entries under a folder of the workspace, sorted by path; symlinks are listed, never followed. */
  list(path = '.', options: { recursive?: boolean } = {}, field = 'path'): FileEntry[] {
    const real = path === '.' || path === '' ? this.dir : this.resolve(path, field);
    if (real === this.dir && !existsSync(this.dir)) return [];
    const st = this.lstat(real);
    if (!st)
      throw new HearthError('NOT_FOUND', `${field}: ${path} does not exist in the workspace`, 'List the workspace root with path ".".', {
        details: { field },
      });
    if (!st.isDirectory()) return [this.stat(path, field)];
    return [...this.walk(real, options.recursive ?? true)].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private *walk(dir: string, recursive: boolean): Generator<FileEntry> {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith(TEMP_PREFIX)) continue;
      const full = join(dir, name);
      const st = this.lstat(full);
      if (!st) continue;
      const kind = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'file';
      yield { path: this.rel(full), kind, bytes: kind === 'file' ? st.size : 0, modified: st.mtime.toISOString() };
      if (kind === 'dir' && recursive) yield* this.walk(full, true);
    }
  }
}
