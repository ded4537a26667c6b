// `npm run docs`: regenerates docs/tools.md, docs/policy-reference.md, docs/plan.schema.json and the settings table of each
// docs/servers/<name>.md from the schemas.
// `npm run docs -- --check` exits 1 when the committed files are stale.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { SERVERS } from '../orchestrator/registry.js';
import { planJsonSchema } from '../servers/plan/plan-schema.js';
import { renderPolicyReference, renderToolReference, withSettingsTable } from './reference.js';

const dir = import.meta.dirname;
const outputs: [string, string][] = [
  [join(dir, 'tools.md'), await renderToolReference()],
  [join(dir, 'policy-reference.md'), renderPolicyReference()],
  [join(dir, 'plan.schema.json'), `${JSON.stringify(planJsonSchema(), null, 2)}\n`],
];
for (const server of SERVERS) {
  const guide = join(dir, 'servers', `${server.name}.md`);
  outputs.push([guide, withSettingsTable(readFileSync(guide, 'utf8'), server.name, await server.settings())]);
}
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, text] of outputs) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current === text) continue;
  if (check) {
    console.error(`${file} is stale: run npm run docs`);
    stale++;
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
process.exitCode = stale ? 1 : 0;
