// The memory server's domain, wired together and owned in one place: the store, the parsers, the
// embedder, ingestion, search, facts and the task log. close() releases all of it.
import type { PathJail } from '../../lib/path-jail.js';
import type { Embedder } from './embed/embedder.js';
import { Facts } from './facts.js';
import { Ingester } from './ingest/ingester.js';
import { Parsers } from './parse/parsers.js';
import { DEFAULT_ZIP_LIMITS } from './parse/zip-bounds.js';
import { Searcher } from './search/searcher.js';
import type { ResolvedSettings } from './settings.js';
import { MemoryStore } from './store/store.js';
import { TaskLog } from './tasks.js';

/** Opens the memory on the first call that needs it (see shared/on-first-use.ts). */
export type OpenMemory = () => Promise<Memory>;

export class Memory {
  readonly store: MemoryStore;
  readonly parsers: Parsers;
  readonly ingester: Ingester;
  readonly searcher: Searcher;
  readonly facts: Facts;
  readonly tasks: TaskLog;

  constructor(
    readonly settings: ResolvedSettings,
    readonly embedder: Embedder,
    readonly jail: () => PathJail,
  ) {
    this.store = new MemoryStore(settings.database);
    this.parsers = new Parsers({
      timeoutMs: settings.parseTimeoutMs,
      memoryMb: settings.parseMemoryMb,
      zip: { ...DEFAULT_ZIP_LIMITS, maxUnpackedBytes: settings.maxUnpackedBytes },
    });
    this.ingester = new Ingester({
      store: this.store,
      embedder,
      parsers: this.parsers,
      jail,
      chunking: { size: settings.chunkSize, overlap: settings.chunkOverlap },
      maxFileBytes: settings.maxFileBytes,
      maxFiles: settings.maxFilesPerCall,
    });
    this.searcher = new Searcher(this.store, embedder, settings.search);
    this.facts = new Facts(this.store, this.ingester);
    this.tasks = new TaskLog(this.ingester);
  }

  async close(): Promise<void> {
    try {
      await this.embedder.close();
    } finally {
      this.searcher.clear();
      this.store.close();
      await this.parsers.close();
    }
  }
}
