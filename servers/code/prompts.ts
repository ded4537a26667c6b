// The code server's prompts: analysing a file in the sandbox.
import { definePrompt, type Prompt } from '../../shared/prompt.js';

export function codePrompts(): Prompt[] {
  return [
    definePrompt({
      name: 'analyze_csv',
      title: 'Analyse a CSV file',
      description: 'Summarise a CSV in the workspace and chart what stands out.',
      arguments: [
        {
          name: 'path',
          description: 'The CSV’s path in the workspace, e.g. data/sales.csv (write it with code_files_write first).',
          required: true,
        },
        { name: 'question', description: 'What to find out; default: an overview.' },
      ],
      render: ({ path, question }) =>
        `With code_run, read ${path!} (csv.read), summarise its columns (stats.summarize) and ${question ? `answer: ${question}` : 'say what stands out'}. ` +
        'Write a chart that shows it (chart.bar or chart.line) to the workspace as SVG and give me its resource link.',
    }),
  ];
}
