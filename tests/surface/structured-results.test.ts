// A program that reads structuredContent gets everything the text shows: every tool of every server
// is called once, and the words of its text that carry data must all be in its structured result.
// Each tool's rendering vocabulary (the words its text adds around the data) is listed, so a new
// field printed only in the text fails here.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { serverNames } from '../../orchestrator/registry.js';
import { startBudget } from '../budget/harness.js';
import { startTestSite, type TestSite } from '../fixtures/web/site.js';
import { type Called, type InProcess, startInProcess } from '../helpers/in-process.js';
import { wordsOnlyInText } from '../helpers/text-coverage.js';

type Step = [tool: string, args: Record<string, unknown>];

/** Words a tool's text adds around its data. Keep these short: each is a word the structured result does not need. */
const RENDERING: Record<string, string[]> = {
  memory_get: ['lines'],
  memory_list: ['docs'],
  memory_delete: ['deleted', 'document'],
  memory_forget: ['forgot', 'fact', 'found'],
  memory_log_task: ['logged', 'task', 'succeeded'],
  code_session_open: ['opened', 'heap', 'closes', 'after', 'idle'],
  code_session_list: ['expires'],
  code_session_close: ['session', 'deleted', 'files'],
  code_package: ['packed', 'into'],
  web_session_open: ['opened', 'pass', 'tools', 'open', 'sessions'],
  web_session_list: ['open'],
  web_session_save: ['session', 'restore', 'with', 'open'],
  web_session_close: ['session', 'logged'],
  web_extract: ['unchecked', 'items'],
  web_screenshot: ['large', 'resource'],
  llm_models: ['mtok'],
  llm_estimate: ['input', 'typically', 'answer', 'worst', 'case'],
  budget_status: ['resets', 'call', 'flight'],
  plan_validate: ['plan', 'steps', 'change', 'something'],
  plan_simulate: ['simulation', 'nothing', 'changed'],
  plan_save: ['saved', 'playbook'],
};

const results = new Map<string, Called>();
const listed = new Set<string>();
let site: TestSite;

async function run(server: { call: InProcess['call'] }, steps: Step[]): Promise<void> {
  for (const [tool, args] of steps) {
    const result = await server.call(tool, args);
    expect(result.isError, `${tool}: ${result.text}`).toBe(false);
    if (!results.has(tool)) results.set(tool, result);
  }
}

