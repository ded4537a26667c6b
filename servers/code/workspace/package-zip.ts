// code_package's domain: chosen workspace files into one zip. Every input is jailed to the
// workspace; entry names are the files' workspace-relative paths and are checked once more (no
// `..`, no absolute or drive paths, no backslashes, no NUL) so the archive cannot slip on unzip.
// Symlinks are left out rather than followed.
import { type Zippable, zipSync } from 'fflate';

import { HearthError } from '../../../lib/errors.js';
import type { Workspace } from './workspace.js';

export interface PackagePlan {
  entries: { path: string; bytes: number }[];
  totalBytes: number;
  skipped: { path: string; reason: string }[];
}

/** Whether a zip entry name is safe to extract anywhere: relative, forward slashes, no `..`. */
export function safeEntryName(name: string): boolean {
  if (name.length === 0 || name.length > 1024) return false;
  if (name.includes('\0') || name.includes('\\')) return false;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return false;
  return name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

export function planPackage(workspace: Workspace, paths: readonly string[], maxBytes: number, maxEntries = 10_000): PackagePlan {
  const entries = new Map<string, number>();
  const skipped: { path: string; reason: string }[] = [];
  paths.forEach((path, i) => {
    const field = `paths[${i}]`;
    for (const e of workspace.list(path, { recursive: true }, field)) {
      if (e.kind === 'dir') continue;
      if (e.kind === 'symlink') {
        skipped.push({ path: e.path, reason: 'symlink (not followed)' });
        continue;
      }
      if (!safeEntryName(e.path))
        throw new HearthError(
          'INVALID_ARGUMENT',
          `${field}: ${e.path} cannot be a zip entry name`,
          'Rename the file to a plain relative path.',
          { details: { field } },
        );
      entries.set(e.path, e.bytes);
    }
  });
  if (entries.size === 0)
    throw new HearthError(
      'INVALID_ARGUMENT',
      'paths: no files matched',
      'Name files or folders that exist in the workspace (see code_files_list).',
      { details: { field: 'paths' } },
    );
  if (entries.size > maxEntries)
    throw new HearthError(
      'LIMIT_EXCEEDED',
      `paths: ${entries.size} files is above the ${maxEntries}-entry limit`,
      'Package fewer files per call.',
      { details: { field: 'paths' } },
    );
  const totalBytes = [...entries.values()].reduce((a, b) => a + b, 0);
  if (totalBytes > maxBytes)
    throw new HearthError(
      'LIMIT_EXCEEDED',
      `paths: the files total ${totalBytes} bytes, above the ${maxBytes}-byte package limit`,
      'Package fewer or smaller files; a person can raise servers.code.packageMaxBytes.',
      { details: { field: 'paths' } },
    );
  return {
    entries: [...entries].map(([path, bytes]) => ({ path, bytes })).sort((a, b) => a.path.localeCompare(b.path)),
    totalBytes,
    skipped,
  };
}

export function buildZip(workspace: Workspace, plan: PackagePlan, signal?: AbortSignal): Uint8Array {
  const files: Zippable = {};
  for (const entry of plan.entries) {
    if (signal?.aborted) throw new HearthError('CANCELLED', 'code_package was cancelled', 'Nothing was stored.');
    // Read through the jail again: the file may have changed since the plan.
    files[entry.path] = [workspace.read(entry.path, `paths (${entry.path})`), { level: 6 }];
  }
  return zipSync(files);
}
