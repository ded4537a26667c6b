// The memory server's prompts: ways a person starts a conversation that uses their memory.
import { definePrompt, type Prompt } from '../../shared/prompt.js';

export function memoryPrompts(): Prompt[] {
  return [
    definePrompt({
      name: 'search_notes',
      title: 'Search my notes',
      description: 'Answer a question from the person’s own documents, citing them.',
      arguments: [{ name: 'topic', description: 'What to look for, e.g. "the Apollo budget".', required: true }],
      render: ({ topic }) =>
        `Search my notes about ${topic!} with memory_search (read the best passages whole with memory_get if the snippets are not enough). ` +
        'Answer from what you find, cite each passage you use by its citation, and say plainly if my notes do not cover it.',
    }),
    definePrompt({
      name: 'how_did_it_go',
      title: 'How did a similar task go?',
      description: 'Look up the task history before starting a task again.',
      arguments: [{ name: 'task', description: 'The task about to start, e.g. "apply to a gardening job".', required: true }],
      render: ({ task }) =>
        `Before we start "${task!}": search the task history with memory_search (collections ["_tasks"]) for similar tasks, ` +
        'and tell me what worked, what failed and what to do differently. When we are done, record the task with memory_log_task.',
    }),
  ];
}
