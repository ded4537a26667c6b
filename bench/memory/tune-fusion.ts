// Chooses hybrid search's keyword weight for an embedding model by measurement.
//
//   node --no-node-snapshot --import tsx bench/memory/tune-fusion.ts [--data <folder>]
//     Ingests a test collection in BEIR's format (corpus.jsonl, queries.jsonl, qrels.tsv; default:
//     SciFact's dev split at ../shared/eval/scifact-train) into a temporary memory with the
//     embedder Hearth is configured with (servers.memory.embedder), measures nDCG@10 of the default
//     search (hybrid, MMR λ 0.8, one passage per document) for keyword weights 0, 0.1, …, 1, and
//     prints the best with a split-half check and the line for servers/memory/search/fusion-weights.ts.
//
//   … --collection <name> --queries <queries.jsonl> --qrels <qrels.tsv> [--save]
//     Measures on a collection already in your memory database (your Hearth home and config, as
//     `hearth mcp memory` would use them). queries.jsonl has {"_id", "text"} per line; qrels.tsv
//     has query-id, document key, score per line, where a document's key is what search hits show
//     as `key` (an inline text's key, a file's absolute path). --save stores the weight in the
//     collection, where every later search of it uses it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { describeError } from '../../lib/errors.js';
import { PolicyEngine } from '../../policies/engine.js';
import { loadPolicy } from '../../policies/load.js';
import { createEmbedder } from '../../servers/memory/embed/factory.js';
import { Memory } from '../../servers/memory/memory.js';
import { keywordWeightOf } from '../../servers/memory/search/fusion-weights.js';
import { memorySettings } from '../../servers/memory/settings.js';
import { loadConfig } from '../../shared/config.js';
import { beirMissing, type BeirSet, loadBeir, readQueries, SCIFACT_DEV } from './beir.js';
import { evaluate, type Evaluation, ingestBeir, type JudgedQuery, type QueryScore } from './evaluate.js';
import { chooseWeight, splitHalf, type WeightChoice } from './weights.js';

const DEFAULT_LAMBDA = 0.8;
const WEIGHTS = Array.from({ length: 11 }, (_v, i) => i / 10);

async function measure(
  memory: Memory,
  queries: readonly JudgedQuery[],
  collections: readonly string[],
): Promise<{ byWeight: Map<number, QueryScore[]>; keyword: Evaluation; vector: Evaluation }> {
  const documentOf = (hit: { key: string }) => hit.key;
  const [keyword, vector, ...weighted] = await evaluate(
    memory,
    queries,
    [
      { label: 'keyword', mode: 'keyword', lambda: DEFAULT_LAMBDA, perDocument: 1 },
      { label: 'vector', mode: 'vector', lambda: DEFAULT_LAMBDA, perDocument: 1 },
      ...WEIGHTS.map((weight) => ({
        label: `w=${weight}`,
        mode: 'hybrid' as const,
        lambda: DEFAULT_LAMBDA,
        perDocument: 1,
        keywordWeight: weight,
      })),
    ],
    documentOf,
    collections,
  );
  const byWeight = new Map<number, QueryScore[]>();
  weighted.forEach((e, i) => {
    byWeight.set(WEIGHTS[i]!, e.perQuery);
    console.log(`  keyword weight ${WEIGHTS[i]!.toFixed(1)}: nDCG@10 ${e.mean.ndcg.toFixed(4)}`);
  });
  return { byWeight, keyword: keyword!, vector: vector! };
}

function report(result: Awaited<ReturnType<typeof measure>>, count: number): WeightChoice {
  const all = Array.from({ length: count }, (_v, i) => i);
  const chosen = chooseWeight(result.byWeight, all);
  console.log(`\nkeyword mode: nDCG@10 ${result.keyword.mean.ndcg.toFixed(4)}; vector mode: ${result.vector.mean.ndcg.toFixed(4)}`);
  console.log(`best keyword weight on all ${count} queries: ${chosen.weight} (hybrid nDCG@10 ${chosen.ndcg.toFixed(4)})`);
  const half = (parity: number) => all.filter((i) => i % 2 === parity);
  const on = (scores: readonly QueryScore[], queries: readonly number[]) =>
    queries.reduce((a, i) => a + scores[i]!.ndcg, 0) / queries.length;
  for (const [name, queries] of [
    ['even', half(0)],
    ['odd', half(1)],
  ] as const)
    console.log(
      `  on the ${name}-numbered half: weight ${chosen.weight} ${on(result.byWeight.get(chosen.weight)!, queries).toFixed(4)}, keyword mode ${on(result.keyword.perQuery, queries).toFixed(4)}`,
    );
  console.log('split-half check (tune on one half, score on the other):');
  for (const s of splitHalf(result.byWeight, result.keyword.perQuery, count))
    console.log(
      `  tuned on ${s.tunedOn}: weight ${s.weight} → held-out nDCG@10 ${s.heldOut.toFixed(4)} (best possible there ${s.heldOutBest.toFixed(4)}, keyword mode ${s.heldOutKeyword.toFixed(4)})`,
    );
  return chosen;
}

