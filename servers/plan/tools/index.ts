// The plan server's tools, in the order tools/list shows them. Each lives in its own file, named for
// the tool without its plan_ area, as a factory taking the server's runtime.
import type { Tool } from '../../../shared/tool.js';
import type { PlanRuntime } from '../runtime.js';
import { cancelTool } from './cancel.js';
import { listTool } from './list.js';
import { playbooksTool } from './playbooks.js';
import { resumeTool } from './resume.js';
import { runTool } from './run.js';
import { saveTool } from './save.js';
import { simulateTool } from './simulate.js';
import { statusTool } from './status.js';
import { validateTool } from './validate.js';

export function planTools(runtime: PlanRuntime): Tool[] {
  return [
    validateTool(runtime),
    simulateTool(runtime),
    runTool(runtime),
    statusTool(runtime),
    listTool(runtime),
    cancelTool(runtime),
    resumeTool(runtime),
    saveTool(runtime),
    playbooksTool(runtime),
  ];
}
