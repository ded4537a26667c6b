// What a tool shows of the page after it ran: a delta against the last snapshot when one exists
// and the page did not navigate, otherwise a short snapshot; nothing on pages too big to snapshot
// on every action (the model asks for a focused web_snapshot instead).
import * as z from 'zod';

import { HearthError } from '../../lib/errors.js';
import { decodeCursor } from '../../shared/output.js';
import { diffLines } from './delta.js';
import type { WebSession } from './session.js';
import { captureSnapshot, cutNote, type Focus, maskText, type Snapshot, viewSnapshot } from './snapshot.js';
import type { Tab } from './tab.js';

export const ViewInfo = z
  .object({
    kind: z
      .enum(['delta', 'snapshot', 'unchanged', 'none'])
      .describe('The lines that changed (delta), a short snapshot, "unchanged", or nothing (page too large).'),
    lines: z.number().int().describe('Lines of page outline shown.'),
    truncated: z.boolean().describe('Whether the outline was cut to fit; it says how to see the rest.'),
    outline: z.string().describe('The page outline with refs: the changed lines, a short snapshot, or a note.'),
  })
  .describe('What the page shows after the action.');
export type ViewInfo = z.infer<typeof ViewInfo>;

export interface RenderedView {
  /** The view's kind and size; its outline is `text`, masked when the result is built. */
  info: Omit<ViewInfo, 'outline'>;
  text: string;
  /** The page title, when a snapshot was taken for the view. */
  title?: string;
}

function focusKey(focus: Focus): string {
  return JSON.stringify([focus.ref ?? '', focus.roles ?? [], focus.text ?? '', focus.interactive ?? false, focus.depth ?? -1]);
}

function snapshotCursorKey(session: WebSession, tab: Tab, snapshot: Snapshot, focus: Focus): string {
  return `${session.id}|${tab.id}|${snapshot.id}|${focusKey(focus)}`;
}

/** The snapshot a cursor continues, or a clear error when that snapshot is gone. */
export function snapshotForCursor(session: WebSession, tab: Tab, focus: Focus, cursor: string): Snapshot {
  const last = tab.lastSnapshot;
  if (last && last.navigation === tab.navigations) {
    try {
      decodeCursor(cursor, snapshotCursorKey(session, tab, last, focus));
      return last;
    } catch {
      // Fall through to the explanation below.
    }
  }
  throw new HearthError(
    'CONFLICT',
    'cursor: it belongs to an earlier snapshot or another focus — the page changed, another snapshot or action came in between, or ref/role/text differ',
    'Call web_snapshot again without cursor (and with the same focus) to start from the current page.',
    { details: { field: 'cursor' } },
  );
}

export async function takeSnapshot(session: WebSession, tab: Tab, signal?: AbortSignal): Promise<Snapshot> {
  const snapshot = await captureSnapshot(tab.page, {
    navigation: tab.navigations,
    secrets: session.secrets,
    ...(signal ? { signal } : {}),
  });
  tab.lastSnapshot = snapshot;
  return snapshot;
}

export function pageView(
  session: WebSession,
  tab: Tab,
  snapshot: Snapshot,
  focus: Focus,
  options: { maxChars: number; cursor?: string | undefined },
) {
  const key = snapshotCursorKey(session, tab, snapshot, focus);
  const view = viewSnapshot(snapshot, focus, { maxChars: options.maxChars, cursor: options.cursor, cursorKey: key });
  const note = cutNote(view);
  const text = maskText(view.text, session.secrets);
  return { view, text: note ? `${text}\n${note}` : text };
}

function tooBig(elements: number): RenderedView {
  return {
    info: { kind: 'none', lines: 0, truncated: true },
    text: `(the page has ${elements.toLocaleString('en-US')} elements, too many for an automatic snapshot; call web_snapshot with ref, role, text or interactive to see part of it)`,
  };
}

/**
 * The view after an action. `fresh`: the page is new (navigated, or another tab), so no delta.
 * `elements`: the page's size when already known; otherwise it is counted first (in the world the
 * snapshot uses, so the count costs a round-trip and no more) — a snapshot of a huge page cannot be
 * stopped once the renderer has started on it.
 */
export async function actionView(
  session: WebSession,
  tab: Tab,
  options: { fresh: boolean; elements?: number | undefined; maxChars: number; maxElements: number; signal?: AbortSignal },
): Promise<RenderedView> {
  if (tab.page.isClosed()) return { info: { kind: 'none', lines: 0, truncated: false }, text: '(the tab is closed)' };
  const elements =
    options.elements ??
    (await tab.page
      .locator('*')
      .count()
      .catch(() => 0));
  if (elements > options.maxElements) {
    tab.lastSnapshot = undefined;
    return tooBig(elements);
  }
  const previous = !options.fresh && tab.lastSnapshot?.navigation === tab.navigations ? tab.lastSnapshot : undefined;
  const snapshot = await takeSnapshot(session, tab, options.signal);
  const { title } = snapshot;
  if (previous) {
    const delta = diffLines(previous.full.lines, snapshot.full.lines);
    if (delta && delta.text.length === 0)
      return { info: { kind: 'unchanged', lines: 0, truncated: false }, text: '(no visible change on the page)', title };
    if (delta && delta.text.length <= options.maxChars)
      return { info: { kind: 'delta', lines: delta.added + delta.removed + delta.changed, truncated: false }, text: delta.text, title };
  }
  const { view, text } = pageView(session, tab, snapshot, {}, { maxChars: options.maxChars });
  return {
    info: { kind: 'snapshot', lines: view.shown[1] - view.shown[0] + (view.shown[1] ? 1 : 0), truncated: view.truncated },
    text,
    title,
  };
}
