// The tool and policy references and the servers' settings tables are generated from the schemas;
// this fails when the committed copies are stale (run `npm run docs`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, it } from 'vitest';

import { renderPolicyReference, renderToolReference, withSettingsTable } from '../../docs/reference.js';
import { SERVERS } from '../../orchestrator/registry.js';
import { REPO } from '../helpers/mcp-client.js';

it('docs/tools.md and docs/policy-reference.md match the schemas', async () => {
  expect(readFileSync(join(REPO, 'docs', 'policy-reference.md'), 'utf8')).toBe(renderPolicyReference());
  expect(readFileSync(join(REPO, 'docs', 'tools.md'), 'utf8')).toBe(await renderToolReference());
});

it('the settings table of each docs/servers/<name>.md matches servers/<name>/settings.ts', async () => {
  for (const server of SERVERS) {
    const guide = readFileSync(join(REPO, 'docs', 'servers', `${server.name}.md`), 'utf8');
    expect(guide).toContain('<!-- /settings -->');
    expect(guide, `docs/servers/${server.name}.md`).toBe(withSettingsTable(guide, server.name, await server.settings()));
  }
});
