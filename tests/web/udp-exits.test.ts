// Exits that are not HTTP: WebRTC (STUN checks and ICE candidates), WebTransport (QUIC) and name
// lookups. Routing and the filter proxy never see UDP, so these are checked against a real UDP
// listener that is on no list: a page on the one allowed origin tries every way to reach it, from
// the main frame, an iframe and a popup created later, and a worker; not one datagram may arrive.
// The name lookups Chromium makes are read from its own network log.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { OriginGuard } from '../../servers/web/origin-guard.js';
import { CHROMIUM_ARGS, findChromium } from '../../shared/chromium.js';
import { startTestSite, type TestSite } from '../fixtures/web/site.js';
import { startWeb, type WebHarness } from './harness.js';

interface UdpListener {
  port: number;
  /** Every datagram received, as printable text. */
  datagrams: string[];
  close(): void;
}

/** A UDP listener on 127.0.0.1 and, on the same port, ::1 (where `localhost` may resolve). */
async function udpListener(): Promise<UdpListener> {
  const datagrams: string[] = [];
  const record = (message: Buffer) => datagrams.push(message.toString('latin1').replace(/[^\x20-\x7e]/g, '.'));
  const v4 = createSocket('udp4');
  v4.on('message', record);
  await new Promise<void>((resolve) => v4.bind(0, '127.0.0.1', resolve));
  const port = v4.address().port;
  const sockets: Socket[] = [v4];
  const v6 = createSocket('udp6');
  v6.on('message', record);
  v6.on('error', () => undefined); // no IPv6 loopback on this machine: 127.0.0.1 is enough
  await new Promise<void>((resolve) => {
    v6.once('error', () => resolve());
    v6.bind(port, '::1', () => {
      sockets.push(v6);
      resolve();
    });
  });
  return {
    port,
    datagrams,
    close: () => {
      for (const socket of sockets) socket.close();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let site: TestSite;
let udp: UdpListener;

beforeAll(async () => {
  site = await startTestSite({ tableRows: 10 });
  udp = await udpListener();
});
afterAll(async () => {
  udp?.close();
  await site?.close();
});

describe('a page cannot send data over UDP', () => {
  let web: WebHarness;
  let netLog: string;
  let logDir: string;
  let closed = false;

  beforeAll(async () => {
    // The server's own Chromium, with its network log on: the log records every name it resolves.
    logDir = mkdtempSync(join(tmpdir(), 'hearth-netlog-'));
    netLog = join(logDir, 'netlog.json');
    web = await startWeb({
      policy: { mode: 'autopilot', web: { origins: [site.origin] } },
      set: ['servers.web.screenshots=off', `servers.web.args=${JSON.stringify([`--log-net-log=${netLog}`])}`],
    });
  });
  afterAll(async () => {
    if (!closed) await web?.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('WebRTC, STUN and WebTransport from every frame, a popup and a worker reach no UDP listener', async () => {
    const opened = await web.call('web_navigate', { url: `${site.origin}/udp-exits.html?udp=${udp.port}` });
    expect(opened.isError, opened.text).toBe(false);
    // The page's own tab (the popup it opens may become the active one).
    const tabs = (await web.call('web_tabs', {})).structured.tabs as { id: string; url: string }[];
    const tab = tabs.find((t) => t.url.includes('/udp-exits.html'))!.id;
    const done = await web.call('web_wait_for', { text: 'done', timeoutMs: 30_000, tab });
    expect(done.isError, done.text).toBe(false);
    const report = String((await web.call('web_extract', { kind: 'text', target: { css: '#result' }, tab })).structured.text);
    // Late datagrams (STUN retransmissions) would still count.
    await sleep(1_000);
    expect(udp.datagrams, report).toEqual([]);
    // The page did try everywhere, and found nothing to try with.
    for (const realm of ['main frame', 'late iframe', 'srcdoc iframe', 'popup'])
      expect(report, realm).toContain(`${realm}: no RTCPeerConnection`);
    expect(report).toContain('main frame: no WebTransport');
    expect(report).toContain('late iframe: no WebTransport');
    // A worker keeps WebTransport (no script can be put in before a worker's own); it cannot connect.
    expect(report).toMatch(/worker: WebTransport to 127\.0\.0\.1 failed .*WebTransport to localhost failed .*no RTCPeerConnection/);
  });

  it('Chromium looks up no host name outside the allowlist, though the page asked for several', async () => {
    await web.close();
    closed = true;
    // The names the page spelled out reached the network stack…
    expect(readFileSync(netLog, 'utf8')).toMatch(/fetch-hunter2passwordvalue\.leak\.test/);
    // …but no lookup job, the part that sends a DNS query, ran for anything but the allowed host.
    const log = netLogEvents(netLog);
    const looked = log.filter((e) => e.type === 'HOST_RESOLVER_MANAGER_JOB').map((e) => e.host);
    expect(looked.filter((host) => host !== '127.0.0.1')).toEqual([]);
  });
});

describe('the launch switches alone', () => {
  it('keep WebRTC off UDP even where a page still has RTCPeerConnection', async () => {
    const policy = {
      originAllowed: (url: URL) => url.origin === site.origin,
      source: 'test',
      policy: { web: { origins: [site.origin] } },
    };
    const guard = new OriginGuard(policy, () => undefined);
    const browser = await chromium.launch({ executablePath: findChromium().path, args: [...CHROMIUM_ARGS] });
    try {
      // A context like a session's (the same proxy), without the session's init scripts.
      const context = await browser.newContext({ proxy: await guard.proxySettings() });
      const page = await context.newPage();
      const before = udp.datagrams.length;
      await page.goto(`${site.origin}/udp-exits.html?udp=${udp.port}`);
      await page.waitForFunction(() => document.getElementById('result')?.textContent?.startsWith('done'), undefined, { timeout: 30_000 });
      const report = (await page.textContent('#result')) ?? '';
      await sleep(1_000);
      expect(report).toContain('main frame: RTCPeerConnection started');
      expect(udp.datagrams.slice(before), report).toEqual([]);
    } finally {
      await browser.close();
      await guard.close();
    }
  });
});

/** The host-resolver events of a Chromium network log, with the host name each is about. */
function netLogEvents(file: string): { type: string; host: string }[] {
  const log = JSON.parse(readFileSync(file, 'utf8')) as {
    constants: { logEventTypes: Record<string, number> };
    events: { type: number; params?: { host?: string } }[];
  };
  const names = new Map(Object.entries(log.constants.logEventTypes).map(([name, id]) => [id, name]));
  const out: { type: string; host: string }[] = [];
  for (const event of log.events) {
    const type = names.get(event.type) ?? '';
    const host = event.params?.host;
    if (!type.startsWith('HOST_RESOLVER') || typeof host !== 'string') continue;
    // "https://name:443" or "name"
    out.push({ type, host: /^[a-z]+:\/\//.test(host) ? new URL(host).hostname : host });
  }
  return out;
}
