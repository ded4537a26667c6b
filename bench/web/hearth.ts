// Hearth's web server over stdio, driven like a model would: open the page (the result lists the
// fields), fill and submit the form in one call (the result shows the confirmation page).
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { type Applicant, checkConfirmation, type Contestant, type RunCost } from './flow.js';
import { CountingClient } from './mcp-stdio.js';

const REPO = resolve(import.meta.dirname, '..', '..');

/** The one web_fill_form call that fills and submits the application. */
export function fillArgs(data: Applicant): Record<string, unknown> {
  return {
    submit: true,
    fields: [
      { target: { label: 'Full name' }, value: data.name },
      { target: { label: 'Email' }, value: data.email },
      { target: { label: 'Phone' }, value: data.phone },
      { target: { label: 'Position' }, value: data.position },
      { target: { label: 'Start date' }, value: data.start },
      { target: { label: 'Experience' }, value: data.experience },
      { target: { label: 'Willing to relocate' }, value: data.relocate },
      { target: { label: 'Résumé' }, value: data.resume },
      { target: { label: 'Cover letter' }, value: data.cover },
      { target: { label: 'I accept the terms' }, value: data.terms },
    ],
  };
}

export function hearthContestant(options: {
  home: string;
  origin: string;
  data: Applicant;
  expected: string[];
  executablePath: string;
}): Contestant {
  let client: CountingClient | undefined;
  const { data } = options;

  async function task(): Promise<RunCost> {
    const c = client!;
    await c.call('web_navigate', { url: `${options.origin}/apply.html` });
    const result = await c.call('web_fill_form', fillArgs(data));
    checkConfirmation('hearth', result.text, options.expected);
    return c.take();
  }

  return {
    name: 'Hearth web (stdio)',
    async setup() {
      writeFileSync(
        join(options.home, 'policy.json'),
        JSON.stringify({ version: 1, mode: 'autopilot', web: { origins: [options.origin] }, roots: [dirname(data.resume)] }),
      );
      client = await CountingClient.spawn(
        'hearth',
        [
          '--no-node-snapshot',
          '--import',
          'tsx',
          join(REPO, 'orchestrator/cli.ts'),
          'mcp',
          'web',
          '--set',
          `servers.web.executablePath=${options.executablePath}`,
        ],
        {
          cwd: REPO,
          env: { HEARTH_HOME: options.home, HEARTH_LOG_LEVEL: 'warn' },
        },
      );
      await task();
    },
    run: task,
    async close() {
      await client?.close();
    },
  };
}
