// Renders Playwright's AI-mode accessibility tree (ariaSnapshotJSON) as compact outline lines.
// The refs are Playwright's own, so `page.getByRef(ref)` resolves them. Compaction, in the spirit of
// "every byte goes into the model's context": unnamed wrappers disappear, label text that repeats a
// control's name is dropped, a native select shows its options on one line, a table row of plain
// cells is one line, and refs are shown only where a model can use them (controls, clickable
// elements, and regions worth focusing on).

/** One node of `ariaSnapshotJSON({ mode: 'ai' })`: an element, or a bare text fragment. */
export type AriaNode = string | AriaElement;

export interface AriaElement {
  role: string;
  name?: string;
  ref?: string;
  text?: string;
  children?: AriaNode[];
  checked?: boolean | 'mixed';
  disabled?: boolean;
  expanded?: boolean;
  level?: number;
  pressed?: boolean | 'mixed';
  selected?: boolean;
  invalid?: boolean | string;
  url?: string;
  placeholder?: string;
  cursor?: string;
  [key: string]: unknown;
}

export interface Line {
  depth: number;
  text: string;
  role: string;
  ref?: string;
}

/** A rendered element with the range of lines it covers, for focusing and for saying what was cut. */
export interface Section {
  ref?: string;
  role: string;
  name?: string;
  depth: number;
  start: number;
  end: number;
}

export interface Rendered {
  lines: Line[];
  sections: Section[];
}

export interface RenderOptions {
  /** Textbox values to show as •••• (the values of password fields). */
  masked?: ReadonlySet<string>;
  /** The page URL, to shorten same-origin link targets. */
  baseUrl?: string;
  /** Max options listed inline for a select. */
  maxOptions?: number;
}

export const INTERACTIVE_ROLES = new Set([
  'button',
  'link',
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'option',
  'checkbox',
  'radio',
  'switch',
  'slider',
  'spinbutton',
  'tab',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'treeitem',
]);

/** Regions worth focusing a snapshot on: their refs are shown. */
const FOCUSABLE_REGIONS = new Set([
  'form',
  'region',
  'dialog',
  'alertdialog',
  'table',
  'grid',
  'treegrid',
  'list',
  'tree',
  'tablist',
  'tabpanel',
  'menu',
  'menubar',
  'iframe',
]);

/** Live regions that are empty until something is announced: not worth a line. */
const LIVE_REGIONS = new Set(['alert', 'status', 'log', 'marquee', 'timer']);

/** Wrappers that add nothing when unnamed: their children take their place. */
const WRAPPER_ROLES = new Set([
  'generic',
  'none',
  'presentation',
  'rowgroup',
  'group',
  'paragraph',
  'listitem',
  'cell',
  'Section',
  'section',
  'LabelText',
  'strong',
  'emphasis',
]);

const TEXT_ONLY_AS_TEXT = new Set([
  'generic',
  'paragraph',
  'none',
  'presentation',
  'Section',
  'section',
  'strong',
  'emphasis',
  'LabelText',
]);

