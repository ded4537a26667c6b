// The program entry: runs the CLI with the process's arguments (bin/hearth.js loads the built copy;
// `node dist/orchestrator/cli.js` works too). The Node version is checked before anything that
// loads a native module is imported: better-sqlite3 crashes an old Node rather than throwing.
import { packageInfo } from '../shared/package-info.js';
import { versionProblem } from './runtime.js';

const problem = versionProblem(packageInfo().root);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(process.argv.slice(2));
}
