// plan_save: saves a plan as a named, versioned playbook that plan_run can start with inputs.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { PlanRuntime } from '../runtime.js';

export function saveTool(runtime: PlanRuntime): Tool {
  const input = z.object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,119}$/, 'lower case letters, digits, . _ and -')
      .describe('The playbook name, e.g. apply-to-job.'),
    plan: z.record(z.string(), z.unknown()).describe('The plan; it must validate. Declare its inputs so it can be reused.'),
    description: z.string().max(2_000).optional().describe('What the playbook is for.'),
  });
  return defineTool({
    name: 'plan_save',
    title: 'Save a playbook',
    description:
      'Saves a valid plan as a named playbook; saving under an existing name adds a new version (old versions stay). plan_run and plan_simulate take playbook + inputs.',
    effect: 'write',
    additive: true,
    input,
    output: z.object({ name: z.string(), version: z.number().int(), steps: z.number().int() }),
    async preview(args) {
      return {
        summary: `Save playbook ${args.name}`,
        changes: [{ kind: 'records', target: 'playbooks', added: [{ name: args.name, description: args.description ?? '' }], removed: [] }],
      };
    },
    async handler(args) {
      const planner = await runtime.planner();
      const { valid } = await planner.require({ plan: args.plan });
      const version = planner.store.savePlaybook(args.name, valid.plan, args.description);
      return {
        structured: { name: args.name, version, steps: valid.plan.steps.length },
        text: `Saved playbook ${args.name} version ${version} (${valid.plan.steps.length} steps).`,
      };
    },
  });
}
