// plan_validate: checks a plan against the tools that exist, without calling any of them.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { PlanRuntime } from '../runtime.js';
import { Issue, PlanSourceFields } from './source.js';

export function validateTool(runtime: PlanRuntime): Tool {
  return defineTool({
    name: 'plan_validate',
    title: 'Validate a plan',
    description:
      'Checks a plan (JSON steps calling Hearth tools, with $ref/$input references and CEL conditions) without running anything: step ids, dependencies and cycles, references to unknown or later steps or to outputs a tool does not return, unknown tools, arguments that fail the tool’s input schema, conditions that do not parse. Returns every problem with the step, the field and the fix, or the order the steps would run in.',
    effect: 'read',
    input: z.object(PlanSourceFields),
    output: z.object({
      valid: z.boolean(),
      issues: z.array(Issue),
      order: z.array(z.string()).describe('The step ids in the order they run, when the plan is valid.'),
      changing: z.array(z.string()).describe('The steps whose tools change something (write or external).'),
    }),
    async handler(args) {
      const checked = await (await runtime.planner()).check(args);
      if (!checked.ok) {
        const text = [
          `The plan has ${checked.issues.length} problem(s):`,
          ...checked.issues.map((i) => `- ${i.step ? `step ${i.step}, ` : ''}${i.field}: ${i.problem}. Fix: ${i.fix}`),
        ].join('\n');
        return { structured: { valid: false, issues: checked.issues, order: [], changing: [] }, text };
      }
      const { valid } = checked;
      const order = valid.order.map((s) => s.id);
      const changing = valid.order.filter((s) => valid.tools.get(s.tool)!.effect !== 'read').map((s) => s.id);
      return {
        structured: { valid: true, issues: [], order, changing },
        text: `The plan is valid: ${order.length} steps (${order.join(' → ')}); ${changing.length} change something.`,
      };
    },
  });
}
