// `hearth demo` (what `make demo` runs) drives every server through a real MCP client and ends
// with an intact audit chain.
import { afterAll, beforeAll, expect, it } from 'vitest';

import { type CliRun, runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
let run: CliRun;
beforeAll(async () => {
  home = tempHome('hearth-demo-');
  run = await runCli(['demo', '--dir', home.dir], {});
}, 240_000);
afterAll(() => home.cleanup());

it('runs memory, code and web end to end and verifies the audit chain', () => {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const out = run.stdout;
  expect(out).toMatch(/library: \d+ added, 0 updated, 0 unchanged, 0 failed/);
  expect(out).toMatch(/library: 0 added, 0 updated, \d+ unchanged/);
  expect(out).toContain('1. Redaction');
  expect(out).toMatch(/10 months, 1635\.20 EUR in all/);
  expect(out).toContain('LIMIT_EXCEEDED');
  expect(out).toMatch(/energy-report\.zip/);
  expect(out).toMatch(/! blocked GET http:\/\/127\.0\.0\.1:\d+\/offers \(iframe\)/);
  expect(out).toContain('Application received');
  expect(out).toContain('row: name | Ana Fernández');
  expect(out).toMatch(/hash chain verified over \d+ rows/);
});
