// The plan server's prompts: turn a task into a plan the person sees before anything runs.
import { definePrompt, type Prompt } from '../../shared/prompt.js';

export function planPrompts(): Prompt[] {
  return [
    definePrompt({
      name: 'plan_task',
      title: 'Plan a task, show it, then run it',
      description: 'Writes a plan for a multi-step task, simulates it for the person, and runs it once they approve.',
      arguments: [{ name: 'task', description: 'What should be done, in plain words.', required: true }],
      render: ({ task }) =>
        `Write a Hearth plan for this task: ${task ?? ''}\n` +
        'Check it with plan_validate and fix what it reports. Show the person the plan_simulate report (every change as a preview), ' +
        'then start it with plan_run and follow it with plan_status until it ends.',
    }),
  ];
}
