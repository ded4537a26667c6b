// Saved sessions: a browser context's storage state (cookies and local storage) kept as a private
// file (mode 0600, folder 0700) under <home>/web/sessions/, so a later session can start logged in.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as z from 'zod';

import { HearthError, invalidArgument } from '../../lib/errors.js';

export const SAVED_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const Cookie = z
  .object({
    name: z.string(),
    value: z.string(),
    domain: z.string(),
    path: z.string(),
    expires: z.number(),
    httpOnly: z.boolean(),
    secure: z.boolean(),
    sameSite: z.enum(['Strict', 'Lax', 'None']),
  })
  .loose();

export const StorageState = z.object({
  cookies: z.array(Cookie),
  origins: z.array(z.object({ origin: z.string(), localStorage: z.array(z.object({ name: z.string(), value: z.string() })) }).loose()),
});
export type StorageState = z.infer<typeof StorageState>;

export interface SavedInfo {
  name: string;
  savedAt: string;
  cookies: number;
  origins: string[];
}

export function summarize(state: StorageState): { cookies: number; origins: string[] } {
  const origins = new Set<string>();
  for (const c of state.cookies) origins.add(c.domain.replace(/^\./, ''));
  for (const o of state.origins) {
    try {
      origins.add(new URL(o.origin).host);
    } catch {
      origins.add(o.origin);
    }
  }
  return { cookies: state.cookies.length, origins: [...origins].sort() };
}

export class SavedSessions {
  constructor(readonly dir: string) {}

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }

  file(name: string, field = 'name'): string {
    if (!SAVED_NAME.test(name))
      throw invalidArgument(
        field,
        `${JSON.stringify(name)} is not a valid saved-session name`,
        'Use 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit.',
      );
    return join(this.dir, `${name}.json`);
  }

  exists(name: string): boolean {
    return existsSync(this.file(name));
  }

  /** Writes the state whole (temp file + rename), readable by the owner only. */
  save(name: string, state: StorageState): { path: string; cookies: number; origins: string[] } {
    const path = this.file(name);
    this.ensureDir();
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
    return { path, ...summarize(state) };
  }

  load(name: string, field = 'restore'): StorageState {
    const path = this.file(name, field);
    if (!existsSync(path)) {
      const known = this.list().map((s) => s.name);
      throw new HearthError(
        'NOT_FOUND',
        `${field}: there is no saved session named ${name}`,
        known.length ? `Saved sessions: ${known.join(', ')}.` : 'Save one first with web_session_save.',
        { details: { field } },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new HearthError(
        'INVALID_ARGUMENT',
        `${field}: the saved session ${name} is not valid JSON`,
        `Delete ${path} and save the session again.`,
        { details: { field } },
      );
    }
    const state = StorageState.safeParse(parsed);
    if (!state.success)
      throw new HearthError(
        'INVALID_ARGUMENT',
        `${field}: the saved session ${name} is not a storage state file`,
        `Delete ${path} and save the session again.`,
        { details: { field } },
      );
    return state.data;
  }

  list(): SavedInfo[] {
    if (!existsSync(this.dir)) return [];
    const out: SavedInfo[] = [];
    for (const entry of readdirSync(this.dir)) {
      if (!entry.endsWith('.json')) continue;
      const name = entry.slice(0, -'.json'.length);
      if (!SAVED_NAME.test(name)) continue;
      try {
        const file = join(this.dir, entry);
        const state = StorageState.parse(JSON.parse(readFileSync(file, 'utf8')));
        out.push({ name, savedAt: statSync(file).mtime.toISOString(), ...summarize(state) });
      } catch {
        // A damaged file is skipped here; loading it by name says what is wrong.
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }
}
