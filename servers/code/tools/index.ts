// The code server's tools, in the order tools/list shows them. Each lives in its own file, named
// for the tool, as a factory taking the server's runtime.
import type { Tool } from '../../../shared/tool.js';
import type { CodeRuntime } from '../runtime.js';
import { filesDeleteTool } from './files-delete.js';
import { filesListTool } from './files-list.js';
import { filesReadTool } from './files-read.js';
import { filesWriteTool } from './files-write.js';
import { packageTool } from './package.js';
import { runTool } from './run.js';
import { sessionCloseTool } from './session-close.js';
import { sessionListTool } from './session-list.js';
import { sessionOpenTool } from './session-open.js';
import { testTool } from './test.js';

export function codeTools(code: CodeRuntime): Tool[] {
  return [
    runTool(code),
    sessionOpenTool(code),
    sessionCloseTool(code),
    sessionListTool(code),
    filesWriteTool(code),
    filesReadTool(code),
    filesListTool(code),
    filesDeleteTool(code),
    testTool(code),
    packageTool(code),
  ];
}
