// The budget server's prompts: spending at a glance.
import { definePrompt, type Prompt } from '../../shared/prompt.js';

export function budgetPrompts(): Prompt[] {
  return [
    definePrompt({
      name: 'spending',
      title: 'What have I spent?',
      description: 'The LLM spending against the budgets, and what cost the most.',
      arguments: [{ name: 'task', description: 'A task id to look at; default: today and this month.' }],
      render: ({ task }) =>
        `Show my LLM budgets with budget_status${task ? ` for task ${task}` : ''} and the biggest recent costs from budget_ledger. ` +
        'Say how much is left and when each limit resets.',
    }),
  ];
}
