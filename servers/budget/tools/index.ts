// The budget server's tools, in the order tools/list shows them. Each lives in its own file, named
// for the tool (without its llm_ or budget_ area), as a factory taking the server's runtime.
import type { Tool } from '../../../shared/tool.js';
import type { BudgetRuntime } from '../runtime.js';
import { estimateTool } from './estimate.js';
import { generateTool } from './generate.js';
import { ledgerTool } from './ledger.js';
import { modelsTool } from './models.js';
import { statusTool } from './status.js';

export function budgetTools(runtime: BudgetRuntime): Tool[] {
  return [generateTool(runtime), estimateTool(runtime), modelsTool(runtime), statusTool(runtime), ledgerTool(runtime)];
}
