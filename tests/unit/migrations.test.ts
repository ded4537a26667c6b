import { join } from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { currentVersion, migrate, type Migration } from '../../lib/migrations.js';
import { openDatabase } from '../../lib/sqlite.js';
import { KERNEL_MIGRATIONS } from '../../shared/kernel-db.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let t: TempHome;
beforeEach(() => (t = tempHome()));
afterEach(() => t.cleanup());

const tables = (db: ReturnType<typeof openDatabase>) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

it('opens with WAL, a busy timeout and foreign keys', () => {
  const db = openDatabase(join(t.dir, 'x.db'));
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  db.close();
});

it('migrates the kernel schema up and all the way down again', () => {
  const db = openDatabase(join(t.dir, 'k.db'));
  expect(migrate(db, KERNEL_MIGRATIONS)).toBe(KERNEL_MIGRATIONS.length);
  expect(tables(db)).toEqual(['approvals', 'artifacts', 'audit', 'idempotency']);
  expect(migrate(db, KERNEL_MIGRATIONS, 1)).toBe(1);
  expect(tables(db)).toEqual(['audit']);
  expect(migrate(db, KERNEL_MIGRATIONS, 0)).toBe(0);
  expect(tables(db)).toEqual([]);
  db.close();
});

it('a failing step rolls back entirely and leaves the version where it was', () => {
  const steps: Migration[] = [
    { version: 1, name: 'one', up: 'CREATE TABLE a (x)', down: 'DROP TABLE a' },
    { version: 2, name: 'broken', up: 'CREATE TABLE b (x); INSERT INTO nowhere VALUES (1)', down: 'DROP TABLE b' },
  ];
  const db = openDatabase(join(t.dir, 'm.db'));
  expect(() => migrate(db, steps)).toThrow(/nowhere/);
  expect(currentVersion(db)).toBe(1);
  expect(tables(db)).toEqual(['a']);
  db.close();
});

it('refuses a database newer than the code', () => {
  const db = openDatabase(join(t.dir, 'n.db'));
  db.pragma('user_version = 9');
  expect(() => migrate(db, KERNEL_MIGRATIONS)).toThrow(/newer than this Hearth/);
  db.close();
});
