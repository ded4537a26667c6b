// Opening SQLite the same way everywhere: WAL, a busy timeout so concurrent processes wait
// instead of failing, foreign keys on, and synchronous=NORMAL (safe under WAL). The native module
// loads on the first open, so a module that only names these types (or a server that has not
// opened a database yet) does not pay for it.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

import type Database from 'better-sqlite3';

import { ensureDir } from './home.js';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Milliseconds a writer waits for the lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') ensureDir(dirname(file));
  const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  const db = new Sqlite(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  return db;
}
