// The web server's prompts: the tasks people hand a browser.
import { definePrompt, type Prompt } from '../../shared/prompt.js';

export function webPrompts(): Prompt[] {
  return [
    definePrompt({
      name: 'fill_form_from_cv',
      title: 'Fill this form from my CV',
      description: 'Fill a web form with what a CV says, for the person to check before it is sent.',
      arguments: [
        { name: 'url', description: 'The page with the form (its origin must be on the policy’s web allowlist).', required: true },
        {
          name: 'cv',
          description: 'Where the CV is: a file under the allowed roots, or "memory" to search my notes for it.',
          required: true,
        },
      ],
      render: ({ url, cv }) =>
        `Open ${url!} with web_navigate and read its form with web_snapshot (interactive: true). ` +
        `Take my details from ${cv === 'memory' ? 'my notes (memory_search for my CV)' : `my CV at ${cv!}`}. ` +
        'Fill every field you can in one web_fill_form call without submitting, then list the fields you filled and those you could not, and ask me before submitting.',
    }),
    definePrompt({
      name: 'read_page',
      title: 'Read a page',
      description: 'Summarise a page, or pull its tables or links out as data.',
      arguments: [
        { name: 'url', description: 'The page (its origin must be on the allowlist).', required: true },
        { name: 'want', description: 'What to get: a summary (default), the tables, or the links.' },
      ],
      render: ({ url, want }) =>
        `Open ${url!} with web_navigate. ${want && /table|link/i.test(want) ? `Get ${want} with web_extract.` : 'Read it with web_snapshot and summarise it.'}`,
    }),
  ];
}
