// The MCP servers a person lists besides the suite's own — in the config under servers.plan.servers
// with "hearth": false, the one list both plans and `hearth run` reach. Each is started over stdio
// (or reached over Streamable HTTP) with a real MCP client. Their tools are offered to the model as
// `<server>__<tool>` (a function name allows no dot; plans write `<server>.<tool>`).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { HearthError } from '../../lib/errors.js';
import { planSettings, type SiblingSettings } from '../../servers/plan/settings.js';
import type { HearthConfig } from '../../shared/config.js';
import { ChildProcessTransport } from './child-transport.js';

export interface OtherServer {
  name: string;
  settings: SiblingSettings;
}

/** A function name the model may call: letters, digits, _ and -, at most 64 characters. */
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export function functionName(server: string, tool: string): string | undefined {
  const name = `${server}__${tool}`;
  return FUNCTION_NAME.test(name) ? name : undefined;
}

/** The servers listed as not Hearth's own; a config that does not validate is the plan server's error, shown as is. */
export function otherServers(config: HearthConfig): OtherServer[] {
  if (!config.servers.plan) return [];
  return Object.entries(planSettings(config).servers)
    .filter(([, s]) => !s.hearth)
    .map(([name, settings]) => ({ name, settings }));
}

/**
 * Connects to one such server. It gets no secrets from Hearth's environment — only PATH and HOME
 * and the env the person gave it — and its stderr goes to the run's server log. It may not ask the
 * person anything (no elicitation capability): Hearth's approvals are Hearth's.
 */
export async function connectOther(server: OtherServer, stderr: number | 'ignore'): Promise<Client> {
  const client = new Client({ name: 'hearth-run', version: '1.0.0' }, { capabilities: {} });
  const s = server.settings;
  const transport = s.url
    ? new StreamableHTTPClientTransport(new URL(s.url), s.token ? { requestInit: { headers: { authorization: `Bearer ${s.token}` } } } : {})
    : new ChildProcessTransport({
        command: s.command!,
        args: s.args,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...s.env },
        cwd: s.cwd,
        stderr,
      });
  try {
    await client.connect(transport);
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw new HearthError(
      'UNAVAILABLE',
      `the ${server.name} server (servers.plan.servers.${server.name} in the config) did not start: ${(error as Error).message}`,
      'Check its command or url in the config; its log is in the run folder (servers.log).',
    );
  }
  return client;
}
