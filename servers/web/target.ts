// Element targeting. A target is a ref from the latest snapshot, or hints — role and name, label,
// text, test id, placeholder, CSS — tried as a fallback chain: the exact readings of the hints
// first (probed together, one round-trip that also says what the element is), then looser ones.
// While nothing matches it retries with backoff, so elements that arrive late are still found.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import * as z from 'zod';

import { HearthError, invalidArgument } from '../../lib/errors.js';
import { listedAs } from '../../shared/listed-as.js';
import { type ElementInfo, type Probe, probeLocator } from './element-info.js';

const REF = /^(?:f\d+)?e\d+$/;

const TargetObject = z
  .object({
    ref: z
      .string()
      .regex(REF, 'a ref looks like e12 or f1e3')
      .optional()
      .describe('Element ref from the latest web_snapshot (e.g. "e12"). Tried first; the other hints are fallbacks if it went stale.'),
    role: z.string().min(1).max(40).optional().describe('ARIA role, e.g. button, link, textbox, checkbox, combobox, radio, heading.'),
    name: z.string().max(500).optional().describe('Accessible name to go with role (the visible label or text), e.g. "Submit".'),
    label: z.string().min(1).max(500).optional().describe('Text of the form field’s label, e.g. "Email".'),
    text: z.string().min(1).max(500).optional().describe('Visible text of the element.'),
    testId: z.string().min(1).max(200).optional().describe('Value of the data-testid attribute.'),
    placeholder: z.string().min(1).max(500).optional().describe('Placeholder text of an input.'),
    css: z.string().min(1).max(1_000).optional().describe('CSS selector; the last resort, as it breaks when the page changes.'),
    exact: z
      .boolean()
      .optional()
      .describe('Match name, label, text and placeholder exactly (case-sensitive, whole string). Default: exact first, then loose.'),
    nth: z.number().int().min(0).max(1_000).optional().describe('When several elements match, pick this one (0-based) instead of failing.'),
    frame: z
      .string()
      .min(1)
      .max(1_000)
      .optional()
      .describe('The iframe to look in: its ref (e.g. "e7") or a CSS selector. Refs inside iframes (f1e2) need no frame.'),
  })
  .strict();

/**
 * How a target is listed in tools/list: a ref, or an object of hints named in one line. A dozen web
 * tools take a target; spelling out the eleven hint fields in each cost a conversation 4 KB for what
 * the line says. The dispatcher validates the full schema above and names a wrong hint and its fix.
 */
const TARGET_LISTING = {
  anyOf: [
    { type: 'string' },
    {
      type: 'object',
      description:
        'Hints, strings unless said: role+name, label, text, testId, placeholder, css; exact (boolean): whole text; nth (0-based index); frame: iframe ref or CSS.',
    },
  ],
};

export const Target = listedAs(
  z
    .union([
      z.string().regex(REF, 'a ref looks like e12 or f1e3').describe('An element ref from the latest web_snapshot, e.g. "e12".'),
      TargetObject,
    ])
    .describe('A ref from web_snapshot ("e12") or hints.'),
  TARGET_LISTING,
);
export type Target = z.infer<typeof Target>;
export type TargetHints = z.infer<typeof TargetObject>;

export function hintsOf(target: Target): TargetHints {
  return typeof target === 'string' ? { ref: target } : target;
}

/** A short human description of a target, for results and previews. */
export function describeTarget(target: Target): string {
  const t = hintsOf(target);
  const parts: string[] = [];
  if (t.role) parts.push(`${t.role}${t.name !== undefined ? ` ${JSON.stringify(t.name)}` : ''}`);
  else if (t.name !== undefined) parts.push(JSON.stringify(t.name));
  if (t.label) parts.push(`label ${JSON.stringify(t.label)}`);
  if (t.text) parts.push(`text ${JSON.stringify(t.text)}`);
  if (t.placeholder) parts.push(`placeholder ${JSON.stringify(t.placeholder)}`);
  if (t.testId) parts.push(`test id ${JSON.stringify(t.testId)}`);
  if (t.css) parts.push(`css ${JSON.stringify(t.css)}`);
  if (t.ref) parts.push(`ref ${t.ref}`);
  if (t.nth !== undefined) parts.push(`#${t.nth}`);
  return parts.join(', ') || '(no target)';
}

