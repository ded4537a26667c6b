// The demo's stage: a fresh data directory with sample documents (package docs that ship in
// node_modules, written by their authors, not by us), a policy that opens just that, and a real MCP
// client per server that plays the person by approving what it is asked.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

import { clearDemoDir } from './demo-dir.js';

/** Markdown docs of installed packages, used as the sample library. */
const SAMPLE_DOCS: readonly string[] = [
  'better-sqlite3/README.md',
  'pino/docs/api.md',
  'pino/docs/child-loggers.md',
  'pino/docs/redaction.md',
  'pino/docs/transports.md',
  'zod/README.md',
  'isolated-vm/README.md',
  'playwright-core/README.md',
  'papaparse/README.md',
];

export interface Stage {
  home: string;
  documents: string;
  /** Files copied into the documents folder. */
  copied: string[];
}

export function prepareStage(home: string, repo: string): Stage {
  clearDemoDir(home);
  const documents = join(home, 'documents');
  mkdirSync(documents, { recursive: true });
  const copied: string[] = [];
  for (const rel of SAMPLE_DOCS) {
    const source = join(repo, 'node_modules', rel);
    if (!existsSync(source)) continue;
    const name = `${rel.split('/')[0]}-${basename(rel)}`;
    cpSync(source, join(documents, name));
    copied.push(name);
  }
  return { home, documents, copied };
}

export function writePolicy(stage: Stage, origins: string[]): void {
  writeFileSync(
    join(stage.home, 'policy.json'),
    `${JSON.stringify({ version: 1, mode: 'draft', roots: [stage.documents], web: { origins }, outbound: { hosts: [] } }, null, 2)}\n`,
  );
}

export interface Approval {
  message: string;
}

/** Starts `hearth mcp <server>` the way this process was started, and connects a client to it. */
export async function connect(server: string, home: string, onApproval: (a: Approval) => void): Promise<Client> {
  const client = new Client({ name: 'hearth-demo', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler('elicitation/create', async (request) => {
    onApproval({ message: (request.params as { message: string }).message });
    return { action: 'accept', content: { approve: true } };
  });
  const entry = process.argv[1]!;
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [...process.execArgv, entry, 'mcp', server],
      env: { ...(process.env as Record<string, string>), HEARTH_HOME: home, HEARTH_LOG_LEVEL: 'warn' },
      stderr: 'ignore',
    }),
  );
  return client;
}
