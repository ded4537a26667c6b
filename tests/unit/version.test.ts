// A server introduces itself with the version package.json gives (shared/package-info.ts reads it,
// for `hearth --version` too).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { InMemoryTransport } from '@modelcontextprotocol/client';
import { expect, it } from 'vitest';

import { loadConfig } from '../../shared/config.js';
import { createServer } from '../fixtures/kernel-server.js';
import { newClient, REPO } from '../helpers/mcp-client.js';
import { tempHome } from '../helpers/temp-home.js';

it('serverInfo.version is package.json’s version', async () => {
  const home = tempHome('hearth-version-');
  const { config } = loadConfig({ home: home.dir, logLevel: 'silent' }, { HEARTH_HOME: home.dir });
  const server = createServer(config);
  try {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect('in-process').connect(serverSide);
    const client = newClient();
    await client.connect(clientSide);
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(client.getServerVersion()).toMatchObject({ name: 'hearth-kernel-test', version });
    await client.close();
  } finally {
    await server.close();
    home.cleanup();
  }
});
