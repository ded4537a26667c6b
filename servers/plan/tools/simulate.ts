// plan_simulate: the dry-run of a whole plan as one report; nothing changes anywhere.
import * as z from 'zod';

import { Preview } from '../../../lib/preview.js';
import { defineTool, type Tool } from '../../../shared/tool.js';
import type { PlanRuntime } from '../runtime.js';
import { renderSimulation } from '../simulate.js';
import { InputsField, PlanSourceFields } from './source.js';

const Truth = z.union([z.boolean(), z.literal('unknown')]);

const SimulatedStep = z.object({
  id: z.string(),
  tool: z.string(),
  server: z.string(),
  effect: z.enum(['read', 'write', 'external']),
  status: z.enum(['would-run', 'skipped', 'may-run', 'blocked']),
  args: z.unknown().describe('The arguments as they would be sent; ⟨from step X⟩ marks values known only after step X runs.'),
  conditions: z.object({ when: Truth.optional(), pre: Truth.optional(), post: z.string().optional() }),
  preview: Preview.optional(),
  output: z.unknown().optional(),
  waitsFor: z.array(z.string()),
  problem: z.string().optional(),
  approval: z.enum(['plan', 'step']),
});

export function simulateTool(runtime: PlanRuntime): Tool {
  return defineTool({
    name: 'plan_simulate',
    title: 'Simulate a plan',
    description:
      'Dry-runs a plan: read steps run (they change nothing), write and external steps return their preview (diffs, form fields, requests, rows) without acting. Returns one report, step by step in run order: the preview, whether each condition holds, fails or cannot be known yet, and values that exist only after an earlier write runs, shown as ⟨from step X⟩. Use it before plan_run to show the person what the plan will do.',
    effect: 'read',
    input: z.object({ ...PlanSourceFields, inputs: InputsField }),
    output: z.object({ summary: z.string(), steps: z.array(SimulatedStep) }),
    async handler(args, ctx) {
      const planner = await runtime.planner();
      const { valid } = await planner.require(args);
      const inputs = planner.inputs(valid.plan, args.inputs);
      const sim = await planner.simulate(valid, inputs, { signal: ctx.signal, progress: (d, t, m) => ctx.progress(d, t, m) });
      return { structured: { summary: sim.summary, steps: sim.steps }, text: renderSimulation(sim) };
    },
  });
}
