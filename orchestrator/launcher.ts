// What `bin/hearth.js` does before the CLI runs. It starts the Node that installed node_modules when
// another one was used (a PATH that changed, or a client config that says `node`), so native modules
// always meet the Node they were installed for; it stops a Node that is too old with one line; and
// it restarts Node with --no-node-snapshot, which V8 isolates need. stdio passes straight through,
// so MCP over stdio works across the hand-over.
//
// Runs before the version check, possibly in a very old Node: only Node's own modules and files
// that import nothing else (see runtime.ts).
import { spawn } from 'node:child_process';

import { packageInfo } from '../shared/package-info.js';
import { readRuntimeRecord, recordedNodeToUse, runningNode, versionProblem } from './runtime.js';

/** Set for the one process the launcher starts, so a hand-over happens at most once. */
const RELAUNCHED = 'HEARTH_RELAUNCHED';

export async function launch(binFile: string, argv: readonly string[]): Promise<void> {
  const relaunched = process.env[RELAUNCHED] === '1';
  // Not inherited further: servers and the demo start their own children with process.execPath.
  delete process.env[RELAUNCHED];
  const { root } = packageInfo();
  const running = runningNode();
  const handOver = relaunched ? undefined : recordedNodeToUse(readRuntimeRecord(root), running);
  if (handOver === undefined) {
    const problem = versionProblem(root, running);
    if (problem) {
      process.stderr.write(`${problem}\n`);
      process.exitCode = 1;
      return;
    }
    if (process.execArgv.includes('--no-node-snapshot')) {
      await import('./cli.js');
      return;
    }
  }
  const node = handOver ?? running.execPath;
  const flags = ['--no-node-snapshot', ...process.execArgv.filter((flag) => flag !== '--no-node-snapshot')];
  const child = spawn(node, [...flags, binFile, ...argv], { stdio: 'inherit', env: { ...process.env, [RELAUNCHED]: '1' } });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`hearth: could not start ${node}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
}
