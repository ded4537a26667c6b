// What kind of control an element is, read from the page in the same round-trip that counts the
// matches of a target: form filling picks the right Playwright call from it, and previews name the
// field and know when a value is a password.
import type { Locator } from 'playwright-core';

export type ControlKind = 'text' | 'date' | 'select' | 'checkbox' | 'radio' | 'file' | 'range' | 'group' | 'button' | 'other';

export interface ElementInfo {
  kind: ControlKind;
  tag: string;
  /** The input type, for inputs. */
  type: string;
  /** A readable name: the label, aria-label, legend, placeholder or text. */
  label: string;
  password: boolean;
  multiple: boolean;
  /** For a native select: its options. */
  options?: { value: string; label: string }[];
  /** The options' values are unknown (read from the accessibility tree): select by label. */
  optionsByLabel?: boolean;
  /** For a group: the kind of its choices and their labels, in order (and refs, from the tree). */
  choices?: { role: 'radio' | 'checkbox'; labels: string[]; refs?: string[] };
  /** Read from the accessibility tree rather than the element: tag and input type are unknown. */
  fromTree?: boolean;
}

export interface Probe {
  count: number;
  /** Set when exactly one element matched. */
  info?: ElementInfo;
}

const DATE_TYPES = ['date', 'time', 'datetime-local', 'month', 'week'];

/**
 * Runs in the page: counts the matches and describes the one match. Playwright serializes it, so
 * it references nothing outside, and its helpers are object methods — a dev loader (tsx, esbuild
 * keepNames) wraps named inner functions in a helper that does not exist in the page.
 */
function describeMatches(matches: Element[] | Element, dateTypes: string[]): Probe {
  const els = Array.isArray(matches) ? matches : [matches];
  if (els.length !== 1) return { count: els.length };
  const h = {
    clean(s: string | null | undefined): string {
      return (s ?? '').replace(/\s+/g, ' ').trim().slice(0, 120);
    },
    labelOf(e: HTMLElement): string {
      const aria = e.getAttribute('aria-label');
      if (aria) return h.clean(aria);
      const by = e.getAttribute('aria-labelledby');
      if (by) {
        const text = by
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ');
        if (h.clean(text)) return h.clean(text);
      }
      const labels = (e as HTMLInputElement).labels;
      if (labels && labels.length)
        return h.clean(
          Array.from(labels)
            .map((l) => l.textContent)
            .join(' '),
        );
      if (e.tagName === 'FIELDSET') return h.clean(e.querySelector('legend')?.textContent);
      return h.clean(e.getAttribute('placeholder') ?? e.getAttribute('name') ?? e.getAttribute('title') ?? e.textContent);
    },
  };
  const e = els[0] as HTMLElement;
  const tag = e.tagName.toLowerCase();
  const role = (e.getAttribute('role') ?? '').toLowerCase();
  const input = tag === 'input' ? (e as HTMLInputElement) : undefined;
  const type = input ? (input.getAttribute('type') ?? 'text').toLowerCase() : '';
  let kind: ControlKind = 'other';
  const info: ElementInfo = { kind, tag, type, label: h.labelOf(e), password: type === 'password', multiple: false };
  if (input) {
    if (type === 'checkbox') kind = 'checkbox';
    else if (type === 'radio') kind = 'radio';
    else if (type === 'file') kind = 'file';
    else if (type === 'range') kind = 'range';
    else if (dateTypes.includes(type)) kind = 'date';
    else if (['submit', 'button', 'reset', 'image'].includes(type)) kind = 'button';
    else kind = 'text';
    info.multiple = input.multiple;
  } else if (tag === 'textarea' || e.isContentEditable || role === 'textbox' || role === 'searchbox') kind = 'text';
  else if (tag === 'select' || role === 'listbox' || role === 'combobox') {
    kind = 'select';
    if (tag === 'select') {
      const select = e as HTMLSelectElement;
      info.multiple = select.multiple;
      info.options = Array.from(select.options)
        .slice(0, 1000)
        .map((o) => ({ value: o.value, label: o.label.trim() }));
    }
  } else if (role === 'checkbox' || role === 'switch') kind = 'checkbox';
  else if (role === 'radio') kind = 'radio';
  else if (tag === 'button' || role === 'button' || tag === 'a') kind = 'button';
  else if (tag === 'fieldset' || role === 'radiogroup' || role === 'group') {
    kind = 'group';
    const radios = Array.from(e.querySelectorAll('input[type=radio], [role=radio]'));
    const boxes = radios.length ? radios : Array.from(e.querySelectorAll('input[type=checkbox], [role=checkbox]'));
    info.choices = { role: radios.length ? 'radio' : 'checkbox', labels: boxes.map((b) => h.labelOf(b as HTMLElement)) };
  }
  info.kind = kind;
  return { count: 1, info };
}

/**
 * Counts a locator's matches and, when there is exactly one, describes it: one round-trip.
 * `isRef`: the locator is an aria ref (e12, f1e3). Refs live in Playwright's utility world, which
 * evaluateAll does not see (it finds nothing, in 1.64), so a ref takes a count and an evaluate.
 */
export async function probeLocator(locator: Locator, isRef = false): Promise<Probe> {
  if (!isRef) return locator.evaluateAll(describeMatches, DATE_TYPES);
  const count = await locator.count();
  return count === 1 ? locator.evaluate(describeMatches, DATE_TYPES) : { count };
}

/** Describes the one element a locator means (waiting up to `timeoutMs` for it). */
export async function elementInfo(locator: Locator, timeoutMs: number): Promise<ElementInfo> {
  const probe = await locator.evaluate(describeMatches, DATE_TYPES, { timeout: timeoutMs });
  if (!probe.info) throw new Error('the element is gone');
  return probe.info;
}

/** The format a date-like input needs, for validation messages. */
export const DATE_FORMATS: Record<string, { pattern: RegExp; example: string }> = {
  date: { pattern: /^\d{4}-\d{2}-\d{2}$/, example: '2026-09-01' },
  time: { pattern: /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/, example: '14:30' },
  'datetime-local': { pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/, example: '2026-09-01T14:30' },
  month: { pattern: /^\d{4}-\d{2}$/, example: '2026-09' },
  week: { pattern: /^\d{4}-W\d{2}$/, example: '2026-W36' },
};
