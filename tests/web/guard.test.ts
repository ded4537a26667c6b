// The origin allowlist against a real Chromium: every way a page can reach a foreign origin —
// server redirect, iframe, subresource, popup, target=_blank, fetch, XHR, a fetch through a
// redirect, beacon, WebSocket, form post — is blocked and reported, and the foreign server never
// sees a single request. Allowed traffic (a local fetch, a local WebSocket) still works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestSite, type TestSite } from '../fixtures/web/site.js';
import { errorOf, eventsUntil, startWeb, type ToolOutcome, type WebEvents, type WebHarness } from './harness.js';

let site: TestSite;
let web: WebHarness;

beforeAll(async () => {
  site = await startTestSite({ tableRows: 10 });
  web = await startWeb({ policy: { mode: 'autopilot', web: { origins: [site.origin] } }, set: ['servers.web.screenshots=off'] });
});
afterAll(async () => {
  await web?.close();
  await site?.close();
});

type Events = WebEvents;

function blockedUrls(events: Events): string[] {
  return events.filter((e) => e.kind === 'blocked').map((e) => e.url ?? '');
}

/** The events until one blocks `url` (and, when asked, until a popup was closed). */
function eventsAround(result: ToolOutcome, url: string, popupClosed = false): Promise<Events> {
  return eventsUntil(
    web,
    result,
    (events) => blockedUrls(events).includes(url) && (!popupClosed || events.some((e) => e.kind === 'popup' && /closed/.test(e.text))),
  );
}

describe('the origin guard', () => {
  it('refuses to open file:, chrome:, javascript:, data: and foreign URLs', async () => {
    for (const url of [
      'file:///etc/passwd',
      'chrome://version',
      'javascript:alert(1)',
      'data:text/html,<h1>hi</h1>',
      `${site.foreignOrigin}/`,
    ]) {
      const result = await web.call('web_navigate', { url });
      expect(result.isError, url).toBe(true);
      expect(errorOf(result).code, url).toBe('ORIGIN_NOT_ALLOWED');
    }
  });

  it('blocks a server redirect to a foreign origin and says so', async () => {
    const result = await web.call('web_navigate', { url: `${site.origin}/redirect-foreign` });
    expect(result.isError).toBe(false);
    expect(result.structured.did).toMatch(/redirected to http:\/\/localhost:\d+\/landing, which is blocked/);
    expect(result.text).toContain('Blocked by Hearth');
    expect(result.text).not.toContain('FOREIGN CONTENT');
    expect(blockedUrls(result.structured.events as Events)).toContain(`${site.foreignOrigin}/landing`);
  });

  it('blocks a foreign iframe and image, and keeps the local iframe usable', async () => {
    const result = await web.call('web_navigate', { url: `${site.origin}/frames.html` });
    const events = result.structured.events as Events;
    expect(blockedUrls(events)).toEqual(expect.arrayContaining([`${site.foreignOrigin}/frame.html`, `${site.foreignOrigin}/pixel.png`]));
    expect(events.find((e) => e.url === `${site.foreignOrigin}/frame.html`)?.text).toContain('(iframe)');
    expect(result.text).toContain('Inner frame ready');
    const ref = /button "Inner button" \[ref=(f\d+e\d+)\]/.exec(result.text)?.[1];
    expect(ref).toBeDefined();
    const clicked = await web.call('web_click', { target: ref });
    expect(clicked.isError).toBe(false);
    expect(clicked.text).toContain('Inner button clicked');
  });

  it('blocks and closes a popup to a foreign origin; a local popup opens as a new tab', async () => {
    await web.call('web_navigate', { url: `${site.origin}/popup.html` });
    const foreign = await web.call('web_click', { target: { role: 'button', name: 'Open foreign popup' } });
    const events = await eventsAround(foreign, `${site.foreignOrigin}/popup.html`, true);
    expect(blockedUrls(events)).toContain(`${site.foreignOrigin}/popup.html`);
    expect(events.some((e) => e.kind === 'popup' && /closed/.test(e.text))).toBe(true);
    const tabs = await web.call('web_tabs', {});
    expect((tabs.structured.tabs as { url: string }[]).every((t) => !t.url.includes(site.foreignOrigin))).toBe(true);

    const blank = await web.call('web_click', { target: { role: 'link', name: 'Foreign link in a new tab' } });
    expect(blockedUrls(await eventsAround(blank, `${site.foreignOrigin}/linked.html`))).toContain(`${site.foreignOrigin}/linked.html`);

    const local = await web.call('web_click', { target: { text: 'Open local popup' } });
    expect(local.structured.did).toMatch(/it opened tab t\d+, now active/);
    expect(local.text).toContain('I am the popup');
    const back = await web.call('web_tabs', { action: 'select', tab: 't1' });
    expect(back.structured.active).toBe('t1');
  });

  it('blocks fetch, XHR, a fetch through a redirect and a beacon; a local fetch works', async () => {
    await web.call('web_navigate', { url: `${site.origin}/fetch.html` });
    const local = await web.call('web_click', { target: { role: 'button', name: 'Fetch local' } });
    expect(local.text).toContain('ok: {');
    for (const [button, url] of [
      ['Fetch foreign', `${site.foreignOrigin}/api/data`],
      ['XHR foreign', `${site.foreignOrigin}/api/xhr`],
      ['Fetch through a redirect', `${site.foreignOrigin}/landing`],
      ['Beacon foreign', `${site.foreignOrigin}/api/beacon`],
    ] as const) {
      const result = await web.call('web_click', { target: { role: 'button', name: button } });
      expect(result.isError, button).toBe(false);
      expect(blockedUrls(await eventsAround(result, url)), button).toContain(url);
    }
    const text = await web.call('web_extract', { kind: 'text', target: { css: '#result' } });
    expect(text.structured.text).not.toContain('foreign');
  });

  it('blocks a foreign WebSocket; a local one connects', async () => {
    await web.call('web_navigate', { url: `${site.origin}/ws.html` });
    const foreign = await web.call('web_click', { target: { role: 'button', name: 'Connect foreign socket' } });
    const ws = `${site.foreignOrigin.replace('http', 'ws')}/ws`;
    expect(blockedUrls(await eventsAround(foreign, ws))).toContain(ws);
    const local = await web.call('web_click', { target: { role: 'button', name: 'Connect local socket' } });
    const done = await web.call('web_wait_for', { text: 'message: local hello', timeoutMs: 5_000 });
    expect(local.isError || done.isError).toBe(false);
  });

  it('blocks a form that posts to a foreign origin', async () => {
    await web.call('web_navigate', { url: `${site.origin}/form-foreign.html` });
    const result = await web.call('web_fill_form', {
      fields: [{ target: { label: 'Your email' }, value: 'me@example.com' }],
      submit: true,
    });
    const events = await eventsAround(result, `${site.foreignOrigin}/collect`);
    expect(blockedUrls(events)).toContain(`${site.foreignOrigin}/collect`);
  });

  it('never let a request reach the foreign server', () => {
    expect(site.foreignHits).toEqual([]);
  });
});