async function onBenchmark(folder: string): Promise<void> {
  const missing = beirMissing(folder);
  if (missing) throw new Error(`${missing}; pass --data <folder> with corpus.jsonl, queries.jsonl and qrels.tsv`);
  const set: BeirSet = loadBeir(folder, folder);
  const { config } = loadConfig();
  const work = mkdtempSync(join(tmpdir(), 'hearth-tune-'));
  try {
    const settings = { ...memorySettings(config), database: join(work, 'memory.db') };
    const { policy, source } = loadPolicy(config.policyFile, config.home);
    const embedder = createEmbedder(settings, new PolicyEngine(policy, source));
    mkdirSync(work, { recursive: true });
    const memory = new Memory(settings, embedder, () => new PolicyEngine(policy, source).jail);
    try {
      console.log(`${set.documents.length} documents, ${set.queries.length} judged queries from ${folder}; embedder ${embedder.id}`);
      const ingest = await ingestBeir(memory, set, 'tune');
      console.log(`ingested in ${ingest.seconds.toFixed(1)} s (${ingest.chunks} chunks)`);
      const result = await measure(memory, set.queries, ['tune']);
      const chosen = report(result, set.queries.length);
      console.log(
        `\nservers/memory/search/fusion-weights.ts entry:\n  '${embedder.id}': { keywordWeight: ${chosen.weight}, measured: '…' },`,
      );
    } finally {
      await memory.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function onCollection(name: string, queriesFile: string, qrelsFile: string, save: boolean): Promise<void> {
  const queries = readQueries(resolve(queriesFile), resolve(qrelsFile));
  if (queries.length === 0) throw new Error(`no query in ${queriesFile} has a judgement in ${qrelsFile}`);
  const { config } = loadConfig();
  const settings = memorySettings(config);
  const { policy, source } = loadPolicy(config.policyFile, config.home);
  const engine = new PolicyEngine(policy, source);
  const memory = new Memory(settings, createEmbedder(settings, engine), () => engine.jail);
  try {
    const collection = memory.store.collection(name);
    if (!collection) throw new Error(`there is no collection named ${JSON.stringify(name)} in ${settings.database}`);
    if (collection.embedder !== memory.embedder.id)
      throw new Error(
        `collection ${name} is embedded with ${collection.embedder}, not the configured ${memory.embedder.id}; ingest into it first`,
      );
    const current = keywordWeightOf(collection);
    console.log(
      `${queries.length} judged queries on collection ${name} (${collection.embedder}; keyword weight now ${current.weight}, ${current.source})`,
    );
    const chosen = report(await measure(memory, queries, [name]), queries.length);
    if (save) {
      memory.store.setKeywordWeight(collection.id, chosen.weight);
      console.log(`stored keyword weight ${chosen.weight} in collection ${name}`);
    } else console.log('(pass --save to store it in the collection)');
  } finally {
    await memory.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      collection: { type: 'string' },
      queries: { type: 'string' },
      qrels: { type: 'string' },
      save: { type: 'boolean', default: false },
    },
  });
  if (values.collection) {
    if (!values.queries || !values.qrels) throw new Error('--collection needs --queries <queries.jsonl> and --qrels <qrels.tsv>');
    await onCollection(values.collection, values.queries, values.qrels, values.save);
  } else await onBenchmark(values.data ? resolve(values.data) : SCIFACT_DEV);
}

main().catch((error: unknown) => {
  console.error(`tune-fusion: ${describeError(error)}`);
  process.exitCode = 1;
});
