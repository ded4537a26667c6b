#!/usr/bin/env node
// The `hearth` command. isolated-vm needs Node started with --no-node-snapshot; when it was not,
// re-run this same command with the flag (stdio passes straight through, so MCP over stdio works).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', 'dist', 'orchestrator', 'cli.js');

if (!process.execArgv.includes('--no-node-snapshot')) {
  const child = spawn(
    process.execPath,
    ['--no-node-snapshot', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
} else if (!existsSync(entry)) {
  process.stderr.write(`hearth: ${entry} is missing. Build first: npm run build (or make build).\n`);
  process.exit(1);
} else {
  await import(pathToFileURL(entry).href);
}
