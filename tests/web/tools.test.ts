// The tools on a real Chromium through a real MCP client (in-process): reading big pages within the
// cap, targeting and its errors, waiting, dialogs, extraction, screenshots, downloads, tabs, history,
// forms and their errors, uploads from the allowed roots, and the HTTP request tool.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestSite, type TestSite } from '../fixtures/web/site.js';
import { errorOf, eventsUntil, startWeb, type WebHarness } from './harness.js';

let site: TestSite;
let web: WebHarness;
let files: string;

beforeAll(async () => {
  site = await startTestSite();
  web = await startWeb({
    policy: { mode: 'autopilot', web: { origins: [site.origin] }, roots: ['./files'] },
    set: ['servers.web.actionTimeoutMs=3000'],
  });
  files = join(web.home.dir, 'files');
  mkdirSync(files);
  writeFileSync(join(files, 'cv.txt'), 'curriculum vitae');
  writeFileSync(join(web.home.dir, 'outside.txt'), 'not for upload');
});
afterAll(async () => {
  await web?.close();
  await site?.close();
});

describe('reading pages', () => {
  it('keeps the 10,000-row table within the cap, says what was cut and how to page', async () => {
    const opened = await web.call('web_navigate', { url: `${site.origin}/table` });
    expect(opened.structured.view).toMatchObject({ kind: 'none' });
    expect(opened.text).toMatch(/too many for an automatic snapshot; call web_snapshot/);
    const first = await web.call('web_snapshot', {});
    expect(first.structured.truncated).toBe(true);
    expect(first.bytes).toBeLessThan(2 * 12_000 + 4_000);
    expect(first.text).toMatch(/not shown: table "Inventory" \[ref=\w+\] \(\d[\d,]* lines\)/);
    const cursor = first.structured.nextCursor as string;
    expect(first.text).toContain(`cursor "${cursor}"`);
    const second = await web.call('web_snapshot', { cursor });
    const from = (second.structured.shown as { from: number }).from;
    expect(from).toBe((first.structured.shown as { to: number }).to + 1);
    expect(second.text).not.toContain('row: 1 | Plant 1 |');
    const ref = /table "Inventory" \[ref=(\w+)\]/.exec(first.text)![1]!;
    const rows = await web.call('web_extract', { kind: 'table', target: ref, limit: 3 });
    expect(rows.structured.table).toEqual({
      caption: 'Inventory',
      columns: ['ID', 'Plant', 'Stock'],
      rows: [
        ['1', 'Plant 1', '7'],
        ['2', 'Plant 2', '14'],
        ['3', 'Plant 3', '21'],
      ],
    });
    expect(rows.structured.total).toBe(10_000);
    const next = await web.call('web_extract', { kind: 'table', target: ref, limit: 3, cursor: rows.structured.nextCursor });
    expect((next.structured.table as { rows: string[][] }).rows[0]).toEqual(['4', 'Plant 4', '28']);
  });

  it('says a cursor is stale once the page changed, and that a ref is stale', async () => {
    const first = await web.call('web_snapshot', { maxChars: 1_000 });
    await web.call('web_navigate', { url: `${site.origin}/index.html` });
    const stale = await web.call('web_snapshot', { cursor: first.structured.nextCursor as string, maxChars: 1_000 });
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('cursor') });
    const click = await web.call('web_click', { target: 'e9999' });
    expect(errorOf(click)).toMatchObject({ code: 'CONFLICT', hint: expect.stringContaining('web_snapshot') });
  });

  it('focuses a snapshot on the controls and extracts links and text', async () => {
    const controls = await web.call('web_snapshot', { interactive: true });
    expect(controls.text).toContain('link "Job application" [ref=');
    expect(controls.text).not.toContain('heading');
    const links = await web.call('web_extract', { kind: 'links', limit: 2 });
    expect(links.structured.links).toEqual([
      { text: 'Job application', url: `${site.origin}/apply.html` },
      { text: 'Late elements', url: `${site.origin}/late.html` },
    ]);
    expect(links.structured.total).toBe(13);
  });
});

