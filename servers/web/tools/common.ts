// Helpers the tool files share: read-only looks at the page for previews (they never open a session
// or change a page), and audit copies of arguments with secrets masked.
import type { Preview } from '../../../lib/preview.js';
import { copyArgs, MASKED, SECRET_HINT } from '../audit-masks.js';
import { type ElementInfo, elementInfo } from '../element-info.js';
import type { WebRuntime } from '../runtime.js';
import { describeTarget, hintsOf, resolveTarget, type Target } from '../target.js';

export interface PageArgs {
  session?: string | undefined;
  tab?: string | undefined;
}

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

/** Whether a target's own words suggest a secret field. */
export function targetLooksSecret(target: Target): boolean {
  const t = hintsOf(target);
  return [t.label, t.name, t.placeholder, t.css, t.testId, t.text].some((s) => s !== undefined && SECRET_HINT.test(s));
}

/** Audit copy of an action's arguments, with `valueKey` masked when the field looks secret. */
export function auditCopy(
  runtime: WebRuntime,
  args: object & { target?: Target; sensitive?: boolean | undefined; session?: string | undefined },
  valueKey?: string,
): Record<string, unknown> {
  const copy = copyArgs(args);
  if (valueKey && valueKey in copy) {
    const session = runtime.sessions.find(args.session);
    const value = copy[valueKey];
    const known = typeof value === 'string' && session?.secrets.has(value);
    if (args.sensitive || known || (args.target && targetLooksSecret(args.target))) copy[valueKey] = MASKED;
  }
  return copy;
}

export function notePreview(summary: string, text: string): Preview {
  return { summary, changes: [{ kind: 'note', text }] };
}
