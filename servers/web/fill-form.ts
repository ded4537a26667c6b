// Filling form fields: each field's control kind is read from the page, then the value goes in the
// way that kind needs it — typed text, a date in ISO form, a select option by label or value, a
// checkbox state, a radio by its label, files from the allowed roots. Then, optionally, submit.
import { statSync } from 'node:fs';
import { basename } from 'node:path';

import type { Locator, Page } from 'playwright-core';
import * as z from 'zod';

import { HearthError, invalidArgument, isHearthError } from '../../lib/errors.js';
import type { PathJail } from '../../lib/path-jail.js';
import { MASKED } from './audit-masks.js';
import { type ControlKind, DATE_FORMATS, type ElementInfo, elementInfo } from './element-info.js';
import { fromPlaywright } from './playwright-errors.js';
import { describeTarget, type Resolved, resolveTarget, Target } from './target.js';

const FieldValue = z
  .union([z.string().max(100_000), z.number(), z.boolean(), z.array(z.string().max(10_000)).max(100)])
  .describe(
    'Text; ISO date/time (2026-09-01, 14:30); select: option label or value (a list if multiple); checkbox: true/false; radio group: option label; file input: path(s) under the allowed roots.',
  );

export const FormField = z
  .object({
    target: Target.describe('The field: ref or hints, e.g. {"label": "Email"}; a radio group by its legend as label.'),
    value: FieldValue,
    sensitive: z.boolean().optional().describe('The value is a secret, never shown (password inputs are detected).'),
  })
  .strict();
export type FormField = z.infer<typeof FormField>;

export interface FilledField {
  /** The field's label as the page shows it (or the target given). */
  field: string;
  kind: ControlKind;
  /** What was entered; secrets show as ••••. */
  value: string;
  /** Set when the field was found by a fallback reading of its hints. */
  note?: string;
}

const TRUE = new Set(['true', 'yes', 'on', 'checked', '1', 'y']);
const FALSE = new Set(['false', 'no', 'off', 'unchecked', '0', 'n']);

function asBoolean(value: FormField['value'], field: string): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw invalidArgument(field, `${JSON.stringify(value)} is not a checkbox state`, 'Pass true or false.');
}

function asText(value: FormField['value'], field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw invalidArgument(
    field,
    `a text field needs text, not ${Array.isArray(value) ? 'a list' : typeof value}`,
    'Pass the text as a string.',
  );
}

function asList(value: FormField['value']): string[] {
  return Array.isArray(value) ? value : [String(value)];
}

export function isSecret(field: FormField, info?: ElementInfo): boolean {
  return field.sensitive === true || info?.password === true;
}

export interface FileChoice {
  path: string;
  name: string;
  bytes: number;
}

/** Resolves file paths through the jail; names the field of a bad one. */
export function filesFor(value: FormField['value'], jail: PathJail, field: string): FileChoice[] {
  const paths = asList(value);
  if (!paths.length) throw invalidArgument(field, 'no file was given', 'Pass a path under the allowed roots.');
  return paths.map((p, i) => {
    const f = Array.isArray(value) ? `${field}[${i}]` : field;
    const real = jail.resolve(p, { field: f, hint: 'Files can be uploaded only from the allowed roots (the policy’s `roots`).' });
    let stat;
    try {
      stat = statSync(real);
    } catch {
      throw new HearthError(
        'NOT_FOUND',
        `${f}: ${p} does not exist`,
        'Check the path; it is resolved against the first allowed root when relative.',
        { details: { field: f } },
      );
    }
    if (!stat.isFile()) throw invalidArgument(f, `${p} is not a file`, 'Pass the path of a file, not a folder.');
    return { path: real, name: basename(real), bytes: stat.size };
  });
}