export const MASK = '••••';

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max = 200): string {
  const flat = normalize(text);
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Names are quoted, as in Playwright's snapshots. */
function quote(text: string): string {
  return JSON.stringify(clip(text));
}

/** Text and values go bare unless quoting is needed to read them unambiguously. */
function bare(text: string): string {
  const flat = clip(text, 500);
  return /^[\s"'[{-]|[\s:]$|^$/.test(flat) ? JSON.stringify(flat) : flat;
}

function isElement(node: AriaNode): node is AriaElement {
  return typeof node !== 'string';
}

function showsRef(el: AriaElement): boolean {
  if (!el.ref) return false;
  return INTERACTIVE_ROLES.has(el.role) || FOCUSABLE_REGIONS.has(el.role) || el.cursor === 'pointer';
}

function attrs(el: AriaElement): string {
  const out: string[] = [];
  if (el.checked === true) out.push('[checked]');
  else if (el.checked === 'mixed') out.push('[checked=mixed]');
  if (el.disabled) out.push('[disabled]');
  if (el.expanded === true) out.push('[expanded]');
  else if (el.expanded === false) out.push('[collapsed]');
  if (el.level !== undefined && el.role === 'heading') out.push(`[level=${el.level}]`);
  if (el.pressed === true) out.push('[pressed]');
  else if (el.pressed === 'mixed') out.push('[pressed=mixed]');
  if (el.selected === true && el.role !== 'option') out.push('[selected]');
  if (el.invalid === true || el.invalid === 'true') out.push('[invalid]');
  if (el.placeholder && !el.name) out.push(`[placeholder=${quote(el.placeholder)}]`);
  if (el.cursor === 'pointer' && !INTERACTIVE_ROLES.has(el.role)) out.push('[clickable]');
  return out.join(' ');
}

function shortUrl(url: string, base: URL | undefined): string {
  if (!base) return url;
  try {
    const abs = new URL(url, base);
    if (abs.origin === base.origin) return `${abs.pathname}${abs.search}${abs.hash}`;
    return abs.href;
  } catch {
    return url;
  }
}

function textOf(node: AriaNode): string {
  if (typeof node === 'string') return node;
  if (node.name) return node.name;
  if (node.text) return node.text;
  return (node.children ?? []).map(textOf).join(' ');
}

/** A row of plain cells: rendered as `a | b | c` on one line. */
function plainRow(el: AriaElement): string | undefined {
  if (el.role !== 'row' || !el.children?.length) return undefined;
  const cells: string[] = [];
  for (const child of el.children) {
    if (!isElement(child) || !['cell', 'gridcell', 'columnheader', 'rowheader'].includes(child.role)) return undefined;
    const inner = child.children ?? [];
    if (inner.some((c) => isElement(c) && (INTERACTIVE_ROLES.has(c.role) || c.cursor === 'pointer'))) return undefined;
    cells.push(normalize(child.name || child.text || inner.map(textOf).join(' ')));
  }
  return cells.join(' | ');
}

export function renderTree(roots: readonly AriaNode[], options: RenderOptions = {}): Rendered {
  const lines: Line[] = [];
  const sections: Section[] = [];
  const masked = options.masked ?? new Set<string>();
  const maxOptions = options.maxOptions ?? 25;
  let base: URL | undefined;
  try {
    base = options.baseUrl ? new URL(options.baseUrl) : undefined;
  } catch {
    base = undefined;
  }

  const push = (depth: number, role: string, text: string, ref?: string) =>
    lines.push(ref ? { depth, role, text, ref } : { depth, role, text });

  function visitChildren(children: readonly AriaNode[], depth: number, parent: AriaElement | undefined): void {
    const siblingNames = new Set<string>();
    for (const c of children) if (isElement(c) && c.name) siblingNames.add(normalize(c.name));
    if (parent?.name) siblingNames.add(normalize(parent.name));
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (typeof child === 'string') {
        const text = normalize(child);
        if (!text || siblingNames.has(text)) continue;
        push(depth, 'text', `text: ${bare(text)}`);
        continue;
      }
      // A definition list's term and its definition read best as one line.
      const next = children[i + 1];
      if (
        child.role === 'term' &&
        next !== undefined &&
        typeof next !== 'string' &&
        next.role === 'definition' &&
        !child.children?.length &&
        !next.children?.length
      ) {
        push(depth, 'term', `${child.name || child.text || ''}: ${bare(next.name || next.text || '')}`);
        i++;
        continue;
      }
      visit(child, depth);
    }
  }

  function visit(el: AriaElement, depth: number): void {
    const children = el.children ?? [];
    const named = Boolean(el.name);
    const clickable = el.cursor === 'pointer';
    if (LIVE_REGIONS.has(el.role) && !named && !children.length && !el.text) return;

    // Unnamed wrappers: their content takes their place.
    if (!named && !clickable && WRAPPER_ROLES.has(el.role)) {
      if (el.text && !children.length) {
        const text = normalize(el.text);
        if (text) push(depth, 'text', `text: ${bare(text)}`);
        return;
      }
      visitChildren(children, depth, el);
      return;
    }
    if (!named && !clickable && TEXT_ONLY_AS_TEXT.has(el.role) && el.text && !children.length) {
      push(depth, 'text', `text: ${bare(el.text)}`);
      return;
    }

    const start = lines.length;
    const ref = showsRef(el) ? el.ref : undefined;
    const row = plainRow(el);
    if (row !== undefined) {
      push(depth, 'row', `row: ${row}`);
      sections.push({ role: 'row', depth, start, end: lines.length });
      return;
    }

    let head = el.role;
    if (el.name) head += ` ${quote(el.name)}`;
    const a = attrs(el);
    if (a) head += ` ${a}`;
    if (ref) head += ` [ref=${ref}]`;

    if (el.role === 'combobox' && children.length && children.every((c) => isElement(c) && c.role === 'option' && !c.children?.length)) {
      const options = children as AriaElement[];
      const chosen = options.filter((o) => o.selected).map((o) => o.name ?? '');
      const names = options.slice(0, maxOptions).map((o) => o.name ?? '');
      const more = options.length > maxOptions ? ` | …${options.length - maxOptions} more` : '';
      push(depth, el.role, `${head}: ${bare(chosen.join(', ') || el.text || '')} [options: ${names.join(' | ')}${more}]`, ref);
      sections.push({ ...(ref ? { ref } : {}), role: el.role, ...(el.name ? { name: el.name } : {}), depth, start, end: lines.length });
      return;
    }

    let value = el.text !== undefined ? normalize(el.text) : undefined;
    if (value !== undefined && (el.role === 'textbox' || el.role === 'searchbox') && masked.has(el.text ?? '')) value = MASK;
    if (el.role === 'link' && el.url) head += ` → ${shortUrl(el.url, base)}`;
    if (value && value !== normalize(el.name ?? '')) head += `: ${value === MASK ? MASK : bare(value)}`;
    if (el.role === 'option' && el.selected) head += ' [selected]';
    push(depth, el.role, head, ref);
    visitChildren(children, depth + 1, el);
    sections.push({
      ...(el.ref ? { ref: el.ref } : {}),
      role: el.role,
      ...(el.name ? { name: el.name } : {}),
      depth,
      start,
      end: lines.length,
    });
  }

  visitChildren(roots, 0, undefined);
  sections.sort((a, b) => a.start - b.start || a.depth - b.depth);
  return { lines, sections };
}

export function formatLines(lines: readonly Line[], baseDepth = 0): string {
  return lines.map((l) => `${'  '.repeat(Math.max(0, l.depth - baseDepth))}- ${l.text}`).join('\n');
}

/** Finds the element with this ref anywhere in the tree. */
export function findRef(roots: readonly AriaNode[], ref: string): AriaElement | undefined {
  for (const node of roots) {
    if (typeof node === 'string') continue;
    if (node.ref === ref) return node;
    const inner = findRef(node.children ?? [], ref);
    if (inner) return inner;
  }
  return undefined;
}

/** Every element whose role is in `roles` (outermost matches only). */
export function findRoles(roots: readonly AriaNode[], roles: ReadonlySet<string>, out: AriaElement[] = []): AriaElement[] {
  for (const node of roots) {
    if (typeof node === 'string') continue;
    if (roles.has(node.role)) out.push(node);
    else findRoles(node.children ?? [], roles, out);
  }
  return out;
}

/** Every element whose name or text contains `needle` (case-insensitive; innermost matches). */
export function findText(roots: readonly AriaNode[], needle: string, out: AriaElement[] = []): AriaElement[] {
  const want = needle.toLowerCase();
  for (const node of roots) {
    if (typeof node === 'string') continue;
    const before = out.length;
    findText(node.children ?? [], needle, out);
    if (out.length > before) continue;
    const own =
      `${node.name ?? ''} ${node.text ?? ''} ${(node.children ?? []).filter((c): c is string => typeof c === 'string').join(' ')}`.toLowerCase();
    if (own.includes(want)) out.push(node);
  }
  return out;
}

/** A flat list of the controls on the page, each with its ref: the cheapest view of a form. */
export function interactiveOnly(roots: readonly AriaNode[], out: AriaElement[] = []): AriaElement[] {
  for (const node of roots) {
    if (typeof node === 'string') continue;
    if (node.ref && (INTERACTIVE_ROLES.has(node.role) || node.cursor === 'pointer') && node.role !== 'option') {
      out.push(node.role === 'combobox' || node.role === 'listbox' ? node : { ...node, children: [] });
      if (node.role !== 'combobox' && node.role !== 'listbox' && node.role !== 'option') interactiveOnly(node.children ?? [], out);
    } else interactiveOnly(node.children ?? [], out);
  }
  return out;
}
