// Page snapshots: Playwright's AI-mode accessibility tree (with its element refs), password values
// masked, rendered compactly, then focused and paged so a result never floods the model's context.
// A snapshot is always taken of the whole page — a partial snapshot would make Playwright forget
// the refs outside it — and focusing happens on the tree afterwards.
import { randomBytes } from 'node:crypto';

import type { Page } from 'playwright-core';

import { describeError, HearthError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../shared/output.js';
import {
  type AriaElement,
  type AriaNode,
  findRef,
  findRoles,
  findText,
  formatLines,
  interactiveOnly,
  type Line,
  type Rendered,
  renderTree,
  type Section,
} from './aria-tree.js';

export interface Snapshot {
  id: string;
  url: string;
  title: string;
  roots: AriaNode[];
  /** Values to show as •••• wherever they appear: password field values and typed secrets. */
  masked: Set<string>;
  full: Rendered;
  /** The tab's navigation count when taken; a later navigation makes it stale. */
  navigation: number;
  /** Password inputs on the page (all frames) when taken. */
  passwordFields: number;
  /** performance.now() when taken. */
  takenAt: number;
}

export interface Focus {
  ref?: string | undefined;
  roles?: string[] | undefined;
  text?: string | undefined;
  interactive?: boolean | undefined;
  depth?: number | undefined;
}

export interface View {
  text: string;
  /** 1-based first and last line shown; [0, 0] when nothing is shown. */
  shown: [number, number];
  totalLines: number;
  totalChars: number;
  truncated: boolean;
  nextCursor?: string;
  /** Regions (partly) not shown, largest first, for the note and for structured output. */
  notShown: { ref?: string; role: string; name?: string; lines: number }[];
}

const MAX_MATCHES = 100;

/**
 * The values of password fields in every frame (open shadow roots included). Counting first keeps
 * the common case — no password field — to one cheap query per frame.
 */
async function passwordValues(page: Page): Promise<{ count: number; values: string[] }> {
  const lists = await Promise.all(
    page.frames().map(async (frame) => {
      const fields = frame.locator('input[type=password]');
      const n = await fields.count().catch(() => 0);
      const values = await Promise.all(
        Array.from({ length: Math.min(n, 20) }, (_, i) =>
          fields
            .nth(i)
            .inputValue({ timeout: 1_000 })
            .catch(() => ''),
        ),
      );
      return { n, values: values.filter((v) => v.length > 0) };
    }),
  );
  return { count: lists.reduce((sum, l) => sum + l.n, 0), values: lists.flatMap((l) => l.values) };
}

export async function captureSnapshot(
  page: Page,
  options: { navigation: number; secrets: ReadonlySet<string>; signal?: AbortSignal; timeoutMs?: number },
): Promise<Snapshot> {
  let roots: AriaNode[];
  let passwords: { count: number; values: string[] };
  let title: string;
  try {
    const [tree, pw, t] = await Promise.all([
      page.ariaSnapshotJSON({
        mode: 'ai',
        timeout: options.timeoutMs ?? 30_000,
        ...(options.signal ? { signal: options.signal } : {}),
      }) as Promise<AriaNode[] | AriaNode>,
      passwordValues(page),
      page.title().catch(() => ''),
    ]);
    roots = Array.isArray(tree) ? tree : [tree];
    passwords = pw;
    title = t;
  } catch (error) {
    if (options.signal?.aborted) throw new HearthError('CANCELLED', 'the snapshot was cancelled', 'Nothing was changed.');
    throw new HearthError(
      'UNAVAILABLE',
      `could not read the page's accessibility tree: ${describeError(error)}`,
      'The page may still be loading or may have crashed; wait (web_wait_for) and try again, or reload it with web_navigate.',
    );
  }
  const masked = new Set<string>([...passwords.values, ...options.secrets]);
  const url = page.url();
  return {
    id: randomBytes(4).toString('hex'),
    url,
    title,
    roots,
    masked,
    full: renderTree(roots, { masked, baseUrl: url }),
    navigation: options.navigation,
    passwordFields: passwords.count,
    takenAt: performance.now(),
  };
}

/** Replaces every masked value in free text (for text that did not come through the tree). */
export function maskText(text: string, masked: ReadonlySet<string>): string {
  let out = text;
  // Very short values would mask ordinary words; password fields hold longer ones.
  for (const secret of masked) if (secret.length >= 3) out = out.split(secret).join('••••');
  return out;
}

function focused(snapshot: Snapshot, focus: Focus): { rendered: Rendered; label: string } {
  let roots: AriaNode[] = snapshot.roots;
  const labels: string[] = [];
  if (focus.ref) {
    const el = findRef(roots, focus.ref);
    if (!el) {
      throw new HearthError(
        'NOT_FOUND',
        `ref: ${focus.ref} is not on the page any more`,
        'Refs last as long as their element; take a new snapshot (web_snapshot without ref) and use a ref from it.',
        { details: { field: 'ref' } },
      );
    }
    roots = [el];
    labels.push(`ref ${focus.ref}`);
  }
  let matches: AriaElement[] | undefined;
  if (focus.roles?.length) {
    matches = findRoles(roots, new Set(focus.roles));
    labels.push(`role ${focus.roles.join('|')}`);
  }
  if (focus.text) {
    matches = findText(matches ?? roots, focus.text);
    labels.push(`text ${JSON.stringify(focus.text)}`);
  }
  if (focus.interactive) {
    matches = interactiveOnly(matches ?? roots);
    labels.push('controls only');
  }
  if (matches) roots = matches.slice(0, MAX_MATCHES);
  const rendered = labels.length ? renderTree(roots, { masked: snapshot.masked, baseUrl: snapshot.url }) : snapshot.full;
  let lines = rendered.lines;
  if (focus.depth !== undefined) {
    lines = lines.filter((l) => l.depth < focus.depth!);
    labels.push(`depth ${focus.depth}`);
  }
  const note =
    matches && matches.length > MAX_MATCHES
      ? ` (first ${MAX_MATCHES} of ${matches.length} matches)`
      : matches
        ? ` (${matches.length} match${matches.length === 1 ? '' : 'es'})`
        : '';
  return {
    rendered: { lines, sections: focus.depth === undefined ? rendered.sections : [] },
    label: labels.length ? `${labels.join(', ')}${note}` : '',
  };
}

function lineChars(line: Line): number {
  return line.depth * 2 + line.text.length + 3;
}

/**
 * A page of the snapshot: whole lines from the cursor's offset until `maxChars`, and what was not
 * shown. The cursor is bound to the snapshot and focus that made it.
 */
export function viewSnapshot(
  snapshot: Snapshot,
  focus: Focus,
  options: { maxChars: number; cursor?: string | undefined; cursorKey: string },
): View & { label: string } {
  const { rendered, label } = focused(snapshot, focus);
  const { lines } = rendered;
  const offset = decodeCursor(options.cursor, options.cursorKey);
  const totalChars = lines.reduce((n, l) => n + lineChars(l), 0);
  let end = offset;
  let used = 0;
  while (end < lines.length) {
    const size = lineChars(lines[end]!);
    if (used + size > options.maxChars && end > offset) break;
    used += size;
    end++;
  }
  const shownLines = lines.slice(offset, end);
  const text = shownLines.length ? formatLines(shownLines) : '';
  const truncated = offset > 0 || end < lines.length;
  const notShown = truncated ? summarizeCut(rendered.sections, offset, end) : [];
  return {
    label,
    text,
    shown: shownLines.length ? [offset + 1, end] : [0, 0],
    totalLines: lines.length,
    totalChars,
    truncated,
    ...(end < lines.length ? { nextCursor: encodeCursor(end, options.cursorKey) } : {}),
    notShown,
  };
}

/**
 * The regions that lie (partly) outside [start, end), most hidden lines first. A region is named
 * by its innermost part that holds most of what was cut: "table Inventory", not the "main" around it.
 */
function summarizeCut(sections: readonly Section[], start: number, end: number): View['notShown'] {
  const hiddenOf = (s: Section) => Math.max(0, Math.min(s.end, start) - s.start) + Math.max(0, s.end - Math.max(s.start, end));
  const candidates = sections
    .filter((s) => s.depth <= 4 && s.end - s.start > 1 && s.role !== 'row')
    .map((s) => ({ s, hidden: hiddenOf(s) }))
    .filter((c) => c.hidden > 0);
  const inside = (a: Section, b: Section) => a !== b && b.start <= a.start && b.end >= a.end;
  // Drop a region when one region inside it accounts for most of its hidden lines.
  const named = candidates.filter((c) => !candidates.some((d) => inside(d.s, c.s) && d.hidden >= c.hidden * 0.8));
  named.sort((a, b) => b.hidden - a.hidden);
  const out: View['notShown'] = [];
  const chosen: Section[] = [];
  for (const { s, hidden } of named) {
    if (chosen.some((p) => inside(s, p) || inside(p, s))) continue;
    chosen.push(s);
    out.push({ ...(s.ref ? { ref: s.ref } : {}), role: s.role, ...(s.name ? { name: s.name } : {}), lines: hidden });
    if (out.length >= 6) break;
  }
  return out;
}

/** The footer that says what was cut and how to see it. */
export function cutNote(view: View): string {
  if (!view.truncated) return '';
  const parts = [`[showing lines ${view.shown[0]}–${view.shown[1]} of ${view.totalLines.toLocaleString('en-US')}`];
  if (view.notShown.length) {
    const region = (s: (typeof view.notShown)[number]) => {
      const name = s.name ? ` ${JSON.stringify(s.name.length > 40 ? `${s.name.slice(0, 39)}…` : s.name)}` : '';
      return `${s.role}${name}${s.ref ? ` [ref=${s.ref}]` : ''} (${s.lines.toLocaleString('en-US')} lines)`;
    };
    parts.push(`; not shown: ${view.notShown.map(region).join(', ')}`);
  }
  const how: string[] = [];
  if (view.nextCursor) how.push(`next page: web_snapshot with cursor "${view.nextCursor}"`);
  how.push('narrow it: web_snapshot with ref, role, text or interactive');
  if (view.notShown.some((s) => s.role === 'table' || s.role === 'grid')) how.push('table data: web_extract kind "table"');
  parts.push(`. ${how.join('; ')}]`);
  return parts.join('');
}

export type { Line };
