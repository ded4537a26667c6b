// A session: one isolated browser context (its own cookies, storage and cache) with its tabs, its
// origin guard and filter proxy, its event queue, its artifact log and its downloads folder.
// Calls on one session run one at a time; different sessions run in parallel.
import { existsSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { Logger } from 'pino';
import type { Browser, BrowserContext, Dialog, Download, Page } from 'playwright-core';

import { describeError, HearthError } from '../../lib/errors.js';
import { EventQueue, type WebEvent } from './events.js';
import { type BlockReport, OriginGuard } from './origin-guard.js';
import type { StorageState } from './saved-sessions.js';
import { SessionLog } from './session-log.js';
import type { WebSettings } from './settings.js';
import { Tab } from './tab.js';
import type { OriginPolicy } from './url-policy.js';

export interface DialogPlan {
  accept: boolean;
  promptText?: string | undefined;
}

export interface SessionOptions {
  id: string;
  restoredFrom?: string | undefined;
  storageState?: StorageState | undefined;
  trace?: boolean | undefined;
}

export interface SessionDeps {
  browser: Browser;
  settings: WebSettings;
  policy: OriginPolicy;
  log: Logger;
  /** <home>/web */
  root: string;
}

function safeFileName(name: string): string {
  const base = basename(name)
    .replace(/[^A-Za-z0-9._ -]+/g, '_')
    .replace(/^[.\s]+/, '')
    .slice(0, 120);
  return base || 'download';
}

/**
 * A page tells the server, through this binding, that it is about to open a new tab. The browser
 * announces the tab itself a moment later, after the action has otherwise settled; knowing one is
 * coming lets the action wait for it and report it in the same result.
 */
const OPENING_BINDING = '__hearthOpening';
const OPENING_SCRIPT = `(() => {
  const notify = () => { try { globalThis.${OPENING_BINDING}?.(); } catch {} };
  const opensNewTab = (target) => Boolean(target) && !['_self', '_top', '_parent'].includes(target.toLowerCase());
  const open = window.open;
  window.open = function (...args) { notify(); return open.apply(this, args); };
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a[href][target]') : null;
    if (a && opensNewTab(a.target)) notify();
  }, true);
  document.addEventListener('submit', (e) => {
    if (e.target instanceof HTMLFormElement && opensNewTab(e.target.target)) notify();
  }, true);
})();`;

export class WebSession {
  readonly id: string;
  readonly createdAt = new Date();
  readonly restoredFrom: string | undefined;
  readonly events = new EventQueue();
  /** Values typed into password fields: masked wherever this session's output shows them. */
  readonly secrets = new Set<string>();
  readonly tabs = new Map<string, Tab>();
  readonly downloadsDir: string;
  readonly log: SessionLog;
  readonly tracing: boolean;
  activeTab: string | undefined;
  /** How the next dialog is answered; set by the action that may open one. */
  dialogPlan: DialogPlan | undefined;
  private tabCounter = 0;
  private ownPages = 0;
  /** New tabs whose first navigation was blocked and whose page has not shown up yet. */
  private blockedPopups = 0;
  /** New tabs a page said it is opening (window.open, target=_blank) that have not appeared yet. */
  private expectedPopups = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closing = false;
  private readonly downloads = new Set<Promise<void>>();

  private constructor(
    options: SessionOptions,
    private readonly deps: SessionDeps,
    readonly context: BrowserContext,
    private readonly guard: OriginGuard,
    log: SessionLog,
  ) {
    this.id = options.id;
    this.restoredFrom = options.restoredFrom;
    this.tracing = options.trace === true;
    this.log = log;
    this.downloadsDir = join(deps.root, 'downloads', log.folder);
  }

  static async open(options: SessionOptions, deps: SessionDeps): Promise<WebSession> {
    // The guard reports into the session, which exists only once the context does.
    const holder: { session?: WebSession } = {};
    const guard = new OriginGuard(deps.policy, (event, block) => holder.session?.onBlocked(event, block));
    const proxy = await guard.proxySettings();
    let context: BrowserContext;
    try {
      const { settings } = deps;
      context = await deps.browser.newContext({
        proxy,
        serviceWorkers: 'block',
        acceptDownloads: true,
        viewport: settings.viewport,
        locale: settings.locale,
        ...(settings.timezoneId ? { timezoneId: settings.timezoneId } : {}),
        ...(settings.userAgent ? { userAgent: settings.userAgent } : {}),
        ...(options.storageState ? { storageState: options.storageState } : {}),
      });
    } catch (error) {
      await guard.close();
      throw new HearthError(
        'UNAVAILABLE',
        `could not create a browser session: ${describeError(error)}`,
        'Try again; if it keeps failing, restart the web server.',
      );
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const log = new SessionLog(
      join(deps.root, 'logs'),
      `${options.id}-${stamp}`,
      deps.log,
      deps.settings.screenshots === 'actions',
      deps.settings.screenshotScale,
    );
    const session = new WebSession(options, deps, context, guard, log);
    holder.session = session;
    try {
      context.setDefaultTimeout(deps.settings.actionTimeoutMs);
      context.setDefaultNavigationTimeout(deps.settings.navigationTimeoutMs);
      await guard.install(context);
      context.on('page', (page) => session.adopt(page));
      await context.exposeBinding(OPENING_BINDING, () => void session.expectedPopups++);
      await context.addInitScript(OPENING_SCRIPT);
      if (session.tracing) await context.tracing.start({ screenshots: true, snapshots: true });
      await session.newTab();
    } catch (error) {
      await session.close().catch(() => undefined);
      throw new HearthError(
        'UNAVAILABLE',
        `could not prepare the browser session: ${describeError(error)}`,
        'Try again; if it keeps failing, restart the web server.',
      );
    }
    return session;
  }

  /** Runs `fn` when the calls before it on this session have finished. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The active tab, or the named one. */
  tab(id?: string, field = 'tab'): Tab {
    if (this.closing)
      throw new HearthError(
        'NOT_FOUND',
        `session ${this.id} is closed`,
        'Open a new session with web_session_open, or omit session to use the default one.',
      );
    const want = id ?? this.activeTab;
    const tab = want ? this.tabs.get(want) : undefined;
    if (!tab || tab.closed) {
      if (id)
        throw new HearthError(
          'NOT_FOUND',
          `${field}: session ${this.id} has no tab ${id}`,
          `Open tabs: ${[...this.tabs.keys()].join(', ') || 'none'}. List them with web_tabs.`,
          { details: { field } },
        );
      throw new HearthError(
        'NOT_FOUND',
        `session ${this.id} has no open tab`,
        'Open a page with web_navigate (it opens a tab), or web_tabs with action "new".',
      );
    }
    return tab;
  }

  async newTab(): Promise<Tab> {
    if (this.tabs.size >= this.deps.settings.maxTabs) {
      throw new HearthError(
        'LIMIT_EXCEEDED',
        `session ${this.id} already has ${this.tabs.size} tabs (the limit is ${this.deps.settings.maxTabs})`,
        'Close a tab with web_tabs (action "close") first.',
      );
    }
    this.ownPages++;
    let page: Page;
    try {
      page = await this.context.newPage();
    } finally {
      this.ownPages--;
    }
    const tab = this.findTab(page) ?? this.adopt(page, true);
    this.activeTab = tab.id;
    return tab;
  }

  findTab(page: Page): Tab | undefined {
    for (const tab of this.tabs.values()) if (tab.page === page) return tab;
    return undefined;
  }

  /** Registers a page the context opened: our own new tab, or one the page opened (popup, target=_blank). */
  private adopt(page: Page, own = this.ownPages > 0): Tab {
    const existing = this.findTab(page);
    if (existing) return existing;
    const tab = new Tab(`t${++this.tabCounter}`, page, !own);
    this.tabs.set(tab.id, tab);
    if (this.tabs.size > this.deps.settings.maxTabs) {
      this.events.push({
        kind: 'popup',
        tab: tab.id,
        text: `a new tab was closed at once: the session is at its limit of ${this.deps.settings.maxTabs} tabs`,
      });
      void page.close().catch(() => undefined);
    } else if (!own && page.url().startsWith('chrome-error:')) {
      this.blockedPopups = Math.max(0, this.blockedPopups - 1);
      // A popup whose first page was blocked: it could only ever show an error.
      this.events.push({ kind: 'popup', tab: tab.id, text: `closed the new tab ${tab.id} the page opened: its address was blocked` });
      void page.close().catch(() => undefined);
    } else if (!own) {
      this.events.push({ kind: 'popup', tab: tab.id, text: `the page opened a new tab ${tab.id}` });
    }
    if (!own) this.expectedPopups = Math.max(0, this.expectedPopups - 1);
    this.activeTab ??= tab.id;
    page.on('dialog', (dialog) => void this.onDialog(tab, dialog));
    page.on('download', (download) => this.onDownload(tab, download));
    page.on('crash', () =>
      this.events.push({ kind: 'crash', tab: tab.id, text: `the page in tab ${tab.id} crashed; reload it with web_navigate` }),
    );
    if (page.isClosed()) return tab;
    page.on('close', () => {
      tab.dispose();
      this.tabs.delete(tab.id);
      if (this.activeTab === tab.id) this.activeTab = [...this.tabs.keys()].pop();
    });
    return tab;
  }

  private onBlocked(event: WebEvent, block?: BlockReport): void {
    if (block?.kind === 'navigation (new tab)') this.blockedPopups++;
    const page = block?.page;
    const tab = page ? this.findTab(page) : undefined;
    this.events.push(tab ? { ...event, tab: tab.id } : event);
    // A popup whose very first page is on a foreign origin is closed: it could only show an error.
    if (!page || !block?.navigation || block.kind !== 'navigation' || (tab && !tab.popup) || /^https?:/.test(page.url())) return;
    void page
      .opener()
      .then((opener) => {
        if (!opener || page.isClosed()) return;
        const id = this.findTab(page)?.id;
        this.events.push({
          kind: 'popup',
          ...(id ? { tab: id } : {}),
          text: `closed the popup${id ? ` ${id}` : ''}: its page ${block.url} is on a blocked origin`,
        });
        return page.close();
      })
      .catch(() => undefined);
  }

  private async onDialog(tab: Tab, dialog: Dialog): Promise<void> {
    const type = dialog.type();
    const plan = this.dialogPlan;
    const accept = type === 'alert' || type === 'beforeunload' ? true : (plan?.accept ?? false);
    const message = dialog.message().slice(0, 300);
    try {
      if (accept) await dialog.accept(type === 'prompt' ? (plan?.promptText ?? dialog.defaultValue()) : undefined);
      else await dialog.dismiss();
    } catch {
      // The page closed with the dialog open.
    }
    const hint = !accept && !plan ? ' (repeat the action with dialog {"accept": true} to accept it)' : '';
    this.events.push({
      kind: 'dialog',
      tab: tab.id,
      text: `${type} dialog ${JSON.stringify(message)} was ${accept ? 'accepted' : 'dismissed'}${hint}`,
    });
  }

  private onDownload(tab: Tab, download: Download): void {
    const job = (async () => {
      mkdirSync(this.downloadsDir, { recursive: true, mode: 0o700 });
      const wanted = safeFileName(download.suggestedFilename());
      let file = join(this.downloadsDir, wanted);
      for (let i = 1; existsSync(file); i++) file = join(this.downloadsDir, wanted.replace(/(\.[^.]*)?$/, `-${i}$1`));
      try {
        await download.saveAs(file);
        const bytes = statSync(file).size;
        if (bytes > this.deps.settings.downloadMaxBytes) {
          unlinkSync(file);
          this.events.push({
            kind: 'download',
            tab: tab.id,
            url: download.url(),
            text: `download ${wanted} was deleted: ${bytes} bytes is over the ${this.deps.settings.downloadMaxBytes}-byte limit`,
          });
          return;
        }
        this.events.push({ kind: 'download', tab: tab.id, url: download.url(), text: `downloaded ${wanted} (${bytes} bytes) to ${file}` });
      } catch (error) {
        this.events.push({
          kind: 'download',
          tab: tab.id,
          url: download.url(),
          text: `download ${wanted} failed: ${describeError(error)}`,
        });
      }
    })();
    this.downloads.add(job);
    void job.finally(() => this.downloads.delete(job));
  }

  /** Waits up to `ms` for the tabs of blocked popups to appear (and be closed), so one result reports both. */
  async popupsSettled(ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while ((this.blockedPopups > 0 || this.expectedPopups > 0) && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    this.blockedPopups = 0;
    this.expectedPopups = 0;
  }

  /** Waits up to `ms` for downloads in progress. */
  async downloadsSettled(ms: number): Promise<void> {
    if (!this.downloads.size) return;
    await Promise.race([Promise.all(this.downloads), new Promise((resolve) => setTimeout(resolve, ms))]);
  }

  get isClosed(): boolean {
    return this.closing;
  }

  /** Closes the context; saves the trace into the session log folder when tracing. */
  async close(): Promise<{ trace?: string }> {
    if (this.closing) return {};
    this.closing = true;
    let trace: string | undefined;
    try {
      await this.log.flush();
      await this.downloadsSettled(2_000);
      if (this.tracing) {
        trace = join(this.log.dir, 'trace.zip');
        await this.context.tracing.stop({ path: trace }).catch((error: unknown) => {
          this.deps.log.warn({ err: describeError(error) }, 'could not save the trace');
          trace = undefined;
        });
      }
      await this.context.close().catch(() => undefined);
    } finally {
      for (const tab of this.tabs.values()) tab.dispose();
      this.tabs.clear();
      await this.guard.close();
    }
    return trace ? { trace } : {};
  }
}
