// Versioned, transactional schema migrations with down-migrations. The applied version lives in
// SQLite's user_version; each step runs in its own IMMEDIATE transaction so two processes opening
// the same database at once never apply a step twice.
import type { Db } from './sqlite.js';

export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Db) => void);
  down: string | ((db: Db) => void);
}

function apply(db: Db, step: string | ((db: Db) => void)): void {
  if (typeof step === 'string') db.exec(step);
  else step(db);
}

function check(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}; versions must be 1..n in order`);
  });
}

export function currentVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the database to `target` (default: the latest), up or down. Returns the final version. */
export function migrate(db: Db, migrations: readonly Migration[], target = migrations.length): number {
  check(migrations);
  if (target < 0 || target > migrations.length) throw new Error(`migration target ${target} is outside 0..${migrations.length}`);
  for (;;) {
    const moved = db
      .transaction(() => {
        const version = currentVersion(db);
        if (version > migrations.length) {
          throw new Error(`database schema version ${version} is newer than this Hearth (${migrations.length}); upgrade Hearth`);
        }
        if (version === target) return false;
        if (version < target) {
          const step = migrations[version]!;
          apply(db, step.up);
          db.pragma(`user_version = ${version + 1}`);
        } else {
          const step = migrations[version - 1]!;
          apply(db, step.down);
          db.pragma(`user_version = ${version - 1}`);
        }
        return true;
      })
      .immediate();
    if (!moved) return currentVersion(db);
  }
}
