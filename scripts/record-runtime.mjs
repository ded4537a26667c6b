#!/usr/bin/env node
// Records which Node installed node_modules, in node_modules/.hearth-runtime.json, so the `hearth`
// launcher can start that Node when another one is used, client snippets can name it, and a
// mismatch can be told in one line. Runs after `npm ci` in a clone (make) and after
// `npm install -g hearth-mcp-*.tgz` (the package's postinstall). It never fails an install.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const record = {
  execPath: process.execPath,
  version: process.versions.node,
  modules: process.versions.modules,
  platform: process.platform,
  arch: process.arch,
};
try {
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  writeFileSync(join(root, 'node_modules', '.hearth-runtime.json'), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`hearth: node_modules installed with Node ${record.version} (ABI ${record.modules}) at ${record.execPath}`);
} catch (error) {
  console.warn(
    `hearth: could not record the Node that installed node_modules (${error.message}); hearth will run with whichever Node starts it`,
  );
}
