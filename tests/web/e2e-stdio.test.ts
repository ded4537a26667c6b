// End to end: the real CLI (`hearth mcp web`) over stdio, a real MCP client, headless Chromium and
// the local test site. Autopilot fills and submits the job application; observe mode previews and
// types nothing; draft mode asks the person first (elicitation) or queues the call.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startTestSite, type TestSite } from '../fixtures/web/site.js';
import { type ClientOptions, connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let site: TestSite;
let home: TempHome;
let conn: StdioConnection | undefined;

beforeAll(async () => {
  site = await startTestSite();
});
afterAll(async () => {
  await site?.close();
});
afterEach(async () => {
  await conn?.close();
  conn = undefined;
  home?.cleanup();
});

async function start(mode: string, options: ClientOptions = {}): Promise<StdioConnection> {
  home = tempHome('hearth-web-e2e-');
  home.policy({ mode, web: { origins: [site.origin] }, roots: [home.dir] });
  writeFileSync(join(home.dir, 'cv.txt'), 'Ada Lovelace, gardener.');
  conn = await connectStdio('orchestrator/cli.ts', ['mcp', 'web'], { HEARTH_HOME: home.dir, HEARTH_LOG_LEVEL: 'warn' }, options);
  return conn;
}

async function call(
  c: StdioConnection,
  name: string,
  args: Record<string, unknown>,
): Promise<{ text: string; structured: Record<string, unknown>; isError: boolean }> {
  const result = await c.client.callTool({ name, arguments: args });
  return {
    text: result.content.map((b) => (b.type === 'text' ? b.text : '')).join('\n'),
    structured: (result.structuredContent ?? {}) as Record<string, unknown>,
    isError: result.isError === true,
  };
}

const application = () => ({
  submit: true,
  fields: [
    { target: { label: 'Full name' }, value: 'Ada Lovelace' },
    { target: { label: 'Email' }, value: 'ada@example.com' },
    { target: { label: 'Phone' }, value: '+44 20 7946 0000' },
    { target: { label: 'Position' }, value: 'Senior gardener' },
    { target: { label: 'Start date' }, value: '2026-09-01' },
    { target: { label: 'Experience' }, value: '3–5 years' },
    { target: { label: 'Willing to relocate' }, value: true },
    { target: { label: 'Résumé' }, value: join(home.dir, 'cv.txt') },
    { target: { label: 'Cover letter' }, value: 'I have kept a walled garden for six years.' },
    { target: { label: 'I accept the terms' }, value: true },
  ],
});

async function formValues(c: StdioConnection): Promise<Record<string, string | boolean>> {
  const form = await call(c, 'web_extract', { kind: 'form' });
  const out: Record<string, string | boolean> = {};
  for (const f of form.structured.fields as { name: string; value: string; checked?: boolean }[]) {
    if (f.checked === undefined) out[f.name] = f.value;
    else if (f.checked) out[`${f.name}=${f.value}`] = true;
  }
  return out;
}

describe('web over stdio', () => {
  it('autopilot: fills and submits the job application with web_fill_form; the confirmation shows every value', async () => {
    const c = await start('autopilot');
    const { tools } = await c.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        'web_back',
        'web_check',
        'web_click',
        'web_extract',
        'web_fill_form',
        'web_hover',
        'web_navigate',
        'web_press',
        'web_request',
        'web_screenshot',
        'web_select',
        'web_session_close',
        'web_session_list',
        'web_session_open',
        'web_session_save',
        'web_snapshot',
        'web_tabs',
        'web_type',
        'web_upload',
        'web_wait_for',
      ].sort(),
    );
    expect(tools.find((t) => t.name === 'web_fill_form')?.annotations).toMatchObject({ readOnlyHint: false, openWorldHint: true });
    expect(tools.find((t) => t.name === 'web_snapshot')?.annotations).toMatchObject({ readOnlyHint: true });

    const page = await call(c, 'web_navigate', { url: `${site.origin}/apply.html` });
    expect(page.isError).toBe(false);
    expect(page.text).toContain('textbox "Full name" [ref=');
    const done = await call(c, 'web_fill_form', application());
    expect(done.isError).toBe(false);
    expect(done.structured).toMatchObject({ filled: 10, submitted: true, navigated: true, title: 'Application received' });
    for (const value of [
      'Ada Lovelace',
      'ada@example.com',
      '+44 20 7946 0000',
      'senior-gardener',
      '2026-09-01',
      '3-5',
      'yes',
      'I have kept a walled garden for six years.',
      'accepted',
      'cv.txt (23 bytes)',
    ]) {
      expect(done.text).toContain(value);
    }
    expect(site.submissions.at(-1)).toMatchObject({
      fields: { name: 'Ada Lovelace', email: 'ada@example.com', experience: '3-5', relocate: 'yes', terms: 'accepted' },
      file: { name: 'cv.txt', text: 'Ada Lovelace, gardener.' },
    });

    // The 10,000-row page: the snapshot stays within the cap and says how to page.
    await call(c, 'web_navigate', { url: `${site.origin}/table` });
    const big = await call(c, 'web_snapshot', {});
    expect(big.text.length).toBeLessThan(13_000);
    expect(big.structured).toMatchObject({ truncated: true, totalLines: 10_006 });
    expect(big.text).toContain(`cursor "${big.structured.nextCursor as string}"`);
    expect(big.text).toMatch(/not shown: table "Inventory"/);
    expect(site.foreignHits).toEqual([]);
  });

  it('observe: web_fill_form returns its preview and types nothing', async () => {
    const c = await start('observe');
    await call(c, 'web_navigate', { url: `${site.origin}/apply.html` });
    const blank = await formValues(c);
    expect(blank).toMatchObject({ name: '', email: '', position: 'Choose…' });
    const before = site.submissions.length;
    const preview = await call(c, 'web_fill_form', application());
    expect(preview.isError).toBe(false);
    expect(preview.structured).toMatchObject({ dryRun: true, reason: 'observe' });
    const change = (
      preview.structured.preview as { changes: { kind: string; fields: { field: string; value: string }[]; submit: boolean }[] }
    ).changes[0]!;
    expect(change).toMatchObject({ kind: 'form', submit: true });
    expect(change.fields).toContainEqual({ field: 'Full name', value: 'Ada Lovelace' });
    expect(change.fields).toContainEqual(expect.objectContaining({ field: 'Résumé', value: 'cv.txt (23 bytes)' }));
    expect(preview.text).toMatch(/Full name\s+→ Ada Lovelace/);
    expect(await formValues(c)).toEqual(blank);
    expect(site.submissions.length).toBe(before);
  });

  it('draft: asks the person first; a yes fills the form, a no types nothing', async () => {
    const asked: string[] = [];
    let answer: 'accept' | 'decline' = 'decline';
    const c = await start('draft', {
      onElicit: (message) => {
        asked.push(message);
        return answer === 'accept' ? { action: 'accept', content: { approve: true } } : { action: 'decline' };
      },
    });
    await call(c, 'web_navigate', { url: `${site.origin}/apply.html` });
    const blank = await formValues(c);
    const fields = {
      fields: [
        { target: { label: 'Full name' }, value: 'Grace Hopper' },
        { target: { label: 'Email' }, value: 'grace@example.com' },
      ],
    };
    const declined = await call(c, 'web_fill_form', fields);
    expect(declined.isError).toBe(true);
    expect((declined.structured.error as { code: string }).code).toBe('APPROVAL_DENIED');
    expect(asked[0]).toMatch(/Full name\s+→ Grace Hopper/);
    expect(await formValues(c)).toEqual(blank);

    answer = 'accept';
    const accepted = await call(c, 'web_fill_form', fields);
    expect(accepted.isError).toBe(false);
    expect(asked).toHaveLength(2);
    expect(await formValues(c)).toEqual({ ...blank, name: 'Grace Hopper', email: 'grace@example.com' });
  });

  it('draft without a way to ask: the call is queued for approval and nothing is typed', async () => {
    const c = await start('draft');
    await call(c, 'web_navigate', { url: `${site.origin}/apply.html` });
    const blank = await formValues(c);
    const queued = await call(c, 'web_fill_form', { fields: [{ target: { label: 'Full name' }, value: 'Queued Person' }] });
    expect(queued.isError).toBe(true);
    expect(queued.structured).toMatchObject({
      error: { code: 'APPROVAL_REQUIRED' },
      approval: { status: 'pending', preview: { changes: [{ kind: 'form', fields: [{ field: 'Full name', value: 'Queued Person' }] }] } },
    });
    expect(await formValues(c)).toEqual(blank);
  });
});
