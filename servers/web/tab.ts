// One tab (Playwright page) of a session: its id, its navigation count, the fetch/XHR requests in
// flight, and the last snapshot taken of it (the base of the next delta and of snapshot paging).
import type { CDPSession, Frame, Page, Request } from 'playwright-core';

import type { Snapshot } from './snapshot.js';

const TRACKED = new Set(['fetch', 'xhr', 'eventsource']);
const QUICK_SHOT_TIMEOUT_MS = 5_000;

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
  private readonly waiters = new Set<() => void>();
  private devtools: Promise<CDPSession> | undefined;

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
        for (const wake of this.waiters) wake();
      }
    };
    // A main-frame document request is tracked too: one that turns into a download never commits,
    // and waiting for it to end is what lets the download be reported with the action.
    const onRequest = (request: Request) => {
      const type = request.resourceType();
      if (TRACKED.has(type) || (type === 'document' && mainFrameOf(request) === page.mainFrame())) this.inflight.add(request);
    };
    const onDone = (request: Request) => {
      if (!this.inflight.delete(request)) return;
      for (const wake of this.waiters) wake();
    };
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

  /** Resolves when `done()` holds (checked whenever a tracked request ends or the page navigates) or after `ms`. */
  async until(done: () => boolean, ms: number, signal?: AbortSignal): Promise<void> {
    if (done() || ms <= 0) return;
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        signal?.removeEventListener('abort', finish);
        resolve();
      };
      const check = () => {
        if (done()) finish();
      };
      const timer = setTimeout(finish, ms);
      this.waiters.add(check);
      signal?.addEventListener('abort', finish, { once: true });
    });
  }

  /**
   * A JPEG of what the tab shows now, for the session log: a DevTools capture, without the page
   * preparation of page.screenshot (fonts, caret, animations), so about half its cost. Below
   * `scale` 1 the browser renders the visible area smaller, which costs less again: the capture is
   * the largest cost an action adds to the machine beyond the action itself, and the next action
   * waits for it.
   */
  async quickShot(scale = 1): Promise<Buffer> {
    this.devtools ??= this.page.context().newCDPSession(this.page);
    let timer: NodeJS.Timeout | undefined;
    try {
      const devtools = await this.devtools;
      const capture = async () => {
        let clip: { x: number; y: number; width: number; height: number; scale: number } | undefined;
        if (scale < 1) {
          // A clip is in document coordinates: the visible area is where the page is scrolled to.
          const { cssVisualViewport: v } = await devtools.send('Page.getLayoutMetrics');
          clip = { x: v.pageX, y: v.pageY, width: v.clientWidth, height: v.clientHeight, scale };
        }
        return devtools.send('Page.captureScreenshot', { format: 'jpeg', quality: 50, optimizeForSpeed: true, ...(clip ? { clip } : {}) });
      };
      const shot = capture();
      const late = new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error('the screenshot took too long')), QUICK_SHOT_TIMEOUT_MS)),
      );
      const { data } = await Promise.race([shot, late]);
      return Buffer.from(data, 'base64');
    } catch (error) {
      this.dropDevtools();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Stops whatever the tab is loading, as the browser's Stop button does: a navigation or the
   * resources of a page. A cancelled action calls it so the load ends with the call instead of
   * running on into the next one.
   */
  async stopLoading(): Promise<void> {
    if (this.page.isClosed()) return;
    this.devtools ??= this.page.context().newCDPSession(this.page);
    try {
      await (await this.devtools).send('Page.stopLoading');
    } catch {
      this.dropDevtools();
    }
  }

  private dropDevtools(): void {
    void this.devtools?.then((d) => d.detach()).catch(() => undefined);
    this.devtools = undefined;
  }

  dispose(): void {
    this.dropDevtools();
    for (const wake of this.waiters) wake();
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
 * Returns the number of elements on the page.
 */
export async function settle(
  tab: Tab,
  before: Mark,
  options: { settleMs: number; navigationTimeoutMs: number; signal?: AbortSignal },
): Promise<{ navigated: boolean; elements?: number; pending: number }> {
  const { page } = tab;
  if (page.isClosed()) return { navigated: false, elements: 0, pending: 0 };
  // Counted in Playwright's utility world, which the snapshot that follows uses too.
  const count = () =>
    page
      .locator('*')
      .count()
      .catch(() => 0);
  const navigated = () => tab.navigations > before.navigations;
  const loaded = () => page.waitForLoadState('domcontentloaded', { timeout: options.navigationTimeoutMs }).catch(() => undefined);
  // A document request that has not committed may still become a navigation (then the new page is
  // what matters) or a download (then it just ends).
  const started = () => [...tab.inflight].filter((r) => !before.requests.has(r) && !(navigated() && r.resourceType() === 'document'));
  if (navigated()) {
    // The action itself waited for the navigation (web_navigate, web_back): the page is here.
    await loaded();
    const pending = started();
    if (pending.length && options.settleMs > 0) await tab.until(() => started().length === 0, options.settleMs, options.signal);
    return { navigated: true, pending: started().length };
  }
  // One round-trip first: by its answer the browser has told us about the requests the action
  // started (a form post, a fetch).
  let elements: number | undefined = await count();
  let pending = started();
  const seen = tab.navigations;
  if (pending.length && options.settleMs > 0) {
    await tab.until(() => started().length === 0 || tab.navigations > seen, options.settleMs, options.signal);
    if (tab.navigations > seen) {
      await loaded();
      await tab.until(() => started().length === 0, options.settleMs, options.signal);
      elements = undefined;
    } else elements = await count();
    pending = started();
  } else if (tab.navigations > seen) {
    await loaded();
    elements = undefined;
  }
  return { navigated: navigated(), ...(elements === undefined ? {} : { elements }), pending: pending.length };
}
