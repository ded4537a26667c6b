// The code server: sandboxed JavaScript (isolated-vm isolates inside sandbox processes) with
// persistent sessions, jailed workspaces, a test runner, packaging and helpers for CSV and charts.
import { join } from 'node:path';

import type { HearthConfig } from '../../shared/config.js';
import { Kernel } from '../../shared/kernel.js';
import { defineServer, type HearthServer } from '../../shared/server.js';
import { outboundFetch } from './net/outbound-fetch.js';
import { codePrompts } from './prompts.js';
import { WorkspaceResources } from './resources.js';
import type { CodeRuntime } from './runtime.js';
import { SessionManager } from './sessions/session-manager.js';
import { codeSettings } from './settings.js';
import { codeTools } from './tools/index.js';

const INSTRUCTIONS = `Hearth code runs JavaScript in a sandbox on this machine: V8 isolates with time, CPU and memory limits, no access to the machine beyond a workspace folder, and no network unless the person's policy names hosts.
- code_run runs code and returns output, the last value and the files it changed. Leave out \`session\` for a one-shot run; open a session (code_session_open) to keep variables between runs.
- Move files in and out with code_files_write / code_files_read / code_files_list / code_files_delete; code reads them with workspace.readText etc. Files a run writes come back as resource links.
- Inside the sandbox: csv (parse CSV), stats (summaries), chart (SVG bar/line/scatter/pie), table.markdown, fetch, assert.
- code_test checks code against tests; code_package zips workspace files into a downloadable resource.`;

export function createServer(config: HearthConfig): HearthServer {
  const kernel = new Kernel({ config, server: 'code' });
  const settings = codeSettings(config);
  const outbound = { allowed: (host: string) => kernel.policy.outboundAllowed(host) };
  const fetchLimits = { timeoutMs: settings.fetchTimeoutMs, maxBytes: settings.fetchMaxBytes, maxRedirects: settings.fetchMaxRedirects };
  const sessions = new SessionManager({
    settings,
    workspacesRoot: join(config.home, 'code', 'workspaces'),
    log: kernel.log.child({ component: 'sandbox' }),
    fetcher: (request, deadline, signal) => outboundFetch(request, outbound, fetchLimits, deadline, signal),
  });
  const runtime: CodeRuntime = { settings, sessions, kernel };
  return defineServer({
    name: 'code',
    instructions: INSTRUCTIONS,
    kernel,
    tools: codeTools(runtime),
    prompts: codePrompts(),
    resources: [new WorkspaceResources(sessions)],
    close: () => sessions.closeAll(),
  });
}