describe('targeting and waiting', () => {
  it('finds an element that appears late, and waits for text', async () => {
    await web.call('web_navigate', { url: `${site.origin}/late.html` });
    const clicked = await web.call('web_click', { target: { role: 'button', name: 'Late button' } });
    expect(clicked.isError).toBe(false);
    expect(clicked.text).toContain('Late button clicked');
    const waited = await web.call('web_wait_for', { text: 'All loaded', timeoutMs: 5_000 });
    expect(waited.isError).toBe(false);
    expect(waited.structured.did).toBe('the text "All loaded" is visible');
  });

  it('times out clearly, and rejects an ambiguous or empty condition', async () => {
    const missing = await web.call('web_click', { target: { role: 'button', name: 'Does not exist' } });
    expect(errorOf(missing)).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no element matches button "Does not exist"'),
    });
    const never = await web.call('web_wait_for', { text: 'never appears', timeoutMs: 300 });
    expect(errorOf(never).code).toBe('TIMEOUT');
    expect(errorOf(await web.call('web_wait_for', { text: 'a', url: 'b' })).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(await web.call('web_wait_for', {})).code).toBe('INVALID_ARGUMENT');
    const bad = await web.call('web_click', { target: { nonsense: true } });
    expect(errorOf(bad).code).toBe('INVALID_ARGUMENT');
  });

  it('sends progress while waiting, stops when the client cancels, and keeps serving', async () => {
    await web.call('web_navigate', { url: `${site.origin}/index.html` });
    const progress: number[] = [];
    const abort = new AbortController();
    const waiting = web.client.callTool(
      { name: 'web_wait_for', arguments: { text: 'never appears', timeoutMs: 60_000 } },
      { signal: abort.signal, onprogress: (p) => progress.push(p.progress) },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    abort.abort();
    await expect(waiting).rejects.toThrow();
    expect(progress.length).toBeGreaterThanOrEqual(1);
    const after = await web.call('web_snapshot', { interactive: true });
    expect(after.isError).toBe(false);
  });

  it('presses keys, and names an unknown key', async () => {
    await web.call('web_navigate', { url: `${site.origin}/login.html` });
    await web.call('web_type', { target: { label: 'Username' }, text: 'ada' });
    const pressed = await web.call('web_press', { key: 'Control+A', target: { label: 'Username' } });
    expect(pressed.isError).toBe(false);
    const cleared = await web.call('web_press', { key: 'Backspace' });
    expect(cleared.text).toContain('~ textbox "Username"');
    expect(errorOf(await web.call('web_press', { key: 'NoSuchKey' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('key:'),
    });
  });

  it('answers dialogs: dismisses by default and says so, accepts when asked', async () => {
    await web.call('web_navigate', { url: `${site.origin}/dialog.html` });
    const dismissed = await web.call('web_click', { target: { role: 'button', name: 'Delete item' } });
    expect(dismissed.text).toContain('Kept');
    expect((dismissed.structured.events as { kind: string; text: string }[])[0]).toMatchObject({
      kind: 'dialog',
      text: expect.stringContaining('"Really delete the item?" was dismissed'),
    });
    const accepted = await web.call('web_click', { target: { role: 'button', name: 'Delete item' }, dialog: { accept: true } });
    expect(accepted.text).toContain('Deleted');
    const named = await web.call('web_click', {
      target: { role: 'button', name: 'Ask name' },
      dialog: { accept: true, promptText: 'Ada' },
    });
    expect(named.text).toContain('Name: Ada');
  });
});

describe('forms', () => {
  it('reports client-side validation instead of submitting', async () => {
    await web.call('web_navigate', { url: `${site.origin}/apply.html` });
    const result = await web.call('web_fill_form', {
      fields: [
        { target: { label: 'Full name' }, value: 'Ada' },
        { target: { label: 'Email' }, value: 'not-an-email' },
      ],
      submit: true,
    });
    expect(result.isError).toBe(false);
    expect(result.structured).toMatchObject({ submitted: true, navigated: false, view: { kind: 'delta' } });
    expect(result.text).toMatch(/\+ alert: Please fix: .*Email must look like name@example.com/);
    expect(site.submissions).toHaveLength(0);
  });

  it('names the field and the fix for bad values, and never submits then', async () => {
    const date = await web.call('web_fill_form', { fields: [{ target: { label: 'Start date' }, value: '1 Sept 2026' }], submit: true });
    expect(errorOf(date)).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^fields\[0\]\.value: .*date/),
      hint: expect.stringContaining('2026-09-01'),
    });
    const option = await web.call('web_fill_form', {
      fields: [
        { target: { label: 'Full name' }, value: 'Ada' },
        { target: { label: 'Position' }, value: 'Astronaut' },
      ],
      submit: true,
    });
    expect(errorOf(option)).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('fields[1].value: no option "Astronaut"'),
      hint: expect.stringContaining('Senior gardener'),
    });
    expect(errorOf(option).message).toContain('filled 1 of 2 fields');
    const outside = await web.call('web_fill_form', {
      fields: [{ target: { label: 'Résumé' }, value: join(web.home.dir, 'outside.txt') }],
    });
    expect(errorOf(outside)).toMatchObject({ code: 'OUT_OF_ROOTS', message: expect.stringContaining('fields[0].value') });
    const button = await web.call('web_fill_form', { fields: [{ target: { role: 'button', name: 'Submit application' }, value: 'x' }] });
    expect(errorOf(button)).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('not a form field') });
    expect(site.submissions).toHaveLength(0);
  });

  it('fills a field that the page redrew after the snapshot (the plan falls back to a fresh lookup)', async () => {
    await web.call('web_navigate', { url: `${site.origin}/replaced.html` });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const filled = await web.call('web_fill_form', { fields: [{ target: { label: 'Your name' }, value: 'Redrawn Ada' }] });
    expect(filled.isError).toBe(false);
    const fields = (await web.call('web_extract', { kind: 'form' })).structured.fields as { name: string; value: string }[];
    expect(fields).toEqual([expect.objectContaining({ name: 'who', value: 'Redrawn Ada' })]);
  });

  it('previews a fill as field → value without touching the page (dry run)', async () => {
    await web.call('web_navigate', { url: `${site.origin}/apply.html` });
    await web.call('web_type', { target: { label: 'Full name' }, text: 'Ada' });
    const preview = await web.call(
      'web_fill_form',
      {
        fields: [
          { target: { label: 'Full name' }, value: 'Grace' },
          { target: { label: 'Résumé' }, value: 'cv.txt' },
        ],
        submit: true,
      },
      { 'hearth/dryRun': true },
    );
    expect(preview.structured).toMatchObject({
      dryRun: true,
      preview: {
        changes: [
          {
            kind: 'form',
            submit: true,
            fields: [
              { field: 'Full name', value: 'Grace' },
              { field: 'Résumé', value: 'cv.txt (16 bytes)' },
            ],
          },
        ],
      },
    });
    const form = await web.call('web_extract', { kind: 'form' });
    expect((form.structured.fields as { name: string; value: string }[]).find((f) => f.name === 'name')?.value).toBe('Ada');
  });

  it('uploads a file from the roots with web_upload and selects and checks by label', async () => {
    const upload = await web.call('web_upload', { target: { label: 'Résumé' }, paths: ['cv.txt'] });
    expect(upload.isError).toBe(false);
    expect(upload.structured.did).toContain('uploaded cv.txt');
    expect((await web.call('web_select', { target: { label: 'Position' }, values: 'Head gardener' })).text).toContain('Head gardener');
    const checked = await web.call('web_check', { target: { label: 'Willing to relocate' } });
    expect(checked.text).toMatch(/~ checkbox "Willing to relocate" \[checked\]/);
    const form = await web.call('web_extract', { kind: 'form' });
    const fields = form.structured.fields as { name: string; value: string; checked?: boolean }[];
    expect(fields.find((f) => f.name === 'resume')?.value).toBe('cv.txt');
    expect(fields.find((f) => f.name === 'position')?.value).toBe('Head gardener');
    expect(fields.find((f) => f.name === 'relocate')?.checked).toBe(true);
  });
});

