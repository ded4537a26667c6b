// A retrieval test collection in BEIR's format (corpus.jsonl, queries.jsonl, qrels.tsv), read from
// where it lives (never copied into the repository). SciFact's train split, the development set
// the search is tuned on, sits at ../shared/eval/scifact-train beside a checkout.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
  /** Judged relevant document ids. */
  relevant: string[];
}

export interface BeirSet {
  name: string;
  folder: string;
  documents: BeirDocument[];
  /** Queries with at least one relevant document, in file order. */
  queries: BeirQuery[];
}

export const SCIFACT_DEV = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'eval', 'scifact-train');

const FILES = ['corpus.jsonl', 'queries.jsonl', 'qrels.tsv'];

/** Why the folder cannot be read as a BEIR set, or undefined when it can. */
export function beirMissing(folder: string): string | undefined {
  const missing = FILES.filter((f) => !existsSync(join(folder, f)));
  return missing.length ? `${folder} has no ${missing.join(', ')}` : undefined;
}

function jsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as T;
      } catch {
        throw new Error(`${file}:${i + 1}: not a JSON line`);
      }
    });
}

/** Relevance judgements: query id → document ids judged relevant (score > 0). */
export function readQrels(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    const [query, doc, score] = line.split('\t');
    if (i === 0 && query === 'query-id') continue;
    if (query === undefined || doc === undefined || score === undefined || Number.isNaN(Number(score)))
      throw new Error(`${file}:${i + 1}: expected query-id<TAB>corpus-id<TAB>score`);
    if (Number(score) <= 0) continue;
    out.set(query, [...(out.get(query) ?? []), doc]);
  }
  return out;
}

export function readQueries(queriesFile: string, qrelsFile: string): BeirQuery[] {
  const qrels = readQrels(qrelsFile);
  return jsonLines<{ _id: string; text: string }>(queriesFile)
    .filter((q) => qrels.has(String(q._id)))
    .map((q) => ({ id: String(q._id), text: q.text, relevant: qrels.get(String(q._id))! }));
}

export function loadBeir(folder: string, name: string): BeirSet {
  const documents = jsonLines<{ _id: string; title?: string; text: string }>(join(folder, 'corpus.jsonl')).map((d) => ({
    id: String(d._id),
    title: d.title ?? '',
    text: d.text,
  }));
  return { name, folder, documents, queries: readQueries(join(folder, 'queries.jsonl'), join(folder, 'qrels.tsv')) };
}
