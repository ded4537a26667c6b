// The kernel's own database (<home>/hearth.db): the audit log, the approval queue, artifacts and
// the results remembered under idempotency keys.
// Shared by every server process on the machine, so it relies on WAL and the busy timeout.
import { join } from 'node:path';

import { migrate, type Migration } from '../lib/migrations.js';
import { type Db, openDatabase } from '../lib/sqlite.js';

export const KERNEL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'audit log',
    up: `CREATE TABLE audit (
           id INTEGER PRIMARY KEY,
           ts TEXT NOT NULL,
           correlation_id TEXT NOT NULL,
           server TEXT NOT NULL,
           tool TEXT NOT NULL,
           client TEXT NOT NULL,
           effect TEXT NOT NULL,
           mode TEXT NOT NULL,
           decision TEXT NOT NULL,
           args TEXT NOT NULL,
           outcome TEXT NOT NULL,
           error_code TEXT,
           summary TEXT NOT NULL,
           duration_ms INTEGER NOT NULL,
           prev_hash TEXT NOT NULL,
           hash TEXT NOT NULL
         );
         CREATE INDEX audit_tool ON audit(server, tool);`,
    down: 'DROP TABLE audit;',
  },
  {
    version: 2,
    name: 'approval queue',
    up: `CREATE TABLE approvals (
           id TEXT PRIMARY KEY,
           created_at TEXT NOT NULL,
           expires_at TEXT NOT NULL,
           server TEXT NOT NULL,
           tool TEXT NOT NULL,
           client TEXT NOT NULL,
           args_hash TEXT NOT NULL,
           args TEXT NOT NULL,
           preview TEXT NOT NULL,
           status TEXT NOT NULL CHECK (status IN ('pending','approved','denied','consumed','expired')),
           decided_at TEXT,
           decided_by TEXT,
           reason TEXT,
           consumed_at TEXT,
           correlation_id TEXT NOT NULL
         );
         CREATE INDEX approvals_lookup ON approvals(server, tool, args_hash, status);`,
    down: 'DROP TABLE approvals;',
  },
  {
    version: 3,
    name: 'artifacts',
    up: `CREATE TABLE artifacts (
           id TEXT PRIMARY KEY,
           server TEXT NOT NULL,
           name TEXT NOT NULL,
           mime_type TEXT NOT NULL,
           bytes INTEGER NOT NULL,
           description TEXT,
           file TEXT NOT NULL,
           created_at TEXT NOT NULL
         );
         CREATE INDEX artifacts_server ON artifacts(server, created_at);`,
    down: 'DROP TABLE artifacts;',
  },
  {
    version: 4,
    name: 'idempotency keys',
    up: `CREATE TABLE idempotency (
           server TEXT NOT NULL,
           key TEXT NOT NULL,
           tool TEXT NOT NULL,
           args_hash TEXT NOT NULL,
           state TEXT NOT NULL CHECK (state IN ('running','done')),
           pid INTEGER NOT NULL,
           result TEXT,
           created_at TEXT NOT NULL,
           finished_at TEXT,
           PRIMARY KEY (server, key)
         );`,
    down: 'DROP TABLE idempotency;',
  },
  {
    version: 5,
    name: 'idempotency keys whose outcome is unknown',
    up: `CREATE TABLE idempotency_next (
           server TEXT NOT NULL,
           key TEXT NOT NULL,
           tool TEXT NOT NULL,
           args_hash TEXT NOT NULL,
           state TEXT NOT NULL CHECK (state IN ('running','done','unknown')),
           pid INTEGER NOT NULL,
           result TEXT,
           created_at TEXT NOT NULL,
           finished_at TEXT,
           PRIMARY KEY (server, key)
         );
         INSERT INTO idempotency_next SELECT * FROM idempotency;
         DROP TABLE idempotency;
         ALTER TABLE idempotency_next RENAME TO idempotency;`,
    // Back down, an unknown outcome stays a claim that is never settled: a repeat is still refused.
    down: `CREATE TABLE idempotency_prev (
             server TEXT NOT NULL,
             key TEXT NOT NULL,
             tool TEXT NOT NULL,
             args_hash TEXT NOT NULL,
             state TEXT NOT NULL CHECK (state IN ('running','done')),
             pid INTEGER NOT NULL,
             result TEXT,
             created_at TEXT NOT NULL,
             finished_at TEXT,
             PRIMARY KEY (server, key)
           );
           INSERT INTO idempotency_prev
             SELECT server, key, tool, args_hash, CASE state WHEN 'unknown' THEN 'running' ELSE state END, pid, result, created_at, finished_at
             FROM idempotency;
           DROP TABLE idempotency;
           ALTER TABLE idempotency_prev RENAME TO idempotency;`,
  },
];

export function openKernelDb(home: string): Db {
  const db = openDatabase(join(home, 'hearth.db'));
  migrate(db, KERNEL_MIGRATIONS);
  return db;
}
