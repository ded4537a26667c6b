// The memory server: long-term memory for an assistant — documents, hybrid search, facts and task
// history in one SQLite file (see docs/servers/memory.md).
import type { HearthConfig } from '../../shared/config.js';
import { Kernel } from '../../shared/kernel.js';
import { OnFirstUse } from '../../shared/on-first-use.js';
import { defineServer, type HearthServer } from '../../shared/server.js';
import type { Embedder } from './embed/embedder.js';
import { createEmbedder } from './embed/factory.js';
import type { Memory } from './memory.js';
import { memoryPrompts } from './prompts.js';
import { memorySettings } from './settings.js';
import { memoryTools } from './tools/index.js';

const INSTRUCTIONS = `Long-term memory over the person's own documents, facts and task history.
- memory_ingest stores files/folders (Markdown, text, HTML, PDF, DOCX, TS/JS/Python) or inline text in a collection; re-running it only processes what changed.
- memory_search finds passages (hybrid keyword + semantic by default) and cites title, path, heading, page and lines; memory_get reads a passage or document whole.
- memory_remember / memory_recall / memory_forget keep key/value facts per namespace.
- memory_log_task records how a task went; search collection "_tasks" to learn from earlier tasks.
- memory_list shows collections and documents; memory_delete removes them (never files on disk).`;

export function createServer(config: HearthConfig): HearthServer {
  const settings = memorySettings(config);
  const kernel = new Kernel({ config, server: 'memory' });
  let memory: OnFirstUse<Memory>;
  let embedder: Embedder;
  try {
    // Settings and the embedder's policy checks stay at start, so a bad configuration stops the server
    // with its message; the store, parsers and indexes open on the first call that needs them.
    embedder = createEmbedder(settings, kernel.policy);
    memory = new OnFirstUse(
      'the memory store',
      async () => {
        const { Memory } = await import('./memory.js');
        return new Memory(settings, embedder, () => kernel.policy.jail);
      },
      (opened) => opened.close(),
    );
  } catch (error) {
    kernel.close();
    throw error;
  }
  return defineServer({
    name: 'memory',
    instructions: INSTRUCTIONS,
    kernel,
    tools: memoryTools(() => memory.get()),
    prompts: memoryPrompts(),
    // The memory closes its embedder; one never opened leaves the embedder to close here.
    close: async () => {
      if (!(await memory.close())) await embedder.close();
    },
  });
}
