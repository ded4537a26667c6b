// The memory server's tools, in the order tools/list shows them. Each lives in its own file, named
// for the tool, as a factory taking the server's domain object.
import type { Tool } from '../../../shared/tool.js';
import type { OpenMemory } from '../memory.js';
import { deleteTool } from './delete.js';
import { forgetTool } from './forget.js';
import { getTool } from './get.js';
import { ingestTool } from './ingest.js';
import { listTool } from './list.js';
import { logTaskTool } from './log-task.js';
import { recallTool } from './recall.js';
import { rememberTool } from './remember.js';
import { searchTool } from './search.js';

export function memoryTools(memory: OpenMemory): Tool[] {
  return [
    ingestTool(memory),
    searchTool(memory),
    getTool(memory),
    listTool(memory),
    deleteTool(memory),
    rememberTool(memory),
    recallTool(memory),
    forgetTool(memory),
    logTaskTool(memory),
  ];
}
