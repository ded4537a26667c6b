// One tab (Playwright page) of a session: its id, its navigation count, the fetch/XHR requests in
// flight, and the last snapshot taken of it (the base of the next delta and of snapshot paging).
import type { Frame, Page, Request } from 'playwright-core';
import type { Snapshot } from './snapshot.js';

const TRACKED = new Set(['fetch', 'xhr', 'eventsource']);

function mainFrameOf(request: Request): Frame | undefined {
  try {
    return request.frame();
  } catch {
    // A popup's first request has no frame yet.
    return undefined;
  }
}

export class Tab {
  /** Main-frame navigations so far; a snapshot taken before the last one is stale. */
  navigations = 0;
  lastSnapshot: Snapshot | undefined;
  readonly inflight = new Set<Request>();
  private readonly listeners: (() => void)[] = [];

  constructor(
    readonly id: string,
    readonly page: Page,
    /** Opened by a page (window.open, target=_blank), not by a tool. */
    readonly popup = false,
  ) {
    const onNavigated = (frame: Frame) => {
      if (frame === page.mainFrame()) {
        this.navigations++;
        this.lastSnapshot = undefined;
      }
    };
    // A main-frame document request is tracked too: one that turns into a download never commits,
    // and waiting for it to end is what lets the download be reported with the action.
    const onRequest = (request: Request) => {
      const type = request.resourceType();
      if (TRACKED.has(type) || (type === 'document' && mainFrameOf(request) === page.mainFrame())) this.inflight.add(request);
    };
    const onDone = (request: Request) => this.inflight.delete(request);
    page.on('framenavigated', onNavigated);
    page.on('request', onRequest);
    page.on('requestfinished', onDone);
    page.on('requestfailed', onDone);
    this.listeners.push(() => {
      page.off('framenavigated', onNavigated);
      page.off('request', onRequest);
      page.off('requestfinished', onDone);
      page.off('requestfailed', onDone);
    });
  }

  get closed(): boolean {
    return this.page.isClosed();
  }

  dispose(): void {
    for (const off of this.listeners) off();
    this.inflight.clear();
  }
}

export interface Mark {
  navigations: number;
  requests: Set<Request>;
}

export function mark(tab: Tab): Mark {
  return { navigations: tab.navigations, requests: new Set(tab.inflight) };
}

/**
 * Waits for what an action set in motion, without fixed sleeps: a navigation it started (until the
 * new document's DOMContentLoaded), and the fetch/XHR requests it started (up to `settleMs`).
 * Returns the number of elements on the page, read in a round-trip that also lets timers queued
 * by the action's handlers run.
 */
export async function settle(tab: Tab, before: Mark, options: { settleMs: number; navigationTimeoutMs: number; signal?: AbortSignal }): Promise<{ navigated: boolean; elements: number; pending: number }> {
  const { page } = tab;
  if (page.isClosed()) return { navigated: false, elements: 0, pending: 0 };
  const count = () =>
    page
      .evaluate(() => new Promise<number>((resolve) => setTimeout(() => resolve(document.getElementsByTagName('*').length), 0)))
      .catch(() => 0);
  const navigated = () => tab.navigations > before.navigations;
  const loaded = () => page.waitForLoadState('domcontentloaded', { timeout: options.navigationTimeoutMs }).catch(() => undefined);
  if (navigated()) await loaded();
  const seen = tab.navigations;
  let elements = await count();
  const started = () => [...tab.inflight].filter((r) => !before.requests.has(r));
  let pending = started();
  if (pending.length && options.settleMs > 0) {
    const deadline = performance.now() + options.settleMs;
    while (pending.length && performance.now() < deadline && !options.signal?.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      pending = started();
    }
    elements = await count();
  }
  // A timer or a response handler may have started a navigation meanwhile.
  if (tab.navigations > seen) {
    await loaded();
    elements = await count();
  }
  return { navigated: navigated(), elements, pending: pending.length };
}
