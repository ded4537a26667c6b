// The memory database's schema, as versioned migrations. Vector tables are made per collection at
// run time (their dimension depends on the collection's embedder), named by vectorTable().
import type { Migration } from '../../../lib/migrations.js';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'collections, documents, chunks, full-text index, facts',
    up: `
      CREATE TABLE collections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        embedder TEXT NOT NULL,
        dimensions INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE documents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        source_key TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('file', 'inline', 'fact', 'task')),
        path TEXT,
        title TEXT NOT NULL,
        format TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        chunking TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        pages INTEGER,
        metadata TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (collection_id, source_key)
      );
      CREATE INDEX documents_path ON documents(path);
      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        text TEXT NOT NULL,
        heading TEXT,
        page INTEGER,
        line_start INTEGER,
        line_end INTEGER,
        symbol TEXT,
        UNIQUE (document_id, ord)
      );
      CREATE VIRTUAL TABLE chunk_fts USING fts5(text, title, heading, tokenize = 'porter unicode61 remove_diacritics 2');
      CREATE TABLE facts (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (namespace, key)
      );
    `,
    down: (db) => {
      const vectors = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'vec\\_c%' ESCAPE '\\' AND sql LIKE 'CREATE VIRTUAL%'")
        .all() as { name: string }[];
      for (const { name } of vectors) db.exec(`DROP TABLE "${name}"`);
      db.exec(`
      DROP TABLE facts;
      DROP TABLE chunk_fts;
      DROP TABLE chunks;
      DROP TABLE documents;
      DROP TABLE collections;
    `);
    },
  },
  {
    version: 2,
    name: 'collection revisions, full-text vocabulary',
    up: `
      ALTER TABLE collections ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
      CREATE VIRTUAL TABLE chunk_fts_terms USING fts5vocab(chunk_fts, 'row');
    `,
    down: `
      DROP TABLE chunk_fts_terms;
      ALTER TABLE collections DROP COLUMN revision;
    `,
  },
  {
    version: 3,
    name: "a collection's fusion weight, measured for its embedder",
    // NULL: the weight measured for the collection's embedder (search/fusion-weights.ts).
    up: 'ALTER TABLE collections ADD COLUMN keyword_weight REAL CHECK (keyword_weight BETWEEN 0 AND 1)',
    down: 'ALTER TABLE collections DROP COLUMN keyword_weight',
  },
];

export function vectorTable(collectionId: number): string {
  return `vec_c${collectionId}`;
}
