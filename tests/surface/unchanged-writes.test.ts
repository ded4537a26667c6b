// Draft mode asks a person before a write, unless its preview shows the call changes nothing:
// re-ingesting unchanged files and remembering a value already stored run without asking, audited
// as ran-unchanged; a real change is still queued for approval.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type InProcess, startInProcess } from '../helpers/in-process.js';

const DRAFT = { 'hearth/mode': 'draft' };
let memory: InProcess;

beforeAll(async () => {
  // Autopilot in the policy; each call below narrows itself to draft, as a client may.
  memory = await startInProcess('memory', { policy: { mode: 'autopilot', roots: ['./docs'] } });
  mkdirSync(join(memory.home.dir, 'docs'));
  writeFileSync(join(memory.home.dir, 'docs', 'a.md'), '# Alpha\n\nThe alpha notes.\n');
  writeFileSync(join(memory.home.dir, 'docs', 'b.md'), '# Beta\n\nThe beta notes.\n');
});
afterAll(async () => {
  await memory?.close();
});

function lastDecision(tool: string): string | undefined {
  return memory.server.kernel.audit.tail(1, { tool })[0]?.decision;
}

describe('draft mode and writes that change nothing', () => {
  it('remembers an identical value without asking, and queues a changed one', async () => {
    expect((await memory.call('memory_remember', { namespace: 'user', key: 'tz', value: 'Europe/Berlin' })).isError).toBe(false);

    const same = await memory.call('memory_remember', { namespace: 'user', key: 'tz', value: 'Europe/Berlin' }, { meta: DRAFT });
    expect(same.isError).toBe(false);
    expect(same.structured.status).toBe('unchanged');
    expect(lastDecision('memory_remember')).toBe('ran-unchanged');

    const changed = await memory.call('memory_remember', { namespace: 'user', key: 'tz', value: 'Europe/Paris' }, { meta: DRAFT });
    expect(changed.isError).toBe(true);
    expect((changed.structured.error as { code: string }).code).toBe('APPROVAL_REQUIRED');
    expect(lastDecision('memory_remember')).toBe('approval-queued');
  });

  it('re-ingests unchanged files without asking, and queues a changed file', async () => {
    expect((await memory.call('memory_ingest', { paths: ['.'] })).isError).toBe(false);

    const again = await memory.call('memory_ingest', { paths: ['.'] }, { meta: DRAFT });
    expect(again.isError).toBe(false);
    expect(again.structured.counts).toMatchObject({ unchanged: 2 });
    expect(lastDecision('memory_ingest')).toBe('ran-unchanged');

    writeFileSync(join(memory.home.dir, 'docs', 'b.md'), '# Beta\n\nThe beta notes, revised.\n');
    const edited = await memory.call('memory_ingest', { paths: ['.'] }, { meta: DRAFT });
    expect((edited.structured.error as { code: string }).code).toBe('APPROVAL_REQUIRED');
    expect(lastDecision('memory_ingest')).toBe('approval-queued');
  });
});
