#!/usr/bin/env node
// Records which Node built node_modules (run by `make` after `npm ci`), so the `hearth` launcher can
// start that Node and a mismatch can be named in one line: node_modules/.hearth-runtime.json.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const record = {
  execPath: process.execPath,
  version: process.versions.node,
  modules: process.versions.modules,
  platform: process.platform,
  arch: process.arch,
};
writeFileSync(join(repo, 'node_modules', '.hearth-runtime.json'), `${JSON.stringify(record, null, 2)}\n`);
console.log(`node_modules built for Node ${record.version} (ABI ${record.modules}) at ${record.execPath}`);
