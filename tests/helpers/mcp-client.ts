// A real MCP client for end-to-end tests: spawns a server over stdio (or talks HTTP) and records
// everything the server wrote to stdout and stderr.
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

export const REPO = resolve(import.meta.dirname, '..', '..');

export type Era = 'legacy' | 'modern';

export interface ClientOptions {
  era?: Era;
  /** Answers elicitation requests; when absent the client declares no elicitation capability. */
  onElicit?: (
    message: string,
    schema: unknown,
  ) => { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean | string[]> };
}

export interface StdioConnection {
  client: Client;
  stderr(): string;
  close(): Promise<void>;
}

export function newClient(options: ClientOptions = {}): Client {
  const client = new Client(
    { name: 'hearth-tests', version: '1.0.0' },
    {
      capabilities: options.onElicit ? { elicitation: { form: {} } } : {},
      ...(options.era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  if (options.onElicit) {
    const answer = options.onElicit;
    client.setRequestHandler('elicitation/create', async (request) => {
      const params = request.params as { message: string; requestedSchema?: unknown };
      return answer(params.message, params.requestedSchema);
    });
  }
  return client;
}

/** Spawns `node [--import tsx] <entry> ...args` and connects a client over stdio. */
export async function connectStdio(
  entry: string,
  args: string[],
  env: Record<string, string>,
  options: ClientOptions = {},
): Promise<StdioConnection> {
  const client = newClient(options);
  const nodeArgs = ['--no-node-snapshot', ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), resolve(REPO, entry), ...args];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: nodeArgs,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    cwd: REPO,
    stderr: 'pipe',
  });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    close: () => client.close(),
  };
}