interface Candidate {
  via: string;
  locator: Locator;
  /** An aria ref: see probeLocator. */
  isRef?: boolean;
}

type Scope = Page | FrameLocator;

function roleOf(role: string): Parameters<Page['getByRole']>[0] {
  return role as Parameters<Page['getByRole']>[0];
}

function candidates(page: Page, t: TargetHints, field: string): { primary: Candidate[]; fallback: Candidate[] } {
  let scope: Scope = page;
  if (t.frame) scope = REF.test(t.frame) ? page.getByRef(t.frame).contentFrame() : page.frameLocator(t.frame);
  const out: Candidate[] = [];
  const later: Candidate[] = [];
  const exactFirst = (make: (exact: boolean) => Locator, via: string) => {
    out.push({ via, locator: make(true) });
    if (t.exact !== true) later.push({ via: `${via} (loose)`, locator: make(false) });
  };
  if (t.ref) out.push({ via: 'ref', locator: page.getByRef(t.ref), isRef: true });
  if (t.role) {
    const role = roleOf(t.role);
    if (t.name !== undefined) exactFirst((exact) => scope.getByRole(role, { name: t.name, exact }), 'role');
    else out.push({ via: 'role', locator: scope.getByRole(role) });
  }
  if (t.label) {
    exactFirst((exact) => scope.getByLabel(t.label!, { exact }), 'label');
    // A fieldset's legend names a group (radio buttons, checkboxes) rather than labelling a control.
    later.push({ via: 'label as group', locator: scope.getByRole('group', { name: t.label, exact: t.exact === true }) });
    later.push({ via: 'label as radio group', locator: scope.getByRole('radiogroup', { name: t.label, exact: t.exact === true }) });
    later.push({ via: 'label as placeholder', locator: scope.getByPlaceholder(t.label, { exact: false }) });
  }
  if (t.name !== undefined && !t.role && t.name) {
    exactFirst((exact) => scope.getByLabel(t.name!, { exact }), 'name as label');
    later.push({ via: 'name as text', locator: scope.getByText(t.name, { exact: false }) });
  }
  if (t.placeholder) exactFirst((exact) => scope.getByPlaceholder(t.placeholder!, { exact }), 'placeholder');
  if (t.text) {
    exactFirst((exact) => scope.getByText(t.text!, { exact }), 'text');
    later.push({ via: 'text as button', locator: scope.getByRole('button', { name: t.text, exact: false }) });
    later.push({ via: 'text as link', locator: scope.getByRole('link', { name: t.text, exact: false }) });
  }
  if (t.testId) out.push({ via: 'test id', locator: scope.getByTestId(t.testId) });
  if (t.css) out.push({ via: 'css', locator: scope.locator(t.css) });
  if (!out.length)
    throw invalidArgument(
      field,
      'the target names no element',
      'Pass a ref from web_snapshot (e.g. "e12") or hints such as {"role": "button", "name": "Save"} or {"label": "Email"}.',
    );
  return { primary: out, fallback: later };
}

export interface Resolved {
  locator: Locator;
  via: string;
  /** What the element is, read in the same round-trip that found it (absent after nth). */
  info?: ElementInfo;
  /** Set when the ref was stale and a fallback hint found the element. */
  note?: string;
}

/** How a resolved target was found, for an action's one-line account: nothing when by ref, else the hint or the note. */
export function foundVia(found: Pick<Resolved, 'via' | 'note'>): string {
  return found.note ? ` (${found.note})` : found.via === 'ref' ? '' : ` (found by ${found.via})`;
}

async function describeMatches(locator: Locator, limit = 4): Promise<string[]> {
  try {
    return await locator.evaluateAll(
      (els, max) =>
        els.slice(0, max).map((el) => {
          const e = el as HTMLElement;
          const text = (e.getAttribute('aria-label') ?? e.innerText ?? e.getAttribute('value') ?? '')
            .replace(/\s+/g, ' ')
            .trim()
            .slice(0, 40);
          return `<${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}>${text ? ` "${text}"` : ''}`;
        }),
      limit,
    );
  } catch {
    return [];
  }
}

