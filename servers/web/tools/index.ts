// The web server's tools, in the order tools/list shows them. Each lives in its own file, named for
// the tool, as a factory taking the server's runtime; tools that work on a tab are made with
// defineTabTool or defineWebAction (../tab-tool.ts).
import type { Tool } from '../../../shared/tool.js';
import type { WebRuntime } from '../runtime.js';
import { backTool } from './back.js';
import { checkTool } from './check.js';
import { clickTool } from './click.js';
import { extractTool } from './extract.js';
import { fillFormTool } from './fill-form.js';
import { hoverTool } from './hover.js';
import { navigateTool } from './navigate.js';
import { pressTool } from './press.js';
import { requestTool } from './request.js';
import { screenshotTool } from './screenshot.js';
import { selectTool } from './select.js';
import { sessionCloseTool } from './session-close.js';
import { sessionListTool } from './session-list.js';
import { sessionOpenTool } from './session-open.js';
import { sessionSaveTool } from './session-save.js';
import { snapshotTool } from './snapshot.js';
import { tabsTool } from './tabs.js';
import { typeTool } from './type.js';
import { uploadTool } from './upload.js';
import { waitForTool } from './wait-for.js';

export function webTools(runtime: WebRuntime): Tool[] {
  return [
    sessionOpenTool(runtime),
    sessionCloseTool(runtime),
    sessionListTool(runtime),
    sessionSaveTool(runtime),
    navigateTool(runtime),
    backTool(runtime),
    tabsTool(runtime),
    snapshotTool(runtime),
    clickTool(runtime),
    typeTool(runtime),
    selectTool(runtime),
    checkTool(runtime),
    pressTool(runtime),
    uploadTool(runtime),
    hoverTool(runtime),
    fillFormTool(runtime),
    waitForTool(runtime),
    extractTool(runtime),
    screenshotTool(runtime),
    requestTool(runtime),
  ];
}
