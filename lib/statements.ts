// Statements compiled once per database connection. Compiling is most of a small statement's cost,
// and the kernel's audit rows and idempotency keys, and a plan's journal, run the same few
// statements on every call.
import type Database from 'better-sqlite3';

import type { Db } from './sqlite.js';

export class Statements {
  private readonly compiled = new Map<string, Database.Statement<unknown[]>>();

  constructor(private readonly db: Db) {}

  get(sql: string): Database.Statement<unknown[]> {
    let statement = this.compiled.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.compiled.set(sql, statement);
    }
    return statement;
  }

  clear(): void {
    this.compiled.clear();
  }
}