interface Wave {
  hit?: Resolved;
  ambiguous?: { candidate: Candidate; count: number };
}

/** Probes candidates in parallel (one round-trip) and takes the first that means one element. */
async function wave(list: readonly Candidate[], hints: TargetHints): Promise<Wave> {
  const probes = await Promise.all(list.map((c) => probeLocator(c.locator, c.isRef).catch((): Probe => ({ count: 0 }))));
  let ambiguous: Wave['ambiguous'];
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    const { count, info } = probes[i]!;
    const stale = hints.ref && c.via !== 'ref' ? { note: `ref ${hints.ref} was stale; found by ${c.via}` } : {};
    if (count === 1) return { hit: { locator: c.locator, via: c.via, ...(info ? { info } : {}), ...stale } };
    if (count > 1) {
      if (hints.nth !== undefined) {
        if (hints.nth < count) return { hit: { locator: c.locator.nth(hints.nth), via: `${c.via} #${hints.nth}`, ...stale } };
        continue;
      }
      const visible = c.locator.filter({ visible: true });
      const only = await probeLocator(visible, c.isRef).catch((): Probe => ({ count: 0 }));
      if (only.count === 1)
        return { hit: { locator: visible, via: `${c.via} (the visible one)`, ...(only.info ? { info: only.info } : {}), ...stale } };
      ambiguous ??= { candidate: c, count };
    }
  }
  return ambiguous ? { ambiguous } : {};
}

const BACKOFF_MS = [100, 200, 400, 800, 1_000];

/**
 * Finds the one element a target means, waiting up to `timeoutMs` for it to appear (0: look once).
 * The exact hints are probed first; the looser fallbacks only when those find nothing.
 * Throws NOT_FOUND (nothing matched), CONFLICT (a stale ref, or several matches without nth).
 */
export async function resolveTarget(
  page: Page,
  target: Target,
  options: { field: string; timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<Resolved> {
  const hints = hintsOf(target);
  const { primary, fallback } = candidates(page, hints, options.field);
  const deadline = performance.now() + options.timeoutMs;
  const onlyRef = hints.ref !== undefined && primary.length === 1 && fallback.length === 0;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted)
      throw new HearthError('CANCELLED', `${options.field}: the search for the element was cancelled`, 'Nothing was done.');
    let result = await wave(primary, hints);
    if (!result.hit && !result.ambiguous && fallback.length) result = await wave(fallback, hints);
    if (result.hit) return result.hit;
    if (result.ambiguous) {
      const { candidate, count } = result.ambiguous;
      const seen = await describeMatches(candidate.locator);
      const some = seen.length ? ` (${seen.join(', ')}${count > seen.length ? ', …' : ''})` : '';
      throw new HearthError(
        'CONFLICT',
        `${options.field}: ${describeTarget(target)} matches ${count} elements${some}`,
        'Use a ref from web_snapshot, make the hints more specific (role and exact name), or pass nth (0-based) to pick one.',
        {
          details: { field: options.field, matches: count },
        },
      );
    }
    if (onlyRef) {
      throw new HearthError(
        'CONFLICT',
        `${options.field}: ref ${hints.ref} is stale — that element is no longer on the page, or the page changed since the snapshot that showed it`,
        'Take a new snapshot (web_snapshot) and use a ref from it, or target the element by role and name, label or text.',
        {
          details: { field: options.field, ref: hints.ref },
        },
      );
    }
    const wait = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
    if (performance.now() + wait > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const tried = [...new Set([...primary, ...fallback].map((c) => c.via))];
  const waited = options.timeoutMs ? `waited ${(options.timeoutMs / 1000).toFixed(1)} s; ` : '';
  throw new HearthError(
    'NOT_FOUND',
    `${options.field}: no element matches ${describeTarget(target)} (${waited}tried ${tried.join(', ')})`,
    'Take a snapshot (web_snapshot) to see what is on the page, then use a ref or the exact name it shows; web_wait_for waits for slow pages.',
    {
      details: { field: options.field },
    },
  );
}
