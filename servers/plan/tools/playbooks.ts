// plan_playbooks: lists the saved playbooks, or shows one with its plan.
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { PlanRuntime } from '../runtime.js';

export function playbooksTool(runtime: PlanRuntime): Tool {
  return defineTool({
    name: 'plan_playbooks',
    title: 'List playbooks',
    description:
      'Lists the saved playbooks (latest version of each: name, description, steps, inputs), or with name shows one playbook’s plan.',
    effect: 'read',
    input: z.object({
      name: z.string().min(1).max(120).optional().describe('Show this playbook’s plan.'),
      version: z.number().int().min(1).optional().describe('With name: this version; default the latest.'),
    }),
    output: z.object({
      playbooks: z.array(
        z.object({
          name: z.string(),
          version: z.number().int(),
          description: z.string().nullable(),
          createdAt: z.string(),
          steps: z.number().int(),
          inputs: z.array(z.string()),
        }),
      ),
      plan: z.record(z.string(), z.unknown()).optional(),
    }),
    async handler(args) {
      const planner = await runtime.planner();
      if (args.name !== undefined) {
        const one = planner.store.playbook(args.name, args.version);
        const entry = {
          name: one.name,
          version: one.version,
          description: one.description,
          createdAt: one.createdAt,
          steps: one.plan.steps.length,
          inputs: Object.keys(one.plan.inputs),
        };
        return {
          structured: { playbooks: [entry], plan: one.plan },
          text: `${one.name}@${one.version}\n${JSON.stringify(one.plan, null, 2)}`,
        };
      }
      const list = planner.store.playbooks();
      return {
        structured: { playbooks: list },
        text: list.length
          ? list
              .map(
                (p) =>
                  `${p.name}@${p.version} (${p.steps} steps${p.inputs.length ? `; inputs ${p.inputs.join(', ')}` : ''})${p.description ? ` — ${p.description}` : ''}`,
              )
              .join('\n')
          : 'No playbooks saved.',
      };
    },
  });
}
