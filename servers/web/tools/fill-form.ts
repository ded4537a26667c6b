// web_fill_form: many fields in one call, previewed as field → value, optionally submitted.
import * as z from 'zod';

import { HearthError, isHearthError } from '../../../lib/errors.js';
import type { Preview } from '../../../lib/preview.js';
import type { Tool } from '../../../shared/tool.js';
import { copyArgs, MASKED, SECRET_HINT, targetLooksSecret } from '../audit-masks.js';
import { planField } from '../field-plan.js';
import { filesFor, type FillContext, type FilledField, fillPlanned, FormField, isSecret, submitAround } from '../fill-form.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';
import { describeTarget, Target } from '../target.js';
import { takeSnapshot } from '../view.js';
import { placeOf, probe, where } from './common.js';

/** A snapshot younger than this (and of the same page) is trusted to plan a fill. */
const RECENT_SNAPSHOT_MS = 3_000;

export function fillFormTool(runtime: WebRuntime): Tool {
  const { settings, kernel } = runtime;
  return defineWebAction(runtime, {
    name: 'web_fill_form',
    title: 'Fill in a form',
    description:
      'Fills many form fields in one call (text, dates, selects, radios, checkboxes, files; passwords never shown) and optionally submits. Stops at the first failing field and then never submits. Returns the next page’s outline after a submit, else what changed (e.g. validation errors).',
    effect: 'external',
    dialog: true,
    input: {
      fields: z
        .array(FormField)
        .min(1)
        .max(100)
        .describe('Fields in order: {"target": ref or hints such as {"label": "Email"}, "value": …}.'),
      submit: z
        .union([z.boolean(), Target])
        .default(false)
        .describe('true: submit the form; a target: click that button; false: fill only.'),
    },
    output: {
      filled: z.number().int().describe('How many fields were filled (all of them, or the call fails).'),
      notes: z
        .array(z.string())
        .optional()
        .describe('Fields found by a looser reading of their hints than asked, or under another label: check these went where intended.'),
      submitted: z.boolean(),
    },
    // Values of fields that look secret are masked before anything runs.
    auditArgs(args) {
      const copy = copyArgs(args);
      const session = runtime.sessions.find(args.session);
      const fields = copy.fields as { value: unknown }[];
      args.fields.forEach((f, i) => {
        const known = typeof f.value === 'string' && session?.secrets.has(f.value);
        if (f.sensitive || known || targetLooksSecret(f.target)) fields[i]!.value = MASKED;
      });
      return copy;
    },
    async preview(args, ctx): Promise<Preview> {
      const place = await where(runtime, args);
      const fields = [];
      for (const [i, f] of args.fields.entries()) {
        const info = await probe(runtime, args, f.target);
        const secret =
          isSecret(f, info) ||
          targetLooksSecret(f.target) ||
          (info?.label !== undefined && SECRET_HINT.test(info.label) && info.kind === 'text');
        if (secret) ctx.secret(String(f.value), ['fields', i, 'value']);
        let value = secret ? MASKED : Array.isArray(f.value) ? f.value.join(', ') : String(f.value);
        let note: string | undefined = info ? undefined : 'not found on the page right now';
        if (info?.kind === 'file') {
          const files = filesFor(f.value, kernel.policy.jail, `fields[${i}].value`);
          value = files.map((x) => `${x.name} (${x.bytes} bytes)`).join(', ');
          note = 'file from the allowed roots';
        }
        fields.push({ field: info?.label || describeTarget(f.target), value, ...(secret ? { note: 'secret' } : note ? { note } : {}) });
      }
      const submit = args.submit !== false;
      return {
        summary: `Fill ${args.fields.length} field${args.fields.length === 1 ? '' : 's'} on ${placeOf(place)}${submit ? ' and submit' : ''}`,
        changes: [{ kind: 'form', target: placeOf(place), fields, submit }],
      };
    },
    async act(args, { tab, session, ctx, find }) {
      // A recent snapshot settles most fields (which control, its options, its ref); the rest are
      // looked up one by one, with waiting, when their turn comes.
      const last = tab.lastSnapshot;
      const snapshot =
        last && last.navigation === tab.navigations && performance.now() - last.takenAt < RECENT_SNAPSHOT_MS
          ? last
          : await takeSnapshot(session, tab, ctx.signal);
      const fc: FillContext = {
        page: tab.page,
        jail: kernel.policy.jail,
        timeoutMs: settings.actionTimeoutMs,
        signal: ctx.signal,
        passwordsOnPage: snapshot.passwordFields > 0,
      };
      const planned = args.fields.map((f) => planField(tab.page, snapshot, f));
      const filled: FilledField[] = [];
      let lastField;
      for (const [i, field] of args.fields.entries()) {
        ctx.throwIfCancelled();
        try {
          const done = await fillPlanned(field, i, fc, planned[i]);
          if (done.secret) ctx.secret(String(field.value), ['fields', i, 'value']);
          filled.push(done.result);
          lastField = done.locator;
        } catch (error) {
          if (!isHearthError(error)) throw error;
          const progress = filled.length
            ? `; filled ${filled.length} of ${args.fields.length} fields (${filled.map((f) => f.field).join(', ')})`
            : '';
          throw new HearthError(error.code, `${error.message}${progress}; the form was not submitted`, error.hint, {
            details: { ...(error.details ?? {}), filled },
          });
        }
        if (args.fields.length > 3)
          await ctx.progress(i + 1, args.fields.length + (args.submit === false ? 0 : 1), `filled ${i + 1} of ${args.fields.length}`);
      }
      let did = `filled ${filled.length} field${filled.length === 1 ? '' : 's'}`;
      let submitted = false;
      if (args.submit === true && lastField) {
        did += `, then ${await submitAround(lastField, fc)}`;
        submitted = true;
      } else if (args.submit !== false && args.submit !== true) {
        const found = await find(args.submit, 'submit');
        await found.locator.click({ timeout: settings.actionTimeoutMs, signal: ctx.signal });
        did += `, then clicked ${describeTarget(args.submit)}`;
        submitted = true;
      }
      // The values are the caller's own; the text stays short and the details are in `filled`.
      const notes = filled.filter((f) => f.note).map((f) => f.note!);
      return {
        did,
        extra: { filled: filled.length, ...(notes.length ? { notes } : {}), submitted },
        footer: notes.map((n) => `note: ${n}`),
      };
    },
  });
}
