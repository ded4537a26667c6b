// Hearth's own package: the folder it is installed in and what its package.json says. The one place
// the version is read, so `hearth --version`, every server's serverInfo and the snippets agree.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  /** The folder holding package.json, bin/, dist/ and node_modules/ (a clone or an installed package). */
  root: string;
  name: string;
  version: string;
}

/**
 * Reads the package.json nearest above this file. Source (`shared/`) and built (`dist/shared/`)
 * copies sit at different depths, so the folder is found by walking up rather than by a fixed path.
 */
export function packageInfo(from: string = dirname(fileURLToPath(import.meta.url))): PackageInfo {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
  return {
    root: dir,
    name: typeof json.name === 'string' ? json.name : 'hearth-mcp',
    version: typeof json.version === 'string' ? json.version : '0.0.0',
  };
}
