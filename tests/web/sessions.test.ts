// Sessions on a real Chromium: three at once keep their cookies apart; a saved session restores a
// login; the saved file is private; bad ids, limits and unknown sessions get clear errors; the
// session log records actions with screenshots, and values typed into password fields appear in
// no result, log line, session log or audit row.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestSite, type TestSite } from '../fixtures/web/site.js';
import { errorOf, startWeb, type WebHarness } from './harness.js';

let site: TestSite;
let web: WebHarness;
const PASSWORD = 'correct horse';
const OTHER_SECRET = 'tr0ub4dor&3';

beforeAll(async () => {
  site = await startTestSite({ tableRows: 10 });
  web = await startWeb({
    policy: { mode: 'autopilot', web: { origins: [site.origin] } },
    set: ['servers.web.maxSessions=4', 'servers.web.screenshotScale=0.5'],
  });
});
afterAll(async () => {
  await web?.close();
  await site?.close();
});

/** Width and height from a JPEG's frame header. */
function jpegSize(bytes: Buffer): { width: number; height: number } {
  for (let i = 2; i + 9 < bytes.length;) {
    const marker = bytes[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  throw new Error('no JPEG frame header');
}

async function logIn(session: string, user: string): Promise<string> {
  await web.call('web_navigate', { session, url: `${site.origin}/login.html` });
  await web.call('web_type', { session, target: { label: 'Username' }, text: user });
  const typed = await web.call('web_type', { session, target: { label: 'Password' }, text: PASSWORD, submit: true });
  return typed.text;
}

async function who(session: string): Promise<string> {
  await web.call('web_navigate', { session, url: `${site.origin}/account` });
  const text = await web.call('web_extract', { session, kind: 'text', target: { css: '#who' } });
  return text.structured.text as string;
}

describe('sessions', () => {
  it('opens three sessions side by side that never see each other’s cookies', async () => {
    const opened = await Promise.all(['alice', 'bob', 'carol'].map((session) => web.call('web_session_open', { session })));
    expect(opened.map((o) => o.isError)).toEqual([false, false, false]);
    await Promise.all([logIn('alice', 'alice'), logIn('bob', 'bob')]);
    const [a, b, c] = await Promise.all([who('alice'), who('bob'), who('carol')]);
    expect(a).toBe('Signed in as alice');
    expect(b).toBe('Signed in as bob');
    expect(c).toBe('Not signed in');
    const list = await web.call('web_session_list');
    expect((list.structured.sessions as { session: string }[]).map((s) => s.session).sort()).toEqual(['alice', 'bob', 'carol']);
  });

  it('saves a logged-in session to a private file and restores the login in a new session', async () => {
    const saved = await web.call('web_session_save', { session: 'alice', name: 'alice-login' });
    expect(saved.isError).toBe(false);
    expect(saved.structured).toMatchObject({ name: 'alice-login', cookies: 1, replaced: false });
    const file = saved.structured.path as string;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(file.startsWith(join(web.home.dir, 'web', 'sessions'))).toBe(true);

    await web.call('web_session_close', { session: 'carol' });
    const restored = await web.call('web_session_open', { session: 'again', restore: 'alice-login' });
    expect(restored.structured.restoredFrom).toBe('alice-login');
    expect(await who('again')).toBe('Signed in as alice');
    const list = await web.call('web_session_list');
    expect(list.structured.saved).toEqual([expect.objectContaining({ name: 'alice-login', cookies: 1, origins: ['127.0.0.1'] })]);
  });

  it('keeps the password out of results, the session log and the audit log', async () => {
    const text = await logIn('bob', 'bob');
    expect(text).not.toContain(PASSWORD);
    expect(text).toContain('typed ••••');
    // The snapshot of a filled password field shows the mask, not the value.
    await web.call('web_navigate', { session: 'bob', url: `${site.origin}/login.html` });
    await web.call('web_type', { session: 'bob', target: { label: 'Password' }, text: PASSWORD });
    const snapshot = await web.call('web_snapshot', { session: 'bob' });
    expect(snapshot.text).toContain('textbox "Password" [ref=');
    expect(snapshot.text).toContain('••••');
    expect(snapshot.text).not.toContain(PASSWORD);
    // A target that gives nothing away, in a session that never saw the value, is still masked once
    // the page says the field is a password.
    await web.call('web_session_open', { session: 'dave' });
    await web.call('web_navigate', { session: 'dave', url: `${site.origin}/login.html` });
    const plain = await web.call('web_fill_form', {
      session: 'dave',
      fields: [{ target: { css: 'form p:nth-of-type(2) input' }, value: OTHER_SECRET }],
    });
    expect(plain.isError).toBe(false);
    await web.call('web_session_close', { session: 'dave' });

    const audit = web.server.kernel.db.prepare("SELECT args, summary FROM audit WHERE server = 'web'").all() as {
      args: string;
      summary: string;
    }[];
    expect(audit.length).toBeGreaterThan(5);
    for (const row of audit) {
      for (const secret of [PASSWORD, OTHER_SECRET]) {
        expect(row.args).not.toContain(secret);
        expect(row.summary).not.toContain(secret);
      }
    }
    expect(audit.some((r) => r.args.includes('••••'))).toBe(true);
    const logs = join(web.home.dir, 'web', 'logs');
    for (const folder of readdirSync(logs)) {
      const log = readFileSync(join(logs, folder, 'actions.jsonl'), 'utf8');
      expect(log).not.toContain(PASSWORD);
      expect(log).not.toContain(OTHER_SECRET);
    }
  });

  it('logs each action of a session, with screenshots, and links the log on close', async () => {
    const closed = await web.call('web_session_close', { session: 'bob' });
    expect(closed.isError).toBe(false);
    expect(closed.structured.actions).toBeGreaterThanOrEqual(8);
    expect(closed.structured.screenshots).toBeGreaterThanOrEqual(1);
    const uri = closed.structured.log as string;
    expect(closed.raw.content.some((c) => c.type === 'resource_link' && c.uri === uri)).toBe(true);
    const log = await web.client.readResource({ uri });
    const content = log.contents[0] as { text: string };
    const lines = content.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tool?: string; screenshot?: string });
    expect(lines.filter((l) => l.tool === 'web_type').length).toBeGreaterThanOrEqual(3);
    const shot = lines.find((l) => l.screenshot?.endsWith('.jpg'))?.screenshot;
    expect(shot).toBeDefined();
    // The default viewport (1280×800) at the log screenshot scale set above (0.5).
    const image = await web.client.readResource({ uri: uri.replace(/actions\.jsonl$/, shot!) });
    expect(jpegSize(Buffer.from((image.contents[0] as { blob: string }).blob, 'base64'))).toEqual({ width: 640, height: 400 });
  });

  it('records a Playwright trace on request and links it when the session closes', async () => {
    await web.call('web_session_open', { session: 'traced', trace: true });
    await web.call('web_navigate', { session: 'traced', url: `${site.origin}/index.html` });
    const closed = await web.call('web_session_close', { session: 'traced' });
    const uri = closed.structured.trace as string;
    expect(uri).toMatch(/^hearth:\/\/web\/logs\/traced-.*\/trace\.zip$/);
    const trace = await web.client.readResource({ uri });
    const zip = Buffer.from((trace.contents[0] as { blob: string }).blob, 'base64');
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    const listed = await web.client.listResources();
    expect(listed.resources.map((r) => r.uri)).toContain(uri);
  });

  it('refuses bad, duplicate and unknown sessions and enforces the limit', async () => {
    expect(errorOf(await web.call('web_session_open', { session: 'alice' })).code).toBe('ALREADY_EXISTS');
    expect(errorOf(await web.call('web_navigate', { session: 'nobody', url: `${site.origin}/` })).code).toBe('NOT_FOUND');
    const bad = await web.call('web_session_open', { session: 'Bad Name!' });
    expect(errorOf(bad)).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('session') });
    expect(errorOf(await web.call('web_session_open', { restore: 'no-such-save' })).code).toBe('NOT_FOUND');
    // alice, again, plus two more reach the limit of four.
    await web.call('web_session_open', { session: 'x1' });
    await web.call('web_session_open', { session: 'x2' });
    expect(errorOf(await web.call('web_session_open', { session: 'x3' })).code).toBe('LIMIT_EXCEEDED');
  });
});
