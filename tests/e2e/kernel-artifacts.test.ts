// Large or binary results are stored as artifacts and served as MCP resources.
import { afterEach, beforeEach, expect, it } from 'vitest';

import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
let conn: StdioConnection;
beforeEach(async () => {
  home = tempHome();
  conn = await connectStdio('tests/fixtures/kernel-stdio.ts', [], { HEARTH_HOME: home.dir });
});
afterEach(async () => {
  await conn.close();
  home.cleanup();
});

it('a tool result links an artifact that resources/list shows and resources/read returns', async () => {
  const text = await conn.client.callTool({ name: 'test_report', arguments: { title: 'weekly' } });
  const link = (text.content as { type: string; uri?: string; mimeType?: string }[]).find((c) => c.type === 'resource_link')!;
  expect(link.uri).toMatch(/^hearth:\/\/kernel-test\/artifacts\/[0-9a-f-]{36}\/weekly\.md$/);
  const bin = await conn.client.callTool({ name: 'test_report', arguments: { title: 'raw', binary: true } });
  const binUri = (bin.structuredContent as { uri: string }).uri;

  const { resources } = await conn.client.listResources();
  expect(resources.map((r) => r.uri).sort()).toEqual([link.uri, binUri].sort());

  const read = await conn.client.readResource({ uri: link.uri! });
  expect(read.contents[0]).toMatchObject({ mimeType: 'text/markdown', text: '# weekly\n' });
  const readBin = await conn.client.readResource({ uri: binUri });
  expect(Buffer.from((readBin.contents[0] as { blob: string }).blob, 'base64')).toEqual(Buffer.from([0, 1, 2, 255]));

  await expect(
    conn.client.readResource({ uri: 'hearth://kernel-test/artifacts/00000000-0000-0000-0000-000000000000/x.md' }),
  ).rejects.toThrow(/does not exist/);
  await expect(conn.client.readResource({ uri: 'hearth://other/artifacts/00000000-0000-0000-0000-000000000000/x.md' })).rejects.toThrow(
    /not an artifact/,
  );
});
