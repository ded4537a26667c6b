// `hearth mcp budget` over stdio with a real client: the tools and their annotations, and how each
// mode treats llm_generate — draft runs it under the policy's standing approval (the budget the
// person set), `every-call` asks first, observe and dry-run only preview what it would cost.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

import { FakeLlm } from '../fixtures/llm/fake-llm.js';
import { connectStdio, type StdioConnection } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

let fake: FakeLlm;
let home: TempHome;
let conn: StdioConnection | undefined;
beforeAll(async () => {
  fake = await FakeLlm.start();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await conn?.close();
  conn = undefined;
  home.cleanup();
});

async function connect(llm: Record<string, unknown>, mode = 'draft'): Promise<StdioConnection> {
  home = tempHome('hearth-budget-e2e-');
  home.policy({ mode, llm: { providers: ['ollama', 'openai'], ...llm } });
  writeFileSync(
    join(home.dir, 'config.json'),
    JSON.stringify({
      servers: {
        budget: {
          providers: { ollama: { baseUrl: fake.baseUrl('ollama') }, openai: { baseUrl: fake.baseUrl('openai') } },
          tiers: { fast: ['ollama/small'], smart: ['openai/gpt-4o-mini'] },
        },
      },
    }),
  );
  conn = await connectStdio('orchestrator/cli.ts', ['mcp', 'budget'], {
    HEARTH_HOME: home.dir,
    OPENAI_API_KEY: 'sk-proj-e2e0123456789abcdefghijkl',
  });
  return conn;
}

const ask = {
  name: 'llm_generate',
  arguments: { messages: [{ role: 'user', content: 'Write one line.' }], tier: 'smart', maxTokens: 2000 },
};

function auditDecisions(): string[] {
  const db = new Database(join(home.dir, 'hearth.db'), { readonly: true });
  try {
    // One decision per call: the row a call that runs leaves before it starts is left out.
    return (
      db.prepare("SELECT decision FROM audit WHERE tool = 'llm_generate' AND outcome != 'started' ORDER BY id").all() as {
        decision: string;
      }[]
    ).map((r) => r.decision);
  } finally {
    db.close();
  }
}

it('lists the five tools with annotations from their effects', async () => {
  const { client } = await connect({});
  const { tools } = await client.listTools();
  const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
  expect(Object.keys(byName).sort()).toEqual(['budget_ledger', 'budget_status', 'llm_estimate', 'llm_generate', 'llm_models']);
  expect(byName.llm_generate!.annotations).toMatchObject({ readOnlyHint: false, openWorldHint: true });
  for (const name of ['budget_ledger', 'budget_status', 'llm_estimate', 'llm_models'])
    expect(byName[name]!.annotations?.readOnlyHint).toBe(true);
});

it('in draft mode, runs llm_generate without asking while the policy approves calls within its limits', async () => {
  const { client } = await connect({});
  fake.script('gpt-4o-mini', { answer: { text: 'One line.' } });
  const r = await client.callTool(ask);
  expect(r.isError).toBeFalsy();
  expect((r.structuredContent as { text: string }).text).toBe('One line.');
  expect(auditDecisions()).toEqual(['ran-within-policy']);
  // The model was called only after the row saying the call started; that row names the call by
  // its hash, and the finishing row holds the arguments.
  const db = new Database(join(home.dir, 'hearth.db'), { readonly: true });
  try {
    const rows = db.prepare("SELECT decision, outcome, args FROM audit WHERE tool = 'llm_generate' ORDER BY id").all() as {
      decision: string;
      outcome: string;
      args: string;
    }[];
    expect(rows.map((row) => [row.decision, row.outcome])).toEqual([
      ['ran-within-policy', 'started'],
      ['ran-within-policy', 'ok'],
    ]);
    expect(JSON.parse(rows[0]!.args)).toEqual({ argsHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(rows[1]!.args).toContain('Write one line.');
  } finally {
    db.close();
  }
});

it('asks the person first when the policy says every call needs approval', async () => {
  const { client } = await connect({ approval: 'every-call' });
  const before = fake.requests.length;
  const r = await client.callTool(ask);
  expect(r.isError).toBe(true);
  const structured = r.structuredContent as { error: { code: string }; approval: { preview: { summary: string } } };
  expect(structured.error.code).toBe('APPROVAL_REQUIRED');
  expect(structured.approval.preview.summary).toContain('openai/gpt-4o-mini');
  expect(structured.approval.preview.summary).toMatch(/worst case \$0\.00\d+/);
  expect(fake.requests.length).toBe(before);
});

it('dry-run and observe mode show the cost and destination and call no model', async () => {
  const { client } = await connect({}, 'observe');
  const before = fake.requests.length;
  const observed = await client.callTool(ask);
  const preview = (
    observed.structuredContent as {
      dryRun: boolean;
      preview: { summary: string; changes: { kind: string; url?: string; text?: string }[] };
    }
  ).preview;
  expect((observed.structuredContent as { dryRun: boolean }).dryRun).toBe(true);
  expect(preview.changes.find((c) => c.kind === 'request')!.url).toBe(`${fake.baseUrl('openai')}/chat/completions`);
  expect(preview.changes.find((c) => c.kind === 'note')!.text).toContain('openai/gpt-4o-mini (smart): worst case $0.00');
  expect(fake.requests.length).toBe(before);
  await conn!.close();
  home.cleanup();

  const again = await connect({}, 'autopilot');
  const dry = await again.client.callTool({ ...ask, _meta: { 'hearth/dryRun': true } });
  expect((dry.structuredContent as { dryRun: boolean }).dryRun).toBe(true);
  expect(fake.requests.length).toBe(before);
});

it('llm_estimate prices each candidate and says whether it fits, without calling a model', async () => {
  const { client } = await connect({ limits: { day: { usd: 0.0005 }, month: { usd: 5 } } });
  const before = fake.requests.length;
  const r = await client.callTool({ name: 'llm_estimate', arguments: { ...ask.arguments, tier: 'auto' } });
  const s = r.structuredContent as {
    candidates: { model: string; fits?: boolean; refusal?: string; worstCase?: { usdMicros: number } }[];
    first?: string;
  };
  expect(s.candidates.map((c) => c.model)).toEqual(['ollama/small', 'openai/gpt-4o-mini']);
  expect(s.candidates[0]).toMatchObject({ fits: true, worstCase: { usdMicros: 0 } });
  // 2000 output tokens at $0.60 per million is $0.0012: more than the $0.0005 day limit.
  expect(s.candidates[1]!.fits).toBe(false);
  expect(s.candidates[1]!.refusal).toContain('day limit');
  expect(s.first).toBe('ollama/small');
  expect(fake.requests.length).toBe(before);
});
