// definePrompt: a prompt a client offers its person (a slash command, a menu entry) — a name, what
// it asks for, and the message it becomes. Prompts name the server's tools so the model knows the
// way; they change nothing themselves.
import { HearthError } from '../lib/errors.js';

export interface PromptArgument {
  name: string;
  description: string;
  required?: boolean;
}

export interface Prompt {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly arguments: readonly PromptArgument[];
  /** The user message the prompt becomes, from its arguments (required ones are checked before). */
  readonly render: (args: Record<string, string>) => string;
}

export function definePrompt(prompt: Prompt): Prompt {
  return prompt;
}

/** The message of `prompt` for `args`; a missing required argument is an error naming it. */
export function renderPrompt(prompt: Prompt, args: Record<string, string> = {}): string {
  for (const arg of prompt.arguments) {
    if (arg.required && !args[arg.name]?.trim()) {
      throw new HearthError('INVALID_ARGUMENT', `${arg.name}: the ${prompt.name} prompt needs it`, `Give ${arg.name}: ${arg.description}`, {
        details: { field: arg.name },
      });
    }
  }
  return prompt.render(args);
}
