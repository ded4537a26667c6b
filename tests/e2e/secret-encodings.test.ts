// A configured secret inside longer data, encoded as base64 (at each of its three alignments),
// base64url or hex, never leaves a server through any output path: a code_run value, a workspace
// file read as base64 and as a resource, a web_request binary body stored as a resource, the
// audit rows. The check decodes every base64 and hex run it finds, at every offset, so it does not
// trust the redactor's own idea of what the encodings look like.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

import { InMemoryTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createServer as createCodeServer } from '../../servers/code/index.js';
import { createServer as createWebServer } from '../../servers/web/index.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import { newClient } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const SECRET = 'sekrit-Value-42';
const SECRET_BYTES = Buffer.from(SECRET);

/** Whether `text` holds the secret: as-is, or in any base64, base64url or hex run, at any offset. */
function holdsSecret(text: string): boolean {
  if (text.includes(SECRET)) return true;
  for (const run of text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? [])
    for (let offset = 0; offset < 4; offset++) {
      const part = run.slice(offset);
      if (Buffer.from(part, 'base64').includes(SECRET_BYTES) || Buffer.from(part, 'base64url').includes(SECRET_BYTES)) return true;
    }
  for (const run of text.match(/[0-9a-fA-F]{12,}/g) ?? [])
    for (let offset = 0; offset < 2; offset++) if (Buffer.from(run.slice(offset), 'hex').includes(SECRET_BYTES)) return true;
  return false;
}

interface Running {
  server: HearthServer;
  client: ReturnType<typeof newClient>;
}

async function start(home: TempHome, create: (config: ReturnType<typeof loadConfig>['config']) => HearthServer): Promise<Running> {
  const { config } = loadConfig({ home: home.dir, set: [], logLevel: 'warn' }, { HEARTH_HOME: home.dir });
  const server = create(config);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(serverSide);
  const client = newClient();
  await client.connect(clientSide);
  return { server, client };
}

let home: TempHome;
let site: Server;
let origin: string;
let code: Running;
let web: Running;

beforeAll(async () => {
  home = tempHome('hearth-secret-encodings-');
  writeFileSync(join(home.dir, 'config.json'), JSON.stringify({ secrets: [SECRET] }));
  site = createServer((req, res) => {
    const prefix = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('prefix') ?? 0);
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(prefix, 0x01), SECRET_BYTES, Buffer.from([0, 0xff])]));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  home.policy({ mode: 'autopilot', web: { origins: [origin] } });
  code = await start(home, createCodeServer);
  web = await start(home, createWebServer);
});

afterAll(async () => {
  for (const running of [code, web]) {
    await running?.client.close().catch(() => undefined);
    await running?.server.close();
  }
  await new Promise<void>((resolve) => site?.close(() => resolve()));
  home?.cleanup();
});

describe('a secret, encoded inside longer data', () => {
  const outputs: unknown[] = [];

  it('is redacted from code_run values at every alignment, in base64, base64url and hex', async () => {
    for (const prefix of ['', 'x', 'xy', 'xyz']) {
      const source = `const s = ${JSON.stringify(prefix)} + ${JSON.stringify(SECRET)};
        const bytes = new TextEncoder().encode(s);
        ({ b64: btoa(s), url: btoa(s).replaceAll('+', '-').replaceAll('/', '_'), hex: Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') })`;
      const result = await code.client.callTool({ name: 'code_run', arguments: { code: source } });
      expect(result.isError, JSON.stringify(result)).toBeFalsy();
      outputs.push(result);
      expect(holdsSecret(JSON.stringify(result)), `prefix ${JSON.stringify(prefix)}: ${JSON.stringify(result.structuredContent)}`).toBe(
        false,
      );
    }
  });

  it('is redacted from a workspace file read as base64 and as a resource', async () => {
    for (const prefix of ['', 'x', 'xy']) {
      const path = `data-${prefix.length}.bin`;
      const content = Buffer.concat([Buffer.from([0, 0xff]), Buffer.from(prefix), SECRET_BYTES, Buffer.from([0xfe])]).toString('base64');
      const written = await code.client.callTool({
        name: 'code_files_write',
        arguments: { files: [{ path, content, encoding: 'base64' }] },
      });
      expect(written.isError, JSON.stringify(written)).toBeFalsy();
      const read = await code.client.callTool({ name: 'code_files_read', arguments: { path, encoding: 'base64' } });
      expect(read.isError, JSON.stringify(read)).toBeFalsy();
      outputs.push(read);
      expect(holdsSecret(JSON.stringify(read)), path).toBe(false);
      const uri = (read.structuredContent as { uri: string }).uri;
      const resource = await code.client.readResource({ uri });
      outputs.push(resource);
      expect(holdsSecret(JSON.stringify(resource)), uri).toBe(false);
    }
  });

  it('is redacted from a web_request binary body stored as a resource', async () => {
    for (const prefix of [0, 1, 2]) {
      const result = await web.client.callTool({ name: 'web_request', arguments: { url: `${origin}/blob?prefix=${prefix}` } });
      expect(result.isError, JSON.stringify(result)).toBeFalsy();
      outputs.push(result);
      const uri = (result.structuredContent as { resource?: string }).resource;
      expect(uri, JSON.stringify(result.structuredContent)).toBeDefined();
      const resource = await web.client.readResource({ uri: uri! });
      const blob = (resource.contents[0] as { blob: string }).blob;
      // Still a valid body for a client to decode, only without the secret.
      expect(Buffer.from(blob, 'base64').subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      expect(holdsSecret(JSON.stringify(resource)), `prefix ${prefix}`).toBe(false);
    }
  });

  it('never reaches the audit rows or any database file', () => {
    expect(outputs.length).toBeGreaterThan(5);
    const files = readdirSync(home.dir).filter((f) => f.startsWith('hearth.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(holdsSecret(readFileSync(join(home.dir, file)).toString('latin1')), file).toBe(false);
  });
});