function display(value: FormField['value'], kind: ControlKind, secret: boolean, files?: FileChoice[]): string {
  if (secret) return MASKED;
  if (files) return files.map((f) => `${f.name} (${f.bytes} bytes)`).join(', ');
  if (kind === 'checkbox' || (kind === 'radio' && typeof value === 'boolean'))
    return value === true || TRUE.has(String(value).toLowerCase()) ? 'checked' : 'unchecked';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The option values a select needs for the wanted labels or values; names the missing one. */
function optionValues(options: NonNullable<ElementInfo['options']>, wanted: string[], field: string): string[] {
  return wanted.map((w) => {
    const want = w.trim().toLowerCase();
    const hit =
      options.find((o) => o.label.toLowerCase() === want) ??
      options.find((o) => o.value.toLowerCase() === want) ??
      options.find((o) => o.label.toLowerCase().includes(want));
    if (!hit) {
      const list = options.map((o) => o.label).filter(Boolean);
      throw invalidArgument(
        field,
        `no option ${JSON.stringify(w)}`,
        `Options: ${list.slice(0, 20).join(' | ')}${list.length > 20 ? ' | …' : ''}.`,
      );
    }
    return hit.value;
  });
}

/** The index of the choice labelled `name` in a group: exact (case-insensitive) first, then contained. */
function choiceIndex(labels: readonly string[], name: string, role: string, field: string): number {
  const want = name.trim().toLowerCase();
  let index = labels.findIndex((l) => l.toLowerCase() === want);
  if (index < 0) index = labels.findIndex((l) => l.toLowerCase().includes(want));
  if (index < 0)
    throw invalidArgument(
      field,
      `no ${role} ${JSON.stringify(name)} in this group`,
      `Choices: ${labels.filter(Boolean).join(' | ') || '(none found)'}.`,
    );
  return index;
}

const CHOICE_CSS = { radio: 'input[type=radio], [role=radio]', checkbox: 'input[type=checkbox], [role=checkbox]' } as const;

export interface FillContext {
  page: Page;
  jail: PathJail;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** The page has password inputs: a text field planned from the tree must have its type read. */
  passwordsOnPage?: boolean;
}

export interface FillOutcome {
  result: FilledField;
  locator: Locator;
  secret: boolean;
}

const PLANNED_TIMEOUT_MS = 1_500;

/**
 * Fills one field planned from a snapshot, with a short timeout: if the page changed since (the
 * element went, or is not what the tree said), the field is looked up afresh and filled again.
 */
export async function fillPlanned(field: FormField, index: number, fc: FillContext, planned: Resolved | undefined): Promise<FillOutcome> {
  if (!planned) return fillField(field, index, fc);
  try {
    return await fillField(field, index, { ...fc, timeoutMs: Math.min(fc.timeoutMs, PLANNED_TIMEOUT_MS) }, planned);
  } catch (error) {
    if (fc.signal?.aborted || (isHearthError(error) && ['INVALID_ARGUMENT', 'OUT_OF_ROOTS', 'NOT_FOUND', 'CANCELLED'].includes(error.code)))
      throw error;
    return fillField(field, index, fc);
  }
}

/** Fills one field; `index` names it in errors as fields[index]. `found` skips the lookup. */
async function fillField(field: FormField, index: number, fc: FillContext, found?: Resolved): Promise<FillOutcome> {
  const name = `fields[${index}]`;
  const resolved =
    found ?? (await resolveTarget(fc.page, field.target, { field: `${name}.target`, timeoutMs: fc.timeoutMs, signal: fc.signal }));
  const { locator } = resolved;
  const opts = { timeout: fc.timeoutMs, ...(fc.signal ? { signal: fc.signal } : {}) };
  let info: ElementInfo;
  try {
    info = resolved.info ?? (await elementInfo(locator, fc.timeoutMs));
  } catch (error) {
    throw fromPlaywright(error, 'reading the field', { field: `${name}.target`, timeoutMs: fc.timeoutMs, signal: fc.signal });
  }
  const valueField = `${name}.value`;
  if (
    info.fromTree &&
    info.kind === 'text' &&
    (fc.passwordsOnPage ||
      (typeof field.value === 'string' && /^\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}|^\d{1,2}:\d{2}|^\d{4}-W?\d{2}$/.test(field.value)))
  ) {
    // The tree cannot tell a password or a date input from a text box; the element can.
    const type = (await locator.getAttribute('type', { timeout: fc.timeoutMs }).catch(() => null))?.toLowerCase() ?? 'text';
    info = { ...info, type, password: type === 'password', kind: DATE_FORMATS[type] ? 'date' : 'text' };
  }
  const secret = isSecret(field, info);
  let files: FileChoice[] | undefined;
  try {
    switch (info.kind) {
      case 'text':
      case 'range':
        await locator.fill(asText(field.value, valueField), opts);
        break;
      case 'date': {
        const text = asText(field.value, valueField);
        const format = DATE_FORMATS[info.type];
        if (format && !format.pattern.test(text))
          throw invalidArgument(
            valueField,
            `${JSON.stringify(text)} is not in the ${info.type} input's format`,
            `Write it like ${format.example}.`,
          );
        await locator.fill(text, opts);
        break;
      }
      case 'select':
        if (!info.options) {
          // An ARIA listbox or combobox: open it and pick the options by name.
          await locator.click(opts);
          for (const option of asList(field.value)) await fc.page.getByRole('option', { name: option }).first().click(opts);
        } else {
          if (!info.multiple && Array.isArray(field.value) && field.value.length > 1)
            throw invalidArgument(valueField, 'this select takes one option', 'Pass one option label or value.');
          const chosen = optionValues(info.options, asList(field.value), valueField);
          await locator.selectOption(info.optionsByLabel ? chosen.map((label) => ({ label })) : chosen, opts);
        }
        break;
      case 'checkbox':
        await locator.setChecked(asBoolean(field.value, valueField), opts);
        break;
      case 'radio':
        if (typeof field.value === 'boolean' || TRUE.has(String(field.value).toLowerCase())) {
          if (field.value === false)
            throw invalidArgument(
              valueField,
              'a radio button cannot be unchecked on its own',
              'Choose another option of the group instead.',
            );
          await locator.check(opts);
        } else {
          // A string value on one radio means "the option with this label in its group".
          const group = locator.locator('xpath=ancestor::*[self::fieldset or @role="radiogroup" or self::form][1]');
          const groupInfo = await elementInfo(group, fc.timeoutMs);
          const labels = groupInfo.choices?.labels ?? [];
          await group
            .locator(CHOICE_CSS.radio)
            .nth(choiceIndex(labels, asText(field.value, valueField), 'radio', valueField))
            .check(opts);
        }
        break;
      case 'group': {
        const choices: NonNullable<ElementInfo['choices']> = info.choices ?? { role: 'radio', labels: [] };
        const boxes = locator.locator(CHOICE_CSS[choices.role]);
        const choice = (i: number) => (choices.refs ? fc.page.getByRef(choices.refs[i]!) : boxes.nth(i));
        if (choices.role === 'radio')
          await choice(choiceIndex(choices.labels, asText(field.value, valueField), 'radio', valueField)).check(opts);
        else {
          // A checkbox group gets exactly the listed choices checked.
          const wanted = new Set(asList(field.value).map((v) => choiceIndex(choices.labels, v, 'checkbox', valueField)));
          for (let i = 0; i < choices.labels.length; i++) await choice(i).setChecked(wanted.has(i), opts);
        }
        break;
      }
      case 'file': {
        files = filesFor(field.value, fc.jail, valueField);
        const paths = files.map((f) => f.path);
        try {
          await locator.setInputFiles(paths, opts);
        } catch (error) {
          // Planned from the tree, a "button" may be a real button that opens a file chooser.
          if (!info.fromTree || !/not an HTMLInputElement|Node is not an <input>|Error: Non-multiple|not an input/i.test(String(error)))
            throw error;
          const chooser = fc.page.waitForEvent('filechooser', { timeout: fc.timeoutMs });
          await locator.click(opts);
          await (await chooser).setFiles(paths, { timeout: fc.timeoutMs });
        }
        break;
      }
      default:
        throw invalidArgument(
          `${name}.target`,
          `${describeTarget(field.target)} is a ${info.kind === 'button' ? 'button' : `<${info.tag}>`}, not a form field`,
          'Target an input, select, textarea, checkbox, radio group or file input; submit with submit: true.',
        );
    }
  } catch (error) {
    if (/Malformed value/.test(String(error))) {
      // A date-like input refused the text: say which format it wants.
      const type = (await locator.getAttribute('type', { timeout: 1_000 }).catch(() => null))?.toLowerCase() ?? '';
      const format = DATE_FORMATS[type];
      throw invalidArgument(
        valueField,
        `${JSON.stringify(field.value)} is not in the ${type || 'field'} input's format`,
        format ? `Write it like ${format.example}.` : 'Check the format the field expects.',
      );
    }
    throw fromPlaywright(error, `filling ${info.label ? JSON.stringify(info.label) : 'the field'}`, {
      field: name,
      timeoutMs: fc.timeoutMs,
      signal: fc.signal,
    });
  }
  const label = info.label || describeTarget(field.target);
  const loose =
    resolved.note ??
    (resolved.via !== 'ref' &&
    !/^(snapshot|label|label as group|label as radio group|role|placeholder|text|test id|css|name as label)$/.test(resolved.via)
      ? `fields[${index}] (${describeTarget(field.target)}) was found by ${resolved.via}: ${JSON.stringify(label)}`
      : undefined);
  return {
    locator,
    secret,
    result: { field: label, kind: info.kind, value: display(field.value, info.kind, secret, files), ...(loose ? { note: loose } : {}) },
  };
}

