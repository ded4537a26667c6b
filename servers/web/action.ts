// The life of one page action: take the session's turn, do the action, wait for what it set in
// motion (navigation, requests, popups, downloads), show what changed, report what happened on the
// side (blocked requests, dialogs), and log it with a screenshot. Every tool that touches a page
// goes through here, so they all behave the same.
import { HearthError, isHearthError } from '../../lib/errors.js';
import type { ToolContext } from '../../shared/tool.js';
import type { WebEvent } from './events.js';
import { fromPlaywright } from './playwright-errors.js';
import type { WebRuntime } from './runtime.js';
import type { PageResult } from './schemas.js';
import type { DialogPlan, WebSession } from './session.js';
import { maskText } from './snapshot.js';
import { mark, settle, type Tab } from './tab.js';
import { actionView } from './view.js';

export interface ActionSpec {
  session?: string | undefined;
  tab?: string | undefined;
  /** Masked arguments for the session log. */
  logArgs: unknown;
  dialog?: DialogPlan | undefined;
  /** Always show a snapshot (not a delta) afterwards, e.g. after navigating. */
  freshView?: boolean;
  /** Does the work; returns what was done, in one line. */
  act: (tab: Tab, session: WebSession) => Promise<string>;
}

export interface ActionOutcome {
  structured: PageResult;
  text: string;
}

export function renderEvents(events: readonly WebEvent[]): string {
  return events.map((e) => `! ${e.text}`).join('\n');
}

/** Runs `spec.act` on a session's tab and returns the standard page result. */
export async function runAction(runtime: WebRuntime, ctx: ToolContext, spec: ActionSpec): Promise<ActionOutcome> {
  const session = await runtime.sessions.acquire(spec.session);
  return session.run(async () => {
    const { settings } = runtime;
    // The previous action's screenshot must show the page as that action left it, not midway
    // through this one: it is taken off that action's critical path, but before this one starts.
    await session.log.flush();
    const tab = session.tab(spec.tab);
    const before = mark(tab);
    const tabsBefore = new Set(session.tabs.keys());
    session.dialogPlan = spec.dialog;
    let did: string;
    let current = tab;
    let settled: { navigated: boolean; elements?: number | undefined };
    // Cancelling the call stops the load it started (a navigation, a submit), so it does not run
    // on into the next call's turn.
    const stop = () => void tab.stopLoading();
    ctx.signal.addEventListener('abort', stop, { once: true });
    try {
      try {
        did = await spec.act(tab, session);
      } catch (error) {
        const hearth = isHearthError(error) ? error : fromPlaywright(error, ctx.tool.replace(/^web_/, ''), { signal: ctx.signal });
        const events = session.events.drain();
        const seq = session.log.record({
          tool: ctx.tool,
          args: spec.logArgs,
          url: tab.page.url(),
          error: { code: hearth.code, message: hearth.message },
          events,
        });
        session.log.screenshot(seq, tab);
        if (events.length) {
          throw new HearthError(hearth.code, hearth.message, hearth.hint, { details: { ...(hearth.details ?? {}), events } });
        }
        throw hearth;
      }
      settled = await settle(tab, before, {
        settleMs: settings.settleMs,
        navigationTimeoutMs: settings.navigationTimeoutMs,
        signal: ctx.signal,
      });
      await session.downloadsSettled(Math.min(settings.settleMs, 2_000));
      await session.popupsSettled(Math.min(settings.settleMs, 1_000));
      // A popup or target=_blank page the action opened becomes the active tab, as it would for a person.
      const opened = [...session.tabs.values()].filter((t) => !tabsBefore.has(t.id) && !t.closed);
      if (opened.length) {
        current = opened[opened.length - 1]!;
        session.activeTab = current.id;
        await current.page.waitForLoadState('domcontentloaded', { timeout: settings.navigationTimeoutMs }).catch(() => undefined);
        settled = { navigated: true };
        did += `; it opened tab ${current.id}, now active`;
      } else if (tab.closed) {
        const active = session.activeTab ? session.tabs.get(session.activeTab) : undefined;
        if (active) {
          current = active;
          did += `; the tab closed, tab ${active.id} is active`;
          settled = { navigated: true };
        }
      }
    } finally {
      ctx.signal.removeEventListener('abort', stop);
      session.dialogPlan = undefined;
    }
    ctx.throwIfCancelled();
    const view = await actionView(session, current, {
      fresh: spec.freshView === true || settled.navigated,
      elements: settled.elements,
      maxChars: settings.viewMaxChars,
      maxElements: settings.autoSnapshotMaxElements,
      signal: ctx.signal,
    });
    const events = session.events.drain();
    const url = current.page.isClosed() ? '' : current.page.url();
    const title = view.title ?? (current.page.isClosed() ? '' : await current.page.title().catch(() => ''));
    const outline = maskText(view.text, session.secrets);
    const structured: PageResult = {
      session: session.id,
      tab: current.id,
      url,
      title,
      did: maskText(did, session.secrets),
      navigated: settled.navigated,
      view: { ...view.info, outline },
      events,
    };
    const seq = session.log.record({ tool: ctx.tool, args: spec.logArgs, url, title, summary: structured.did, events });
    session.log.screenshot(seq, current);
    const header = `${structured.did}\n${title ? `${title} — ` : ''}${url}`;
    const text = [header, outline, renderEvents(events)].filter(Boolean).join('\n');
    return { structured, text };
  });
}
