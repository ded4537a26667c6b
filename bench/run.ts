// `npm run bench [-- <name>...] [-- --quick]`: runs every bench/<name>.bench.ts (or the named ones)
// in its own process, one after another, so one benchmark's heap and threads never skew another's.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const wanted = args.filter((a) => !a.startsWith('--'));
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const chosen = wanted.length ? wanted : all;
const unknown = chosen.filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`no benchmark named ${unknown.join(', ')}; have ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of chosen) {
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(
    process.execPath,
    ['--no-node-snapshot', '--expose-gc', '--import', 'tsx', join(dir, `${name}.bench.ts`), ...flags],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) {
    console.error(`${name}: exited with ${run.status ?? run.signal}`);
    failed++;
  }
}
process.exitCode = failed ? 1 : 0;
