// What the full-text index knows about its words and rows, read cheaply: how many rows a word
// occurs in (from the fts5vocab table), and the row count and average row length — the numbers
// FTS5's bm25() uses, from its averages record (`<table>_data`, id 1: varints for the row count and
// the token total of each column; SQLite's on-disk format, which it keeps readable for old database
// files; a record that does not decode as expected reads as unavailable and callers fall back).
// What was read is remembered until the database changes.
import type Database from 'better-sqlite3';
import { stemmer } from 'stemmer';

import type { Db } from '../../../lib/sqlite.js';

type Statement = Database.Statement<unknown[]>;

/** FTS5's porter tokenizer leaves tokens shorter than 3 or longer than 64 bytes as they are. */
const PORTER_MIN = 3;
const PORTER_MAX = 64;
/** Bounds the remembered document frequencies between two database changes. */
const MAX_REMEMBERED = 20_000;

/** A word as `porter unicode61 remove_diacritics 2` indexes it: folded, lower-case, Porter-stemmed. */
export function indexedForm(word: string): string {
  const folded = /[^\x00-\x7f]/.test(word) ? word.normalize('NFD').replace(/\p{M}/gu, '') : word;
  const lower = folded.toLowerCase();
  const bytes = Buffer.byteLength(lower);
  return bytes < PORTER_MIN || bytes > PORTER_MAX ? lower : stemmer(lower);
}

/** SQLite's variable-length integers (big-endian groups of 7 bits; a 9th byte carries 8). */
export function readVarints(blob: Uint8Array): number[] | undefined {
  const out: number[] = [];
  let i = 0;
  while (i < blob.length) {
    let value = 0;
    let n = 0;
    for (;;) {
      if (i >= blob.length) return undefined;
      const byte = blob[i++]!;
      if (n === 8) {
        value = value * 256 + byte;
        break;
      }
      value = value * 128 + (byte & 0x7f);
      n++;
      if ((byte & 0x80) === 0) break;
    }
    out.push(value);
  }
  return out;
}

export interface IndexTotals {
  rows: number;
  /** Average tokens per row over all columns, as bm25() computes it. */
  averageLength: number;
}

export class FtsStats {
  private version = '';
  private readonly frequencies = new Map<string, number>();
  private totalsCache: IndexTotals | null | undefined;
  private readonly versionStmt: Statement;
  private readonly vocabStmt: Statement;
  private readonly averagesStmt: Statement;

  constructor(db: Db, table = 'chunk_fts', vocabulary = 'chunk_fts_terms') {
    // data_version moves when another connection commits; total_changes() when this one writes.
    this.versionStmt = db.prepare('SELECT (SELECT data_version FROM pragma_data_version) AS v, total_changes() AS c');
    this.vocabStmt = db.prepare(`SELECT doc FROM "${vocabulary}" WHERE term = ?`);
    this.averagesStmt = db.prepare(`SELECT block FROM "${table}_data" WHERE id = 1`);
  }

  /** Forgets what was read if the database changed since; call once per search. */
  refresh(): void {
    const { v, c } = this.versionStmt.get() as { v: number; c: number };
    const version = `${v}:${c}`;
    if (version === this.version) return;
    this.version = version;
    this.frequencies.clear();
    this.totalsCache = undefined;
  }

  /** Rows the word (in its indexed form) occurs in. */
  documentFrequency(form: string): number {
    let df = this.frequencies.get(form);
    if (df === undefined) {
      df = (this.vocabStmt.get(form) as { doc: number } | undefined)?.doc ?? 0;
      if (this.frequencies.size >= MAX_REMEMBERED) this.frequencies.clear();
      this.frequencies.set(form, df);
    }
    return df;
  }

  /** Row count and average length, or undefined when the averages record cannot be read. */
  totals(): IndexTotals | undefined {
    if (this.totalsCache === undefined) {
      const row = this.averagesStmt.get() as { block: Buffer } | undefined;
      const numbers = row && readVarints(row.block);
      this.totalsCache =
        numbers && numbers.length >= 2 && numbers[0]! > 0
          ? { rows: numbers[0]!, averageLength: numbers.slice(1).reduce((a, b) => a + b, 0) / numbers[0]! }
          : null;
    }
    return this.totalsCache ?? undefined;
  }
}
