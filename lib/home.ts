// The data directory: HEARTH_HOME, else the XDG data home (~/.local/share/hearth).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HEARTH_HOME) return resolve(env.HEARTH_HOME);
  const xdg = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(xdg, 'hearth');
}

/**
 * Where data derived from installed packages is kept (it can always be rebuilt): shared by every
 * data directory on the machine. $XDG_CACHE_HOME/hearth, else ~/.cache/hearth.
 */
export function defaultCacheHome(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(xdg, 'hearth');
}

/** Creates (if needed) and returns a folder under the data directory, private to the user. */
export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  return path;
}
