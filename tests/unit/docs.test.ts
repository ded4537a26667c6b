// The tool and policy references, the plan language schema and the servers' settings tables are generated from the schemas;
// this fails when the committed copies are stale (run `npm run docs`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, it } from 'vitest';

import { renderPolicyReference, renderToolReference, withSettingsTable } from '../../docs/reference.js';
import { SERVERS } from '../../orchestrator/registry.js';
import { planJsonSchema } from '../../servers/plan/plan-schema.js';
import { REPO } from '../helpers/mcp-client.js';

it('docs/tools.md and docs/policy-reference.md match the schemas', async () => {
  expect(readFileSync(join(REPO, 'docs', 'policy-reference.md'), 'utf8')).toBe(renderPolicyReference());
  expect(readFileSync(join(REPO, 'docs', 'tools.md'), 'utf8')).toBe(await renderToolReference());
});

it('docs/plan.schema.json is the plan language schema', () => {
  expect(JSON.parse(readFileSync(join(REPO, 'docs', 'plan.schema.json'), 'utf8'))).toEqual(planJsonSchema());
});

it('the settings table of each docs/servers/<name>.md matches servers/<name>/settings.ts', async () => {
  for (const server of SERVERS) {
    const guide = readFileSync(join(REPO, 'docs', 'servers', `${server.name}.md`), 'utf8');
    expect(guide).toContain('<!-- /settings -->');
    expect(guide, `docs/servers/${server.name}.md`).toBe(withSettingsTable(guide, server.name, await server.settings()));
  }
});
