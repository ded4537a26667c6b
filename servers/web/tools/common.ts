// What the web tools' previews share: read-only looks at the page (they never open a session or
// change a page) and the lines that describe where and on what an action would act.
import type { Preview } from '../../../lib/preview.js';
import { type ElementInfo, elementInfo } from '../element-info.js';
import type { WebRuntime } from '../runtime.js';
import type { PageArgs } from '../tab-tool.js';
import { describeTarget, resolveTarget, type Target } from '../target.js';

export interface Where {
  url: string;
  title: string;
}

/** Where a call would act, if its session and tab are open; never opens anything. */
export async function where(runtime: WebRuntime, args: PageArgs): Promise<Where | undefined> {
  const session = runtime.sessions.find(args.session);
  if (!session) return undefined;
  try {
    const tab = session.tab(args.tab);
    return { url: tab.page.url(), title: await tab.page.title().catch(() => '') };
  } catch {
    return undefined;
  }
}

/** What the target is on the page now (one probe, no waiting), for a preview. */
export async function probe(runtime: WebRuntime, args: PageArgs, target: Target): Promise<ElementInfo | undefined> {
  const session = runtime.sessions.find(args.session);
  if (!session) return undefined;
  try {
    const tab = session.tab(args.tab);
    const { locator } = await resolveTarget(tab.page, target, { field: 'target', timeoutMs: 0 });
    return await elementInfo(locator, 1_000);
  } catch {
    return undefined;
  }
}

export function placeOf(w: Where | undefined): string {
  if (!w) return 'the page (no session is open yet, so the element was not looked up)';
  return `${w.title ? `"${w.title}" ` : ''}${w.url}`;
}

export function elementLine(target: Target, info: ElementInfo | undefined): string {
  if (!info) return `${describeTarget(target)} (not found on the page right now)`;
  return `${info.label ? JSON.stringify(info.label) : describeTarget(target)} (${info.kind === 'other' ? `<${info.tag}>` : info.kind})`;
}

export function notePreview(summary: string, text: string): Preview {
  return { summary, changes: [{ kind: 'note', text }] };
}
