// The floor: a plain playwright-core script doing the task with the same Chromium and the same
// locators a person would write (labels), knowing the page in advance — no MCP, no snapshots, no
// allowlist. Nothing a tool server does can be faster than this. With `outlines`, the script also
// reads the accessibility outline of each new page (after opening the form and after submitting),
// which is what a model needs to see and what Hearth returns: the gap between the two floors is
// what seeing the page costs, the gap from there to Hearth is what the server adds.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

import { type Applicant, checkConfirmation, CHROMIUM_ARGS, type Contestant, type RunCost } from './flow.js';

export function floorContestant(options: {
  executablePath: string;
  origin: string;
  data: Applicant;
  expected: string[];
  outlines?: boolean;
}): Contestant {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const { data } = options;

  async function task(): Promise<RunCost> {
    const p = page!;
    await p.goto(`${options.origin}/apply.html`);
    if (options.outlines) await p.ariaSnapshot({ mode: 'ai' });
    await p.getByLabel('Full name').fill(data.name);
    await p.getByLabel('Email').fill(data.email);
    await p.getByLabel('Phone').fill(data.phone);
    await p.getByLabel('Position').selectOption({ label: data.position });
    await p.getByLabel('Start date').fill(data.start);
    await p.getByLabel(data.experience).check();
    await p.getByLabel('Willing to relocate').setChecked(data.relocate);
    await p.getByLabel('Résumé').setInputFiles(data.resume);
    await p.getByLabel('Cover letter').fill(data.cover);
    await p.getByLabel('I accept the terms').setChecked(data.terms);
    await p.getByRole('button', { name: 'Submit application' }).click();
    await p.waitForURL(/\/confirmation\//);
    const confirmation = options.outlines ? await p.ariaSnapshot({ mode: 'ai' }) : await p.locator('main').innerText();
    checkConfirmation('floor', confirmation, options.expected);
    return { calls: 0, bytes: 0 };
  }

  return {
    name: options.outlines ? 'floor + page outlines' : 'playwright-core script (floor)',
    async setup() {
      browser = await chromium.launch({ executablePath: options.executablePath, headless: true, args: CHROMIUM_ARGS });
      context = await browser.newContext();
      page = await context.newPage();
      await task();
    },
    run: task,
    async close() {
      await browser?.close();
    },
  };
}
