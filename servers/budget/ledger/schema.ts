// The budget database: the ledger (one row per model attempt or cache hit), its running sums, the
// limits tools have tightened per task, and the answer cache. Several server processes share it.
import type { Migration } from '../../../lib/migrations.js';

export const BUDGET_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger, sums, task limits, answer cache',
    up: `
      -- A row is a hold (state 'held': the worst case is reserved) until it is settled at what was
      -- really used. Amounts are integers: tokens, micro-dollars, milliseconds of model time.
      CREATE TABLE ledger (
        id INTEGER PRIMARY KEY,
        call_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        at INTEGER NOT NULL,
        task TEXT,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('call', 'cache-hit')),
        state TEXT NOT NULL CHECK (state IN ('held', 'settled')),
        outcome TEXT,
        reserved_tokens INTEGER NOT NULL,
        reserved_micros INTEGER NOT NULL,
        reserved_ms INTEGER NOT NULL,
        input_tokens INTEGER,
        output_tokens INTEGER,
        tokens INTEGER,
        micros INTEGER,
        ms INTEGER,
        expires_at INTEGER NOT NULL,
        settled_at INTEGER,
        correlation_id TEXT,
        error TEXT
      );
      CREATE INDEX ledger_at ON ledger (at);
      CREATE INDEX ledger_task ON ledger (task, at) WHERE task IS NOT NULL;
      CREATE INDEX ledger_held ON ledger (at) WHERE state = 'held';

      -- Spend (settled amounts plus held reservations) per 15-minute UTC bucket. Every time zone's
      -- offset is a multiple of 15 minutes, so any local day or month is a whole range of buckets.
      CREATE TABLE spend_buckets (
        bucket INTEGER PRIMARY KEY,
        tokens INTEGER NOT NULL,
        micros INTEGER NOT NULL,
        ms INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE task_totals (
        task TEXT PRIMARY KEY,
        tokens INTEGER NOT NULL,
        micros INTEGER NOT NULL,
        ms INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- Limits a tool tightened for a task. They only ever go down.
      CREATE TABLE task_limits (
        task TEXT PRIMARY KEY,
        tokens INTEGER,
        micros INTEGER,
        ms INTEGER,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE answer_cache (
        key TEXT PRIMARY KEY,
        answer TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        hits INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE INDEX answer_cache_created ON answer_cache (created_at);
    `,
    down: `
      DROP TABLE answer_cache;
      DROP TABLE task_limits;
      DROP TABLE task_totals;
      DROP TABLE spend_buckets;
      DROP TABLE ledger;
    `,
  },
];
