// A real MCP client over stdio for the benchmark, counting calls and the bytes of every result.
import type { Readable } from 'node:stream';

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

export interface Counted {
  text: string;
  structured: unknown;
}

export class CountingClient {
  calls = 0;
  bytes = 0;
  private stderr = '';

  private constructor(
    private readonly client: Client,
    readonly label: string,
  ) {}

  static async spawn(label: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<CountingClient> {
    const client = new Client({ name: 'hearth-bench', version: '1.0.0' }, { capabilities: {} });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args,
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stderr: 'pipe',
    });
    const counting = new CountingClient(client, label);
    (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => {
      counting.stderr = (counting.stderr + chunk.toString('utf8')).slice(-4_000);
    });
    await client.connect(transport);
    return counting;
  }

  async call(name: string, args: Record<string, unknown>): Promise<Counted> {
    const result = await this.client.callTool({ name, arguments: args });
    this.calls++;
    this.bytes += Buffer.byteLength(JSON.stringify(result));
    const content = (result.content ?? []) as { type: string; text?: string }[];
    const text = content.map((c) => (c.type === 'text' ? (c.text ?? '') : '')).join('\n');
    if (result.isError) throw new Error(`${this.label}: ${name} failed: ${text.slice(0, 1000)}\n${this.stderr.slice(-1000)}`);
    return { text, structured: result.structuredContent };
  }

  /** Calls and bytes since the last reset. */
  take(): { calls: number; bytes: number } {
    const out = { calls: this.calls, bytes: this.bytes };
    this.calls = 0;
    this.bytes = 0;
    return out;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