describe('tabs, history, screenshots and downloads', () => {
  it('goes back, lists and closes tabs', async () => {
    await web.call('web_navigate', { url: `${site.origin}/index.html` });
    await web.call('web_click', { target: { role: 'link', name: 'Late elements' } });
    const back = await web.call('web_back', {});
    expect(back.structured.url).toBe(`${site.origin}/index.html`);
    const opened = await web.call('web_tabs', { action: 'new', url: `${site.origin}/late.html` });
    const newTab = opened.structured.active as string;
    expect((opened.structured.tabs as unknown[]).length).toBe(2);
    const closed = await web.call('web_tabs', { action: 'close', tab: newTab });
    expect((closed.structured.tabs as unknown[]).length).toBe(1);
    expect(errorOf(await web.call('web_tabs', { action: 'select', tab: 't99' })).code).toBe('NOT_FOUND');
  });

  it('returns a screenshot inline and as a resource', async () => {
    const shot = await web.call('web_screenshot', { target: { role: 'heading', name: 'Hearth test site' } });
    expect(shot.isError).toBe(false);
    const image = shot.raw.content.find((c) => c.type === 'image') as { data: string; mimeType: string };
    expect(image.mimeType).toBe('image/png');
    expect(Buffer.from(image.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const resource = await web.client.readResource({ uri: shot.structured.uri as string });
    expect((resource.contents[0] as { blob: string }).blob).toBe(image.data);
  });

  it('saves downloads into the session’s folder under the data directory', async () => {
    await web.call('web_navigate', { url: `${site.origin}/download.html` });
    const clicked = await web.call('web_click', { target: { role: 'link', name: 'Download report' } });
    const events = await eventsUntil(web, clicked, (list) => list.some((e) => e.kind === 'download' && e.text.startsWith('downloaded')));
    const event = events.find((e) => e.kind === 'download');
    expect(event?.text).toMatch(/downloaded report\.csv \(\d+ bytes\) to /);
    const path = /to (\/\S+)$/.exec(event!.text)![1]!;
    expect(path.startsWith(join(web.home.dir, 'web', 'downloads'))).toBe(true);
    expect(existsSync(path) && readFileSync(path, 'utf8')).toContain('fern,3');
  });
});

describe('web_request', () => {
  it('sends a request on the allowlist and parses JSON', async () => {
    const result = await web.call('web_request', {
      url: `${site.origin}/api/echo?x=1`,
      method: 'POST',
      json: { hello: 'world' },
      headers: { authorization: 'Bearer s3cr3t-token-value' },
    });
    expect(result.isError).toBe(false);
    expect(result.structured).toMatchObject({
      status: 200,
      json: { method: 'POST', query: { x: '1' }, contentType: 'application/json', body: '{"hello":"world"}' },
    });
    const audit = web.server.kernel.db.prepare("SELECT args FROM audit WHERE tool = 'web_request'").all() as { args: string }[];
    expect(audit.map((a) => a.args).join('')).not.toContain('s3cr3t-token-value');
  });

  it('follows a local redirect, refuses a foreign one and foreign URLs', async () => {
    const local = await web.call('web_request', { url: `${site.origin}/api/redirect-local` });
    expect(local.structured).toMatchObject({ status: 200, redirects: [`${site.origin}/api/echo?redirected=1`] });
    const foreign = await web.call('web_request', { url: `${site.origin}/api/redirect-foreign` });
    expect(foreign.structured).toMatchObject({ status: 302, blockedRedirect: { url: `${site.foreignOrigin}/api/data` } });
    expect(errorOf(await web.call('web_request', { url: `${site.foreignOrigin}/api/data` })).code).toBe('ORIGIN_NOT_ALLOWED');
    expect(errorOf(await web.call('web_request', { url: 'file:///etc/passwd' })).code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('stores a long body as a resource and cuts the inline text', async () => {
    const big = await web.call('web_request', { url: `${site.origin}/api/big`, maxChars: 1_000 });
    expect((big.structured.text as string).length).toBeLessThan(1_200);
    expect(big.structured.resource).toMatch(/^hearth:\/\/web\/artifacts\//);
  });

  it('never reached the foreign server', () => {
    expect(site.foreignHits).toEqual([]);
  });
});
