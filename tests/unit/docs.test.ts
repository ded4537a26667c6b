// The tool and policy references are generated from the schemas; this fails when the committed
// copies are stale (run `npm run docs`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, it } from 'vitest';

import { renderPolicyReference, renderToolReference } from '../../docs/reference.js';
import { REPO } from '../helpers/mcp-client.js';

it('docs/tools.md and docs/policy-reference.md match the schemas', async () => {
  expect(readFileSync(join(REPO, 'docs', 'policy-reference.md'), 'utf8')).toBe(renderPolicyReference());
  expect(readFileSync(join(REPO, 'docs', 'tools.md'), 'utf8')).toBe(await renderToolReference());
});
