#!/usr/bin/env node
// The `hearth` command. The launcher (orchestrator/launcher.ts, built into dist/) picks the Node that
// installed node_modules, stops a Node that is too old with one line, and adds the flags Hearth
// needs. This file must parse in any Node a person may still have, so it stays this small.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bin = fileURLToPath(import.meta.url);
const launcher = join(dirname(bin), '..', 'dist', 'orchestrator', 'launcher.js');

if (existsSync(launcher)) {
  const { launch } = await import(pathToFileURL(launcher).href);
  await launch(bin, process.argv.slice(2));
} else {
  process.stderr.write(`hearth: ${launcher} is missing. Build first: make build (or npm run build).\n`);
  process.exitCode = 1;
}
