// The web server: browser automation on a real Chromium under the policy's origin allowlist.
// createServer wires the runtime (browser, sessions, saved sessions) to the tools; the browser
// starts on the first call that needs it and closes with the server.
import type { HearthConfig } from '../../shared/config.js';
import { Kernel } from '../../shared/kernel.js';
import { defineServer, type HearthServer } from '../../shared/server.js';
import { LogResources } from './log-resources.js';
import { webPrompts } from './prompts.js';
import { WebRuntime } from './runtime.js';
import { webSettings } from './settings.js';
import { webTools } from './tools/index.js';

export const INSTRUCTIONS = `Browser automation on a real Chromium, limited to the web origins the person allowed.
Start with web_navigate: it returns a short outline of the page with a ref (e.g. [ref=e12]) on every control. Act with web_click / web_type / web_select / web_check / web_press / web_hover / web_upload, targeting a ref or hints ({"label": "Email"}, {"role": "button", "name": "Send"}); each action returns only what changed. Fill a whole form with one web_fill_form call (submit: true to send it). Read more of a page with web_snapshot (focus with ref, role, text or interactive; page with cursor) and data with web_extract. Wait for slow pages with web_wait_for, not by retrying.
Sessions are isolated browser contexts: the "default" one opens by itself; open others with web_session_open, save a logged-in one with web_session_save and restore it later. Requests to origins outside the allowlist are blocked and listed in results under "!" lines; do not try to work around them — ask the person to allow the origin instead.`;

export function createServer(config: HearthConfig): HearthServer {
  const kernel = new Kernel({ config, server: 'web' });
  let runtime: WebRuntime;
  try {
    runtime = new WebRuntime(kernel, webSettings(config));
  } catch (error) {
    kernel.close();
    throw error;
  }
  return defineServer({
    name: 'web',
    instructions: INSTRUCTIONS,
    kernel,
    tools: webTools(runtime),
    prompts: webPrompts(),
    resources: [new LogResources(runtime.sessions.logsDir)],
    close: () => runtime.close(),
  });
}
