// The fields every tool that takes a plan shares: the plan itself, or a saved playbook by name.
import * as z from 'zod';

export const PlanSourceFields = {
  plan: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'The plan as JSON: {steps: [{id, tool, args, …}], inputs?, outputs?}. The language is in docs/plan.schema.json. Give plan or playbook.',
    ),
  playbook: z.string().min(1).max(120).optional().describe('The name of a saved playbook (plan_playbooks lists them), instead of plan.'),
  version: z.number().int().min(1).optional().describe('The playbook version; default the latest.'),
};

export const InputsField = z.record(z.string(), z.unknown()).default({}).describe('Values for the plan’s declared inputs.');

export const Issue = z.object({
  step: z.string().optional().describe('The step the problem is in.'),
  field: z.string().describe('Where in the plan, e.g. steps[2].args.url.'),
  problem: z.string(),
  fix: z.string(),
});
