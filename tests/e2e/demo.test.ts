// `hearth demo` (what `make demo` runs): the golden path through `hearth run` with the scripted
// provider, ending with both applications received intact and an intact audit chain; `hearth demo
// tour` drives every server through a real MCP client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type CliRun, runCli } from '../helpers/run-cli.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

describe('hearth demo (the golden path)', () => {
  let home: TempHome;
  let run: CliRun;
  beforeAll(async () => {
    home = tempHome('hearth-demo-');
    run = await runCli(['demo', '--dir', home.dir], {});
  }, 300_000);
  afterAll(() => home.cleanup());

  it('applies twice — one approval in draft mode, none on autopilot — says the model is scripted, and verifies the audit chain', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('THE MODEL IS SCRIPTED');
    expect(out).toContain('web asks the person to approve web_fill_form');
    expect(out.match(/asks the person to approve/g)).toHaveLength(1);
    expect(out).toMatch(/Resume \(PDF or DOCX\) +→ cv\.pdf \(\d+ bytes\)/);
    expect(out).toMatch(/LJ-0001: backend-engineer; resume cv\.pdf \d+ bytes, identical to cv\.pdf; from Ana Fernández, Remote/);
    expect(out).toMatch(/LJ-0002: platform-engineer; resume cv\.pdf \d+ bytes, identical to cv\.pdf; from Ana Fernández, Hybrid/);
    expect(out).toContain('2 applications, 2 POST requests in all');
    expect(out).toMatch(/0 approvals asked/);
    expect(out).toMatch(/hash chain verified over \d+ rows/);
  });
});

describe('hearth demo tour', () => {
  let home: TempHome;
  let run: CliRun;
  beforeAll(async () => {
    home = tempHome('hearth-demo-');
    run = await runCli(['demo', 'tour', '--dir', home.dir], {});
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
});
