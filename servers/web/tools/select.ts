// web_select: chooses options in a drop-down by their label or value.
import * as z from 'zod';

import { invalidArgument } from '../../../lib/errors.js';
import type { Tool } from '../../../shared/tool.js';
import type { WebRuntime } from '../runtime.js';
import { defineWebAction } from '../tab-tool.js';
import { describeTarget, foundVia, Target } from '../target.js';
import { elementLine, placeOf, probe, where } from './common.js';

export function selectTool(runtime: WebRuntime): Tool {
  const timeout = runtime.settings.actionTimeoutMs;
  const listOf = (values: string | string[]) => (Array.isArray(values) ? values : [values]);
  return defineWebAction(runtime, {
    name: 'web_select',
    title: 'Choose options in a select',
    description: 'Chooses one option (several for a multi-select) in a drop-down, by its visible label or value. Returns what changed.',
    effect: 'external',
    input: {
      target: Target,
      values: z
        .union([z.string().max(1_000), z.array(z.string().max(1_000)).min(1).max(100)])
        .describe('Option label or value, or a list of them for a multi-select.'),
    },
    async preview(args) {
      const info = await probe(runtime, args, args.target);
      const values = listOf(args.values);
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
    async act(args, { find, ctx }) {
      const found = await find(args.target);
      const values = listOf(args.values);
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
        const known = options.map((o) => o.label).slice(0, 20);
        throw invalidArgument('values', `no option ${JSON.stringify(missing[0])}`, `Options: ${known.join(' | ')}.`);
      }
      await found.locator.selectOption(
        chosen.map((o) => o!.value),
        { timeout, signal: ctx.signal },
      );
      return `chose ${values.map((v) => JSON.stringify(v)).join(', ')} in ${describeTarget(args.target)}${foundVia(found)}`;
    },
  });
}
