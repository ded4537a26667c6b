// The demo clears its data directory on every run, so it only ever clears a directory it made
// itself (it leaves a marker file there) or an empty one: `hearth demo --dir ~` must not wipe a home.
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { HearthError } from '../../lib/errors.js';

const MARKER = '.made-by-hearth-demo';

/** Empties `dir` for a new demo run (creating it if needed) and marks it as the demo's. */
export function clearDemoDir(dir: string): void {
  if (existsSync(dir)) {
    if (!lstatSync(dir).isDirectory())
      throw new HearthError('INVALID_ARGUMENT', `--dir: ${dir} is not a directory`, 'Give --dir a new or empty directory.');
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(MARKER))
      throw new HearthError(
        'INVALID_ARGUMENT',
        `--dir: ${dir} holds files the demo did not make, and the demo clears its directory on every run`,
        'Give --dir a new or empty directory (the default is .hearth-demo). If this is an old demo directory, delete it yourself.',
      );
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'Made by `hearth demo`, which clears this directory on every run.\n');
}