beforeAll(async () => {
  site = await startTestSite();
  const memory = await startInProcess('memory', { policy: { mode: 'autopilot' } });
  const code = await startInProcess('code', { policy: { mode: 'autopilot' } });
  const web = await startInProcess('web', {
    policy: { mode: 'autopilot', web: { origins: [site.origin] }, roots: ['./files'] },
    set: ['servers.web.actionTimeoutMs=5000'],
  });
  // The plan server reaches the suite's servers as `hearth mcp plan` does (the built copies, started as needed).
  const planServer = await startInProcess('plan', { policy: { mode: 'autopilot' } });
  const budget = await startBudget({
    policy: { mode: 'autopilot', llm: { providers: ['ollama', 'openai'], limits: { day: { usd: 100 }, month: { usd: 1000 } } } },
  });
  try {
    for (const s of [memory, code, web]) for (const t of (await s.client.listTools()).tools) listed.add(t.name);
    for (const t of (await budget.client.listTools()).tools) listed.add(t.name);
    for (const t of (await planServer.client.listTools()).tools) listed.add(t.name);

    await run(memory, [
      ['memory_ingest', { collection: 'notes', texts: [{ title: 'Garden plan', text: '# Roses\n\nPrune the roses in March.' }] }],
      ['memory_search', { query: 'when to prune roses' }],
      ['memory_list', {}],
      ['memory_get', { documentId: 1 }],
      ['memory_remember', { namespace: 'user', key: 'timezone', value: 'Europe/Berlin' }],
      ['memory_recall', { namespace: 'user' }],
      ['memory_forget', { namespace: 'user', keys: ['timezone', 'missing'] }],
      [
        'memory_log_task',
        { task: 'Plan the garden', steps: [{ action: 'searched notes', result: 'found roses', ok: true }], outcome: 'succeeded' },
      ],
      ['memory_delete', { documentIds: [1] }],
    ]);

    await run(code, [
      ['code_session_open', { name: 'work' }],
      ['code_files_write', { session: 'work', files: [{ path: 'data/sales.csv', content: 'region,amount\nnorth,12\nsouth,30\n' }] }],
      [
        'code_run',
        {
          session: 'work',
          code: 'const rows = csv.read("data/sales.csv"); console.log("rows", rows.length); workspace.writeText("out.txt", "done"); rows[1].region',
        },
      ],
      ['code_files_read', { session: 'work', path: 'data/sales.csv' }],
      ['code_files_list', { session: 'work' }],
      [
        'code_test',
        {
          session: 'work',
          source: 'export function twice(n) { return n * 2; }',
          tests: [{ name: 'doubles', code: 'assert.equal(twice(21), 42);' }],
        },
      ],
      ['code_package', { session: 'work', paths: ['data'] }],
      ['code_session_list', {}],
      ['code_files_delete', { session: 'work', paths: ['out.txt'] }],
      ['code_session_close', { session: 'work' }],
    ]);

    mkdirSync(join(web.home.dir, 'files'));
    writeFileSync(join(web.home.dir, 'files', 'cv.txt'), 'curriculum vitae');
    await run(web, [
      ['web_session_open', { session: 'apply' }],
      ['web_navigate', { session: 'apply', url: `${site.origin}/apply.html` }],
      ['web_snapshot', { session: 'apply', interactive: true }],
      ['web_type', { session: 'apply', target: { label: 'Full name' }, text: 'Ada Lovelace' }],
      ['web_select', { session: 'apply', target: { label: 'Position' }, values: 'Head gardener' }],
      ['web_check', { session: 'apply', target: { label: 'Willing to relocate' } }],
      ['web_upload', { session: 'apply', target: { label: 'Résumé' }, paths: ['cv.txt'] }],
      ['web_fill_form', { session: 'apply', fields: [{ target: { label: 'Email' }, value: 'ada@example.com' }] }],
      ['web_press', { session: 'apply', key: 'Tab' }],
      ['web_hover', { session: 'apply', target: { role: 'button', name: 'Submit application' } }],
      ['web_extract', { session: 'apply', kind: 'form' }],
      ['web_wait_for', { session: 'apply', text: 'Apply for Senior Gardener' }],
      ['web_screenshot', { session: 'apply', inline: false }],
      ['web_navigate', { session: 'apply', url: `${site.origin}/index.html` }],
      ['web_click', { session: 'apply', target: { role: 'link', name: 'Late elements' } }],
      ['web_back', { session: 'apply' }],
      ['web_tabs', { session: 'apply' }],
      ['web_request', { url: `${site.origin}/index.html` }],
      ['web_session_save', { session: 'apply', name: 'apply-saved' }],
      ['web_session_list', {}],
      ['web_session_close', { session: 'apply' }],
    ]);

    budget.fake.script('small', { answer: { text: 'Prune roses in March.', usage: { inputTokens: 12, outputTokens: 5 } } });
    await run(budget, [
      ['llm_models', {}],
      ['llm_estimate', { messages: [{ role: 'user', content: 'When do I prune roses?' }] }],
      ['llm_generate', { messages: [{ role: 'user', content: 'When do I prune roses?' }], tier: 'fast' }],
      ['budget_status', {}],
      ['budget_ledger', {}],
    ]);

    const note = {
      name: 'note',
      inputs: { topic: { type: 'string' } },
      steps: [
        { id: 'save', tool: 'memory_remember', args: { namespace: 'plans', key: { $input: 'topic' }, value: 'water the roses' } },
        { id: 'read', tool: 'memory_recall', args: { namespace: 'plans' } },
      ],
      outputs: { facts: { $ref: 'steps.read.output.facts' } },
    };
    await run(planServer, [
      ['plan_validate', { plan: note }],
      ['plan_simulate', { plan: note, inputs: { topic: 'garden' } }],
      ['plan_save', { name: 'note', plan: note, description: 'Remember a topic' }],
      ['plan_playbooks', {}],
      ['plan_run', { playbook: 'note', inputs: { topic: 'garden' }, waitMs: 60_000 }],
    ]);
    const done = (results.get('plan_run')!.structured as { run: { id: string } }).run.id;
    await run(planServer, [
      ['plan_status', { run: done, journal: true }],
      ['plan_list', {}],
    ]);
    // A run whose undo fails pauses: resume and cancel both have something to do.
    const stuck = {
      steps: [
        {
          id: 'one',
          tool: 'memory_remember',
          args: { namespace: 'plans', key: 'stuck', value: 'x' },
          compensate: { tool: 'memory_get', args: { documentId: 999_999 } },
        },
        { id: 'two', tool: 'memory_recall', args: { namespace: 'plans' }, post: 'false' },
      ],
    };
    const paused = await planServer.call('plan_run', { plan: stuck, waitMs: 60_000 });
    const pausedRun = (paused.structured as { run: { id: string; state: string } }).run;
    expect(pausedRun.state, paused.text).toBe('paused');
    await run(planServer, [
      ['plan_resume', { run: pausedRun.id, waitMs: 60_000 }],
      ['plan_cancel', { run: pausedRun.id, waitMs: 60_000 }],
    ]);
  } finally {
    await Promise.all([memory.close(), code.close(), web.close(), budget.close(), planServer.close()]);
  }
});
afterAll(async () => {
  await site?.close();
});

describe('structured results', () => {
  it('covers every tool every server lists', () => {
    expect(serverNames()).toEqual(['memory', 'code', 'web', 'plan', 'budget']);
    expect([...listed].filter((t) => !results.has(t))).toEqual([]);
  });

  it('carry every word of data the text shows', () => {
    const gaps: Record<string, string[]> = {};
    for (const [tool, r] of results) {
      const words = wordsOnlyInText(r.text, r.structured, RENDERING[tool] ?? []);
      if (words.length) gaps[tool] = words;
    }
    expect(gaps).toEqual({});
  });

  it('puts the page outline of web_snapshot and of every web action in structuredContent', () => {
    expect(results.get('web_snapshot')!.structured.outline).toMatch(/textbox "Full name" \[ref=\w+\]/);
    for (const tool of ['web_navigate', 'web_type', 'web_click', 'web_back']) {
      const view = results.get(tool)!.structured.view as { outline: string };
      expect(view.outline.length, tool).toBeGreaterThan(0);
      expect(results.get(tool)!.text, tool).toContain(view.outline);
    }
  });
});
