// `npm run docs`: regenerates docs/tools.md and docs/policy-reference.md from the schemas.
// `npm run docs -- --check` exits 1 when the committed files are stale.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { renderPolicyReference, renderToolReference } from './reference.js';

const dir = import.meta.dirname;
const outputs: [string, string][] = [
  [join(dir, 'tools.md'), await renderToolReference()],
  [join(dir, 'policy-reference.md'), renderPolicyReference()],
];
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
