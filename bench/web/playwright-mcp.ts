// The official Playwright MCP server (@playwright/mcp) over stdio, on the same Chromium, driven the
// way a model has to drive it: its action results link the page snapshot as a file rather than
// returning it, so the refs come from an explicit browser_snapshot; the file input needs a click
// (which opens a file chooser) and browser_file_upload; reading the confirmation is another
// browser_snapshot.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { type Applicant, checkConfirmation, CHROMIUM_ARGS, type Contestant, type RunCost } from './flow.js';
import { CountingClient } from './mcp-stdio.js';

const REPO = resolve(import.meta.dirname, '..', '..');

/** Every `role "name" [ref=…]` in a snapshot, by "role name". */
function refsOf(snapshot: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const m of snapshot.matchAll(/- (\w+) "([^"]*)"[^\n]*?\[ref=([a-z0-9]+)\]/g)) refs.set(`${m[1]} ${m[2]}`, m[3]!);
  return refs;
}

export function playwrightMcpContestant(options: {
  dir: string;
  origin: string;
  data: Applicant;
  expected: string[];
  executablePath: string;
}): Contestant {
  let client: CountingClient | undefined;
  const { data } = options;

  async function task(): Promise<RunCost> {
    const c = client!;
    await c.call('browser_navigate', { url: `${options.origin}/apply.html` });
    const snapshot = await c.call('browser_snapshot', {});
    const refs = refsOf(snapshot.text);
    const ref = (key: string) => {
      const found = refs.get(key);
      if (!found) throw new Error(`@playwright/mcp: no ${key} in the snapshot:\n${snapshot.text.slice(0, 3000)}`);
      return found;
    };
    await c.call('browser_fill_form', {
      fields: [
        { name: 'Full name', type: 'textbox', target: ref('textbox Full name'), value: data.name },
        { name: 'Email', type: 'textbox', target: ref('textbox Email'), value: data.email },
        { name: 'Phone', type: 'textbox', target: ref('textbox Phone'), value: data.phone },
        { name: 'Position', type: 'combobox', target: ref('combobox Position'), value: data.position },
        { name: 'Start date', type: 'textbox', target: ref('textbox Start date'), value: data.start },
        { name: data.experience, type: 'radio', target: ref(`radio ${data.experience}`), value: 'true' },
        { name: 'Willing to relocate', type: 'checkbox', target: ref('checkbox Willing to relocate'), value: String(data.relocate) },
        { name: 'Cover letter', type: 'textbox', target: ref('textbox Cover letter'), value: data.cover },
        { name: 'I accept the terms', type: 'checkbox', target: ref('checkbox I accept the terms'), value: String(data.terms) },
      ],
    });
    await c.call('browser_click', { element: 'Résumé file input', target: ref('button Résumé') });
    await c.call('browser_file_upload', { paths: [data.resume] });
    await c.call('browser_click', { element: 'Submit application button', target: ref('button Submit application') });
    const confirmation = await c.call('browser_snapshot', {});
    checkConfirmation('@playwright/mcp', confirmation.text, options.expected);
    return c.take();
  }

  return {
    name: '@playwright/mcp (stdio)',
    async setup() {
      mkdirSync(options.dir, { recursive: true });
      const config = join(options.dir, 'playwright-mcp.json');
      writeFileSync(
        config,
        JSON.stringify({
          browser: {
            browserName: 'chromium',
            isolated: true,
            launchOptions: { executablePath: options.executablePath, headless: true, args: CHROMIUM_ARGS },
          },
        }),
      );
      // Its workspace (where its snapshot files land, and the only place it uploads from) is the
      // working directory: the benchmark's temporary folder, which holds the résumé.
      client = await CountingClient.spawn(
        '@playwright/mcp',
        [join(REPO, 'node_modules/@playwright/mcp/cli.js'), '--config', config, '--allowed-origins', options.origin],
        { cwd: dirname(data.resume), env: {} },
      );
      await task();
    },
    run: task,
    async close() {
      await client?.close();
    },
  };
}
