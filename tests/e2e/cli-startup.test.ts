// A malformed config or policy file stops the server at start, naming the file and the field.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let home: TempHome;
beforeEach(() => (home = tempHome()));
afterEach(() => home.cleanup());

it('a bad policy file: non-zero exit naming the file and the field, nothing on stdout', async () => {
  const file = home.policy({ mode: 'draft', web: { origins: ['https://ok.example', 42] } });
  const run = await runCli(['mcp', 'memory'], { HEARTH_HOME: home.dir });
  expect(run.code).toBe(78);
  expect(run.stderr).toContain(`policy file ${file}: web.origins.1`);
  expect(run.stdout).toBe('');
});

it('a bad config file: non-zero exit naming the file and the field', async () => {
  const file = join(home.dir, 'config.json');
  writeFileSync(file, JSON.stringify({ http: { rateLimit: { burst: 0 } } }));
  const run = await runCli(['serve'], { HEARTH_HOME: home.dir });
  expect(run.code).toBe(78);
  expect(run.stderr).toContain(`config file ${file}: http.rateLimit.burst`);
});

it('an unknown server or command is a usage error with a hint', async () => {
  const run = await runCli(['mcp', 'memroy'], { HEARTH_HOME: home.dir });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('hint: Run one of: hearth mcp memory');
  const unknown = await runCli(['frobnicate'], { HEARTH_HOME: home.dir });
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('unknown command frobnicate');
});
