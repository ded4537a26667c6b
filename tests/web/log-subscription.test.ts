// A web session's action log as a subscribed resource, with the real CLI over stdio, a real client,
// headless Chromium and the local test site: a subscriber hears that the log changed after each
// action's answer (never before it), reads the new entry, and hears nothing once it unsubscribes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestSite, type TestSite } from '../fixtures/web/site.js';
import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let site: TestSite;
let home: TempHome;
let conn: StdioConnection;
/** Answers and notifications in the order they came over the wire (the SDK's handlers may run them in another order). */
const seen: string[] = [];
/** The tool whose answer is awaited. */
let awaited = '';

beforeAll(async () => {
  site = await startTestSite();
  home = tempHome('hearth-web-log-subscription-');
  home.policy({ mode: 'autopilot', web: { origins: [site.origin] } });
  conn = await connectStdio('orchestrator/cli.ts', ['mcp', 'web'], { HEARTH_HOME: home.dir, HEARTH_LOG_LEVEL: 'warn' });
  conn.client.setNotificationHandler('notifications/resources/updated', () => undefined);
  const transport = conn.client.transport!;
  const deliver = transport.onmessage!;
  transport.onmessage = (message, extra) => {
    const m = message as { method?: string; params?: { uri?: string }; result?: { content?: unknown } };
    if (m.method === 'notifications/resources/updated') seen.push(`updated ${m.params?.uri}`);
    else if (m.result?.content !== undefined) seen.push(`answer ${awaited}`);
    deliver.call(transport, message, extra);
  };
});

afterAll(async () => {
  await conn?.close();
  await site?.close();
  home?.cleanup();
});

async function act(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  awaited = name;
  const result = await conn.client.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return (result.structuredContent ?? {}) as Record<string, unknown>;
}

/** Waits until `count` entries have been seen (or 10 s), then a little longer to catch any extra one. */
async function settled(count: number): Promise<string[]> {
  const start = Date.now();
  while (seen.length < count && Date.now() - start < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 300));
  return [...seen];
}

async function logLines(uri: string): Promise<{ seq: number; tool?: string; url?: string; screenshot?: string }[]> {
  const read = await conn.client.readResource({ uri });
  const text = (read.contents[0] as { text: string }).text;
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { seq: number; tool?: string; url?: string; screenshot?: string });
}

describe('the web session log as a subscribed resource', () => {
  it('announces each action after its answer, shows the new entry, and stops after unsubscribing', async () => {
    const opened = await act('web_session_open', { session: 'watched' });
    const uri = opened.log as string;
    expect(uri).toMatch(/^hearth:\/\/web\/logs\/watched-[^/]+\/actions\.jsonl$/);
    await act('web_navigate', { session: 'watched', url: `${site.origin}/apply.html` });

    await conn.client.subscribeResource({ uri });
    seen.length = 0;
    await act('web_navigate', { session: 'watched', url: `${site.origin}/late.html` });
    expect(await settled(2)).toEqual(['answer web_navigate', `updated ${uri}`]);
    const entries = (await logLines(uri)).filter((l) => l.tool);
    expect(entries.map((l) => [l.seq, l.tool, l.url])).toEqual([
      [1, 'web_navigate', `${site.origin}/apply.html`],
      [2, 'web_navigate', `${site.origin}/late.html`],
    ]);

    await conn.client.unsubscribeResource({ uri });
    seen.length = 0;
    await act('web_navigate', { session: 'watched', url: `${site.origin}/apply.html` });
    expect(await settled(2)).toEqual(['answer web_navigate']);
    // The log itself still grew: the silence is the unsubscribe, not a missing entry.
    expect((await logLines(uri)).filter((l) => l.tool).map((l) => l.seq)).toEqual([1, 2, 3]);
  });

  it('files each screenshot after its own entry, one per action, in order', async () => {
    const uri = ((await act('web_session_list', {})).sessions as { session: string; log: string }[]).find(
      (s) => s.session === 'watched',
    )!.log;
    // The next action waits for the earlier captures, so after it every earlier screenshot is filed.
    await act('web_navigate', { session: 'watched', url: `${site.origin}/late.html` });
    const lines = await logLines(uri);
    const order = lines.map((l) => (l.tool ? `entry ${l.seq}` : `shot ${l.seq}`));
    const entries = lines.filter((l) => l.tool).map((l) => l.seq);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    // Every entry but the newest (whose capture may still be on its way) has its screenshot, between it and the next entry.
    for (const seq of entries.slice(0, -1)) {
      expect(order.indexOf(`shot ${seq}`), order.join(', ')).toBeGreaterThan(order.indexOf(`entry ${seq}`));
      expect(order.indexOf(`shot ${seq}`), order.join(', ')).toBeLessThan(order.indexOf(`entry ${seq + 1}`));
    }
    expect(lines.filter((l) => l.screenshot).map((l) => l.screenshot)).toEqual(
      lines.filter((l) => l.screenshot).map((l) => `${String(l.seq).padStart(4, '0')}.jpg`),
    );
  });
});
