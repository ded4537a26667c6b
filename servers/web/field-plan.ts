// Planning a form fill from a fresh snapshot. The accessibility tree already says, for most fields,
// which control a label names (its role, its options, a radio group's choices) and gives its ref,
// so most fields need no lookup of their own before their action — the same work a hand-written
// script does. A field the tree cannot settle (CSS or text hints, an ambiguous name, a value that is
// no option label) is left to the general lookup in fill-form.ts.
import type { Page } from 'playwright-core';

import { type AriaElement, type AriaNode, INTERACTIVE_ROLES } from './aria-tree.js';
import type { ElementInfo } from './element-info.js';
import type { FormField } from './fill-form.js';
import type { Snapshot } from './snapshot.js';
import { hintsOf, type Resolved } from './target.js';

const GROUP_ROLES = new Set(['group', 'radiogroup']);

function normalize(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
}

function walk(nodes: readonly AriaNode[], visit: (el: AriaElement) => void): void {
  for (const node of nodes) {
    if (typeof node === 'string') continue;
    visit(node);
    walk(node.children ?? [], visit);
  }
}

function childrenWithRole(el: AriaElement, role: string): AriaElement[] {
  const out: AriaElement[] = [];
  walk(el.children ?? [], (c) => {
    if (c.role === role) out.push(c);
  });
  return out;
}

/** The one control (or radio group) the field's hints name in the tree, if exactly one. */
function nodeFor(roots: readonly AriaNode[], field: FormField): AriaElement | undefined {
  const t = hintsOf(field.target);
  if (t.frame || t.css || t.text || t.testId || t.placeholder || t.nth !== undefined) return undefined;
  const found: AriaElement[] = [];
  if (t.ref) {
    walk(roots, (el) => {
      if (el.ref === t.ref) found.push(el);
    });
    return found.length === 1 ? found[0] : undefined;
  }
  const name = normalize(t.label ?? t.name);
  if (!name) return undefined;
  walk(roots, (el) => {
    if (!el.ref || normalize(el.name) !== name) return;
    if (t.role ? el.role === t.role : INTERACTIVE_ROLES.has(el.role) || GROUP_ROLES.has(el.role)) found.push(el);
  });
  // A group named like one of its own controls is one field, not two.
  const controls = found.filter(
    (el) => !GROUP_ROLES.has(el.role) || childrenWithRole(el, 'radio').length > 0 || childrenWithRole(el, 'checkbox').length > 0,
  );
  return controls.length === 1 ? controls[0] : undefined;
}

function looksLikePath(value: FormField['value']): boolean {
  const values = Array.isArray(value) ? value : [value];
  return values.length > 0 && values.every((v) => typeof v === 'string' && /[/\\]|\.[A-Za-z0-9]{1,8}$/.test(v));
}

/** What the tree says about a field: enough to fill it without looking it up, or undefined. */
export function planField(page: Page, snapshot: Snapshot, field: FormField): Resolved | undefined {
  const node = nodeFor(snapshot.roots, field);
  if (!node?.ref) return undefined;
  const base = { tag: '', type: '', label: node.name ?? '', password: false, multiple: false, fromTree: true };
  let info: ElementInfo;
  switch (node.role) {
    case 'textbox':
    case 'searchbox':
    case 'spinbutton':
      // Dates and passwords are textboxes too: the fill path checks the input type when it matters.
      info = { ...base, kind: 'text' };
      break;
    case 'slider':
      info = { ...base, kind: 'range' };
      break;
    case 'checkbox':
    case 'switch':
      info = { ...base, kind: 'checkbox' };
      break;
    case 'radio':
      if (typeof field.value !== 'boolean') return undefined;
      info = { ...base, kind: 'radio' };
      break;
    case 'combobox': {
      const options = childrenWithRole(node, 'option');
      if (!options.length) return undefined;
      // The tree knows option labels, not values: only a value that is a label is settled here.
      const wanted = Array.isArray(field.value) ? field.value : [String(field.value)];
      const labels = options.map((o) => o.name ?? '');
      if (!wanted.every((w) => labels.some((l) => normalize(l) === normalize(w)))) return undefined;
      info = { ...base, tag: 'select', kind: 'select', options: labels.map((l) => ({ value: l, label: l })), optionsByLabel: true };
      break;
    }
    case 'group':
    case 'radiogroup': {
      const radios = childrenWithRole(node, 'radio');
      const boxes = childrenWithRole(node, 'checkbox');
      const choices = radios.length ? radios : boxes;
      if (!choices.length || choices.some((c) => !c.ref)) return undefined;
      info = {
        ...base,
        kind: 'group',
        choices: { role: radios.length ? 'radio' : 'checkbox', labels: choices.map((c) => c.name ?? ''), refs: choices.map((c) => c.ref!) },
      };
      break;
    }
    case 'button':
      // A file input shows as a button named by its label; only a path-like value makes it one.
      if (!looksLikePath(field.value)) return undefined;
      info = { ...base, kind: 'file' };
      break;
    default:
      return undefined;
  }
  return { locator: page.getByRef(node.ref), via: hintsOf(field.target).ref ? 'ref' : 'snapshot', info };
}
