// Big messages over stdio: a message the size of the largest argument a tool takes goes through;
// one over the transport's limit gets a clean JSON-RPC error for its own request id, and the server
// keeps serving. (The SDK's transport alone ends the process on a line over its buffer.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { requestIdOf } from '../../shared/message-size.js';
import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

type Result = { isError?: boolean; structuredContent?: Record<string, unknown> };

let home: TempHome;
let memory: StdioConnection;
let code: StdioConnection;

beforeAll(async () => {
  home = tempHome('hearth-stdio-limits-');
  home.policy({ mode: 'autopilot' });
  memory = await connectStdio('orchestrator/cli.ts', ['mcp', 'memory'], { HEARTH_HOME: home.dir });
  code = await connectStdio('orchestrator/cli.ts', ['mcp', 'code'], { HEARTH_HOME: home.dir });
});

afterAll(async () => {
  await memory?.close();
  await code?.close();
  home?.cleanup();
});

async function alive(conn: StdioConnection): Promise<void> {
  const tools = await conn.client.listTools();
  expect(tools.tools.length).toBeGreaterThan(3);
}

describe('messages at and over the size limit on stdio', () => {
  it('memory_ingest with six 2,000,000-character texts: a clear INVALID_ARGUMENT, and the server lives', async () => {
    const texts = Array.from({ length: 6 }, (_, i) => ({ title: `t${i}`, text: `word${i} `.repeat(400_000).slice(0, 2_000_000) }));
    const result = (await memory.client.callTool({ name: 'memory_ingest', arguments: { texts } })) as Result;
    expect(result.isError).toBe(true);
    expect(result.structuredContent?.error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('more than 10,000,000 characters in all; send them over several calls'),
    });
    await alive(memory);
  });

  it('code_files_write of a file just under its 10 MiB limit goes through', async () => {
    const bytes = Buffer.alloc(10 * 1024 * 1024 - 1024, 0x61);
    const result = (await code.client.callTool({
      name: 'code_files_write',
      arguments: { files: [{ path: 'big.bin', content: bytes.toString('base64'), encoding: 'base64' }] },
    })) as Result;
    expect(result.isError, JSON.stringify(result).slice(0, 500)).toBeFalsy();
    expect(result.structuredContent?.written).toEqual([expect.objectContaining({ path: 'big.bin', bytes: bytes.length })]);
    await alive(code);
  });

  it('a message over the limit is answered with an error for its id; the next call works', async () => {
    const huge = 'x'.repeat(40 * 1024 * 1024);
    const refused = await code.client.callTool({ name: 'code_run', arguments: { code: `"${huge}".length` } }).then(
      () => undefined,
      (error: unknown) => error as { code?: number; message?: string },
    );
    expect(refused?.code).toBe(-32600);
    expect(refused?.message).toMatch(/over the 33554432-byte limit of this server; it was not processed/);
    await alive(code);
    const run = (await code.client.callTool({ name: 'code_run', arguments: { code: '6 * 7' } })) as Result;
    expect(run.structuredContent?.value).toBe(42);
    expect(code.stderr()).toContain('dropped a message over the size limit');
  });
});

describe('requestIdOf', () => {
  it('finds the id at the end or at the start of a request, and nothing it cannot be sure of', () => {
    expect(requestIdOf('{"method":"tools/call","params":{"a":1', '"x"}},"jsonrpc":"2.0","id":12}\n')).toBe(12);
    expect(requestIdOf('{"jsonrpc":"2.0","id":"abc-1","method":"tools/call","params":{', 'zz"}}}')).toBe('abc-1');
    expect(requestIdOf('{"method":"x","params":{"id":5,', 'more"}}}')).toBeUndefined();
  });
});
