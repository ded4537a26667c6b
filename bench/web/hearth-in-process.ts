// Hearth's web server in the benchmark's own process, through an in-memory MCP transport: the same
// tools and browser work as over stdio, without the second process. The difference between the two
// rows is what the process boundary and the pipe cost on this machine.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { Client, InMemoryTransport } from '@modelcontextprotocol/client';

import { createServer } from '../../servers/web/index.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import { type Applicant, checkConfirmation, type Contestant, type RunCost } from './flow.js';
import { fillArgs } from './hearth.js';

export function hearthInProcessContestant(options: {
  home: string;
  origin: string;
  data: Applicant;
  expected: string[];
  executablePath: string;
}): Contestant {
  let server: HearthServer | undefined;
  let client: Client | undefined;
  let calls = 0;
  let bytes = 0;

  async function call(name: string, args: Record<string, unknown>): Promise<string> {
    const result = await client!.callTool({ name, arguments: args });
    calls++;
    bytes += Buffer.byteLength(JSON.stringify(result));
    const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
    if (result.isError) throw new Error(`hearth in-process: ${name} failed: ${text}`);
    return text;
  }

  async function task(): Promise<RunCost> {
    await call('web_navigate', { url: `${options.origin}/apply.html` });
    checkConfirmation('hearth in-process', await call('web_fill_form', fillArgs(options.data)), options.expected);
    const cost = { calls, bytes };
    calls = 0;
    bytes = 0;
    return cost;
  }

  return {
    name: 'Hearth web (in-process)',
    async setup() {
      writeFileSync(
        join(options.home, 'policy.json'),
        JSON.stringify({ version: 1, mode: 'autopilot', web: { origins: [options.origin] }, roots: [dirname(options.data.resume)] }),
      );
      const { config } = loadConfig(
        { home: options.home, logLevel: 'warn', set: [`servers.web.executablePath=${options.executablePath}`] },
        { HEARTH_HOME: options.home },
      );
      server = createServer(config);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect('in-process').connect(serverSide);
      client = new Client({ name: 'hearth-bench', version: '1.0.0' }, { capabilities: {} });
      await client.connect(clientSide);
      await task();
    },
    run: task,
    async close() {
      await client?.close();
      await server?.close();
    },
  };
}
