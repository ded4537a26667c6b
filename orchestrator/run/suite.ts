// The servers a run talks to: each started as `hearth mcp <server>` in its own process (the way a
// desktop client starts them), with a real MCP client connected over stdio. Their tools are listed
// once and looked up by name; a call goes to the server that owns the tool. Other MCP servers the
// person listed join the same way (other-servers.ts), their tools marked as not Hearth's.
import { Client } from '@modelcontextprotocol/client';

import { HearthError } from '../../lib/errors.js';
import { ChildProcessTransport } from './child-transport.js';
import { connectOther, functionName, type OtherServer } from './other-servers.js';

export interface SuiteTool {
  /** The name the model calls it by. */
  name: string;
  /** The name its server knows it by (differs for another server's tool: `<server>__<tool>`). */
  remoteName: string;
  server: string;
  /** Not a Hearth server: no policy, preview or audit of its own; the run gates its calls (other-call.ts). */
  other: boolean;
  description: string;
  inputSchema: Record<string, unknown>;
  /** From the tool's annotations: it reads only (runs without approval in every mode). */
  readOnly: boolean;
}

/** An approval question a server put to the person (MCP elicitation), as it arrived. */
export interface Elicitation {
  server: string;
  message: string;
}

export type ElicitationAnswer = 'approve' | 'deny';

export interface SuiteOptions {
  servers: readonly string[];
  /** How to start `hearth mcp <server>`: the Node and the arguments before `mcp`, plus arguments after the name. */
  command: string;
  prefix: string[];
  suffix: string[];
  env: Record<string, string>;
  /** A file descriptor the servers' stderr goes to (their logs), or 'ignore'. */
  stderr: number | 'ignore';
  onElicitation(request: Elicitation): Promise<ElicitationAnswer>;
  /** Other MCP servers the person listed, started alongside. */
  others?: readonly OtherServer[];
}

export interface Suite {
  tools: SuiteTool[];
  /** Other servers' tools no function name can carry (`<server>__<tool>` over 64 characters or with other signs), left out. */
  leftOut: { server: string; tool: string }[];
  client(server: string): Client;
  toolNamed(name: string): SuiteTool | undefined;
  close(): Promise<void>;
}

async function connect(server: string, options: SuiteOptions): Promise<Client> {
  const client = new Client({ name: 'hearth-run', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler('elicitation/create', async (request) => {
    const raw = (request.params as { message?: unknown }).message;
    const message = typeof raw === 'string' ? raw : '';
    const answer = await options.onElicitation({ server, message });
    return answer === 'approve' ? { action: 'accept', content: { approve: true } } : { action: 'decline' };
  });
  const transport = new ChildProcessTransport({
    command: options.command,
    args: [...options.prefix, 'mcp', server, ...options.suffix],
    env: options.env,
    stderr: options.stderr,
  });
  try {
    await client.connect(transport);
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw new HearthError(
      'INTERNAL',
      `the ${server} server did not start: ${(error as Error).message}`,
      'Run `hearth doctor`; the servers’ log is in the run folder (servers.log).',
    );
  }
  return client;
}

export async function openSuite(options: SuiteOptions): Promise<Suite> {
  const clients = new Map<string, Client>();
  const others = options.others ?? [];
  const taken = others.find((o) => options.servers.includes(o.name));
  if (taken)
    throw new HearthError(
      'CONFIG_INVALID',
      `another server is named ${taken.name}, like the suite's own`,
      'Rename it in servers.plan.servers.',
    );
  const settled = await Promise.allSettled([
    ...options.servers.map(async (name) => [name, await connect(name, options)] as const),
    ...others.map(async (o) => [o.name, await connectOther(o, options.stderr)] as const),
  ]);
  for (const s of settled) if (s.status === 'fulfilled') clients.set(s.value[0], s.value[1]);
  const close = async () => {
    await Promise.allSettled([...clients.values()].map((c) => c.close()));
  };
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  const tools: SuiteTool[] = [];
  const leftOut: Suite['leftOut'] = [];
  for (const [server, client] of clients) {
    const other = others.some((o) => o.name === server);
    const listed = await client.listTools();
    for (const t of listed.tools) {
      const name = other ? functionName(server, t.name) : t.name;
      // A name no function definition can carry is left out rather than renamed into a collision.
      if (!name) {
        leftOut.push({ server, tool: t.name });
        continue;
      }
      tools.push({
        name,
        remoteName: t.name,
        other,
        server,
        description: t.description ?? t.title ?? '',
        inputSchema: t.inputSchema,
        readOnly: t.annotations?.readOnlyHint === true,
      });
    }
  }
  return {
    tools,
    leftOut,
    client: (server) => {
      const c = clients.get(server);
      if (!c) throw new HearthError('INTERNAL', `the ${server} server is not part of this run`, 'Add it with --servers.');
      return c;
    },
    toolNamed: (name) => tools.find((t) => t.name === name),
    close,
  };
}
