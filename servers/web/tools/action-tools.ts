// web_click, web_type, web_select, web_check, web_press, web_upload, web_hover: one interaction
// each, on an element found by ref or by hints (see target.ts), returning what changed.
import type { Page } from 'playwright-core';
import * as z from 'zod';

import { invalidArgument } from '../../../lib/errors.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import { runAction } from '../action.js';
import { MASKED } from '../audit-masks.js';
import { elementInfo } from '../element-info.js';
import { filesFor } from '../fill-form.js';
import { fromPlaywright } from '../playwright-errors.js';
import type { WebRuntime } from '../runtime.js';
import { DialogAnswer, PageResult, SessionField, TabField } from '../schemas.js';
import { describeTarget, resolveTarget, Target } from '../target.js';
import { auditCopy, elementLine, notePreview, placeOf, probe, where } from './common.js';

const TARGET_HELP =
  'Target by ref from web_snapshot ("e12") or by hints ({"role": "button", "name": "Save"}, {"label": "Email"}, {"text": "Sign in"}, {"testId": "…"}, {"css": "…"}); hints are tried as a fallback chain, and elements that appear late are waited for.';

export function actionTools(runtime: WebRuntime): Tool[] {
  const { settings, kernel } = runtime;
  const timeout = settings.actionTimeoutMs;
  const find = (page: Page, target: Target, signal: AbortSignal) =>
    resolveTarget(page, target, { field: 'target', timeoutMs: timeout, signal });
  const via = (how: { via: string; note?: string }) => (how.note ? ` (${how.note})` : how.via === 'ref' ? '' : ` (found by ${how.via})`);

  const click = defineTool({
    name: 'web_click',
    title: 'Click an element',
    description: `Clicks a link, button or any element, waits for what the click starts (a navigation, requests, a popup), and returns what changed on the page. ${TARGET_HELP} Confirm and prompt dialogs the click opens are dismissed unless dialog says otherwise.`,
    effect: 'external',
    input: z.object({
      target: Target,
      button: z.enum(['left', 'right', 'middle']).default('left').describe('Mouse button.'),
      double: z.boolean().default(false).describe('Double-click.'),
      modifiers: z
        .array(z.enum(['Alt', 'Control', 'ControlOrMeta', 'Meta', 'Shift']))
        .max(4)
        .optional()
        .describe('Keys held during the click.'),
      dialog: DialogAnswer,
      session: SessionField,
      tab: TabField,
    }),
    output: PageResult,
    async preview(args) {
      const place = await where(runtime, args);
      const info = await probe(runtime, args, args.target);
      return notePreview(
        `Click ${elementLine(args.target, info)} on ${placeOf(place)}`,
        `${args.double ? 'Double-click' : 'Click'} ${elementLine(args.target, info)}${args.dialog ? `; ${args.dialog.accept ? 'accept' : 'dismiss'} a dialog it opens` : ''}.`,
      );
    },
    async handler(args, ctx) {
      return runAction(runtime, ctx, {
        session: args.session,
        tab: args.tab,
        logArgs: args,
        dialog: args.dialog,
        act: async (tab) => {
          const found = await find(tab.page, args.target, ctx.signal);
          const opts = { button: args.button, timeout, signal: ctx.signal, ...(args.modifiers ? { modifiers: args.modifiers } : {}) };
          if (args.double) await found.locator.dblclick(opts);
          else await found.locator.click(opts);
          return `clicked ${describeTarget(args.target)}${via(found)}`;
        },
      });
    },
  });

  const type = defineTool({
    name: 'web_type',
    title: 'Type into a field',
    description: `Types text into a text field, text area or editable element (replacing what is there unless clear is false), optionally pressing Enter after, and returns what changed. ${TARGET_HELP} Values typed into password fields (or marked sensitive) never appear in results, logs or the audit. To fill a whole form at once use web_fill_form.`,
    effect: 'external',
    input: z.object({
      target: Target,
      text: z.string().max(100_000).describe('The text to type.'),
      clear: z.boolean().default(true).describe('Replace the field’s content (default). false: add to the end of it.'),
      submit: z.boolean().default(false).describe('Press Enter after typing (submits most search boxes and one-field forms).'),
      slowly: z.boolean().default(false).describe('Type key by key, for pages that react to each keystroke (autocomplete). Slower.'),
      sensitive: z.boolean().optional().describe('The text is a secret: masked everywhere. Password fields are detected on their own.'),
      dialog: DialogAnswer,
      session: SessionField,
      tab: TabField,
    }),
    output: PageResult,
    auditArgs: (args) => auditCopy(runtime, args, 'text'),
    async preview(args, ctx) {
      const info = await probe(runtime, args, args.target);
      const secret = args.sensitive === true || info?.password === true;
      if (secret) ctx.secret(args.text, ['text']);
      const shown = secret ? MASKED : JSON.stringify(args.text.length > 200 ? `${args.text.slice(0, 200)}…` : args.text);
      return {
        summary: `Type into ${elementLine(args.target, info)} on ${placeOf(await where(runtime, args))}${args.submit ? ' and press Enter' : ''}`,
        changes: [
          {
            kind: 'form',
            target: placeOf(await where(runtime, args)),
            fields: [{ field: info?.label || describeTarget(args.target), value: shown, ...(secret ? { note: 'secret' } : {}) }],
            submit: args.submit,
          },
        ],
      };
    },
    async handler(args, ctx) {
      let secret = args.sensitive === true;
      const outcome = await runAction(runtime, ctx, {
        session: args.session,
        tab: args.tab,
        logArgs: ctx.auditArgs(),
        dialog: args.dialog,
        act: async (tab, session) => {
          const found = await find(tab.page, args.target, ctx.signal);
          const info = await elementInfo(found.locator, timeout).catch(() => undefined);
          if (info?.password) secret = true;
          if (secret) {
            ctx.secret(args.text, ['text']);
            session.secrets.add(args.text);
          }
          const opts = { timeout, signal: ctx.signal };
          if (args.slowly) {
            if (args.clear) await found.locator.clear(opts);
            await found.locator.pressSequentially(args.text, opts);
          } else if (args.clear) await found.locator.fill(args.text, opts);
          else {
            await found.locator.focus(opts);
            await tab.page.keyboard.insertText(args.text);
          }
          if (args.submit) await found.locator.press('Enter', opts);
          const shown = secret ? MASKED : JSON.stringify(args.text.length > 60 ? `${args.text.slice(0, 60)}…` : args.text);
          return `typed ${shown} into ${info?.label ? JSON.stringify(info.label) : describeTarget(args.target)}${via(found)}${args.submit ? ' and pressed Enter' : ''}`;
        },
      });
      return outcome;
    },
  });

  const select = defineTool({
    name: 'web_select',
    title: 'Choose options in a select',
    description: `Chooses one option (or several, for a multi-select) in a drop-down, by the option’s visible label or its value, and returns what changed. ${TARGET_HELP}`,
    effect: 'external',
    input: z.object({
      target: Target,
      values: z
        .union([z.string().max(1_000), z.array(z.string().max(1_000)).min(1).max(100)])
        .describe('Option label or value, or a list of them for a multi-select.'),
      session: SessionField,
      tab: TabField,
    }),
    output: PageResult,
    async preview(args) {
      const info = await probe(runtime, args, args.target);
      const values = Array.isArray(args.values) ? args.values : [args.values];
      return {
        summary: `Choose ${values.map((v) => JSON.stringify(v)).join(', ')} in ${elementLine(args.target, info)}`,
        changes: [
          {
            kind: 'form',
            target: placeOf(await where(runtime, args)),
            fields: [{ field: info?.label || describeTarget(args.target), value: values.join(', ') }],
            submit: false,
          },
        ],
      };
    },
    async handler(args, ctx) {
      return runAction(runtime, ctx, {
        session: args.session,
        tab: args.tab,
        logArgs: args,
        act: async (tab) => {
          const found = await find(tab.page, args.target, ctx.signal);
          const values = Array.isArray(args.values) ? args.values : [args.values];
          const options = await found.locator.evaluate(
            (el) => Array.from((el as HTMLSelectElement).options ?? []).map((o) => ({ value: o.value, label: o.label.trim() })),
            undefined,
            { timeout },
          );
          const chosen = values.map(
            (v) => options.find((o) => o.label.toLowerCase() === v.trim().toLowerCase()) ?? options.find((o) => o.value === v),
          );
          const missing = values.filter((_, i) => !chosen[i]);
          if (missing.length) {
            throw invalidArgument(
              'values',
              `no option ${JSON.stringify(missing[0])}`,
              `Options: ${options
                .map((o) => o.label)
                .slice(0, 20)
                .join(' | ')}.`,
            );
          }
          await found.locator.selectOption(
            chosen.map((o) => o!.value),
            { timeout, signal: ctx.signal },
          );
          return `chose ${values.map((v) => JSON.stringify(v)).join(', ')} in ${describeTarget(args.target)}${via(found)}`;
        },
      });
    },
  });

  const check = defineTool({
    name: 'web_check',
    title: 'Check or uncheck',
    description: `Checks or unchecks a checkbox or switch, or selects a radio button, and returns what changed. ${TARGET_HELP}`,
    effect: 'external',
    input: z.object({
      target: Target,
      checked: z.boolean().default(true).describe('true (default) to check, false to uncheck. Radio buttons can only be checked.'),
      session: SessionField,
      tab: TabField,
    }),
    output: PageResult,
    async preview(args) {
      const info = await probe(runtime, args, args.target);
      return {
        summary: `${args.checked ? 'Check' : 'Uncheck'} ${elementLine(args.target, info)}`,
        changes: [
          {
            kind: 'form',
            target: placeOf(await where(runtime, args)),
            fields: [{ field: info?.label || describeTarget(args.target), value: args.checked ? 'checked' : 'unchecked' }],
            submit: false,
          },
        ],
      };
    },
    async handler(args, ctx) {
      return runAction(runtime, ctx, {
        session: args.session,
        tab: args.tab,
        logArgs: args,
        act: async (tab) => {
          const found = await find(tab.page, args.target, ctx.signal);
          await found.locator.setChecked(args.checked, { timeout, signal: ctx.signal });
          return `${args.checked ? 'checked' : 'unchecked'} ${describeTarget(args.target)}${via(found)}`;
        },
      });
    },
  });

  const press = defineTool({
    name: 'web_press',
    title: 'Press a key',
    description:
      'Presses a key or key combination — Enter, Tab, Escape, ArrowDown, Backspace, PageDown, Control+A, Shift+Tab … — on an element (focused first) or on the page, and returns what changed.',
    effect: 'external',
    input: z.object({
      key: z.string().min(1).max(100).describe('Key name or combination, e.g. "Enter", "Escape", "Control+A".'),
      target: Target.optional().describe('Element to focus first (ref or hints). Default: whatever has focus.'),
      dialog: DialogAnswer,
      session: SessionField,
      tab: TabField,
    }),
    output: PageResult,
    async preview(args) {
      const info = args.target ? await probe(runtime, args, args.target) : undefined;
      return notePreview(
        `Press ${args.key}${args.target ? ` on ${elementLine(args.target, info)}` : ''}`,
        `Press ${args.key} on ${placeOf(await where(runtime, args))}.`,
      );
    },
    async handler(args, ctx) {
      return runAction(runtime, ctx, {
        session: args.session,
        tab: args.tab,
        logArgs: args,
        dialog: args.dialog,
        act: async (tab) => {
          try {
            if (args.target) {
              const found = await find(tab.page, args.target, ctx.signal);
              await found.locator.press(args.key, { timeout, signal: ctx.signal });
              return `pressed ${args.key} on ${describeTarget(args.target)}${via(found)}`;
            }
            await tab.page.keyboard.press(args.key);
            return `pressed ${args.key}`;
          } catch (error) {
            throw fromPlaywright(error, `pressing ${args.key}`, {
              field: /Unknown key/.test(String(error)) ? 'key' : 'target',
              timeoutMs: timeout,
              signal: ctx.signal,
            });
          }
        },
      });
    },
  });

  const upload = defineTool({
    name: 'web_upload',
    title: 'Upload files',
    description: `Puts files into a file input (or the file chooser a button opens). Files must be under the allowed roots of the policy; anything else is refused. ${TARGET_HELP}`,
    effect: 'external',
    input: z.object({
      target: Target,
      paths: z
        .array(z.string().min(1).max(4_096))
        .min(1)
        .max(20)
        .describe('File paths under the allowed roots (relative paths resolve against the first root).'),
      session: SessionField,
      tab: TabField,
    }),
    output: PageResult,
    async preview(args) {
      const files = filesFor(args.paths, kernel.policy.jail, 'paths');
      const info = await probe(runtime, args, args.target);
      return {
        summary: `Upload ${files.length} file${files.length === 1 ? '' : 's'} into ${elementLine(args.target, info)}`,
        changes: [
          {
            kind: 'form',
            target: placeOf(await where(runtime, args)),
            fields: files.map((f) => ({
              field: info?.label || describeTarget(args.target),
              value: `${f.name} (${f.bytes} bytes)`,
              note: f.path,
            })),
            submit: false,
          },
        ],
      };
    },
    async handler(args, ctx) {
      const files = filesFor(args.paths, kernel.policy.jail, 'paths');
      return runAction(runtime, ctx, {
        session: args.session,
        tab: args.tab,
        logArgs: args,
        act: async (tab) => {
          const found = await find(tab.page, args.target, ctx.signal);
          const info = await elementInfo(found.locator, timeout).catch(() => undefined);
          const paths = files.map((f) => f.path);
          if (info?.kind === 'file') await found.locator.setInputFiles(paths, { timeout, signal: ctx.signal });
          else {
            const chooser = tab.page.waitForEvent('filechooser', { timeout });
            await found.locator.click({ timeout, signal: ctx.signal });
            await (await chooser).setFiles(paths, { timeout });
          }
          return `uploaded ${files.map((f) => f.name).join(', ')} into ${describeTarget(args.target)}${via(found)}`;
        },
      });
    },
  });

  const hover = defineTool({
    name: 'web_hover',
    title: 'Hover over an element',
    description: `Moves the mouse over an element, e.g. to open a menu or show a tooltip, and returns what changed. ${TARGET_HELP}`,
    effect: 'read',
    input: z.object({ target: Target, session: SessionField, tab: TabField }),
    output: PageResult,
    async handler(args, ctx) {
      return runAction(runtime, ctx, {
        session: args.session,
        tab: args.tab,
        logArgs: args,
        act: async (tab) => {
          const found = await find(tab.page, args.target, ctx.signal);
          await found.locator.hover({ timeout, signal: ctx.signal });
          return `hovered over ${describeTarget(args.target)}${via(found)}`;
        },
      });
    },
  });

  return [click, type, select, check, press, upload, hover];
}