const SUBMIT_BUTTON = 'button[type=submit], input[type=submit], input[type=image], button:not([type])';

/** Clicks the submit button of the form around `inside`, or requests submission when it has none. */
export async function submitAround(inside: Locator, fc: FillContext): Promise<string> {
  const form = inside.locator('xpath=ancestor-or-self::form[1]');
  const button = form.locator(SUBMIT_BUTTON).first();
  const opts = { timeout: fc.timeoutMs, ...(fc.signal ? { signal: fc.signal } : {}) };
  // Counting works for every locator (refs included); the label is read alongside.
  const [buttons, label] = await Promise.all([
    button.count(),
    button
      .evaluate((el) => ((el as HTMLElement).innerText || (el as HTMLInputElement).value || 'submit').trim().slice(0, 60), undefined, {
        timeout: 1_000,
      })
      .catch(() => 'submit'),
  ]);
  if (buttons > 0) {
    await button.click(opts);
    return `clicked ${JSON.stringify(label)}`;
  }
  if ((await form.count()) === 0)
    throw invalidArgument(
      'submit',
      'the fields are not inside a <form>',
      'Pass submit as a target instead, e.g. {"role": "button", "name": "Send"}.',
    );
  await form.evaluate((f) => (f as HTMLFormElement).requestSubmit());
  return 'submitted the form';
}
