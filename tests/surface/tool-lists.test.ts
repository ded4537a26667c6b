// What every client pays for a server's tool list, pinned: the bytes of tools/list and of what a model
// reads (names, descriptions, input schemas) per server, with a little headroom, so growth is a visible
// decision. Also: no schema a strict client refuses, and each tool's annotations.
import type { Tool as McpTool } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { serverNames } from '../../orchestrator/registry.js';
import { toolListSize } from '../../shared/tool-list-size.js';
import { type InProcess, startInProcess } from '../helpers/in-process.js';
import { lintSchema } from '../helpers/schema-lint.js';

/** Upper bounds in bytes. Raising one is a decision: say in the commit what the bytes buy. */
const PINNED: Record<string, { listBytes: number; modelBytes: number }> = {
  memory: { listBytes: 14_700, modelBytes: 9_000 },
  code: { listBytes: 17_300, modelBytes: 9_500 },
  web: { listBytes: 37_700, modelBytes: 19_800 },
  budget: { listBytes: 9_100, modelBytes: 5_000 },
  plan: { listBytes: 11_600, modelBytes: 7_500 },
};

/** The budget every server stays within, per tool on average: what a model reads, and the whole tools/list. */
const PER_TOOL = { modelBytes: 1_000, listBytes: 2_000 };

// readOnly, destructive, idempotent, openWorld: R/D/I/O when set, - when not.
const ANNOTATIONS: Record<string, string> = {
  memory_ingest: '-DI-',
  memory_search: 'R-I-',
  memory_get: 'R-I-',
  memory_list: 'R-I-',
  memory_delete: '-D--',
  memory_remember: '-DI-',
  memory_recall: 'R-I-',
  memory_forget: '-DI-',
  memory_log_task: '----',
  code_run: '-D--',
  code_session_open: '--I-',
  code_session_close: '-D--',
  code_session_list: 'R-I-',
  code_files_write: '-DI-',
  code_files_read: 'R-I-',
  code_files_list: 'R-I-',
  code_files_delete: '-D--',
  code_test: '-D--',
  code_package: '----',
  web_session_open: '----',
  web_session_close: '----',
  web_session_list: 'R-I-',
  web_session_save: '-DI-',
  web_navigate: 'R-IO',
  web_back: 'R-IO',
  web_tabs: '---O',
  web_snapshot: 'R-IO',
  web_click: '-D-O',
  web_type: '-D-O',
  web_select: '-D-O',
  web_check: '-D-O',
  web_press: '-D-O',
  web_upload: '-D-O',
  web_hover: 'R-IO',
  web_fill_form: '-D-O',
  web_wait_for: 'R-IO',
  web_extract: 'R-IO',
  web_screenshot: 'R-IO',
  web_request: '-D-O',
  llm_generate: '-D-O',
  llm_estimate: 'R-I-',
  llm_models: 'R-I-',
  budget_status: 'R-I-',
  budget_ledger: 'R-I-',
  plan_validate: 'R-I-',
  plan_simulate: 'R-I-',
  plan_run: '-D-O',
  plan_status: 'R-I-',
  plan_list: 'R-I-',
  plan_cancel: '-D--',
  plan_resume: '-D--',
  plan_save: '----',
  plan_playbooks: 'R-I-',
};

function hints(tool: McpTool): string {
  const a = tool.annotations ?? {};
  return [a.readOnlyHint ? 'R' : '-', a.destructiveHint ? 'D' : '-', a.idempotentHint ? 'I' : '-', a.openWorldHint ? 'O' : '-'].join('');
}

const lists = new Map<string, McpTool[]>();
const servers: InProcess[] = [];

beforeAll(async () => {
  for (const name of serverNames()) {
    const server = await startInProcess(name);
    servers.push(server);
    lists.set(name, (await server.client.listTools()).tools);
  }
});
afterAll(async () => {
  for (const server of servers) await server.close();
});

describe('tool lists', () => {
  it.each(serverNames())('%s stays within its pinned bytes', (name) => {
    const size = toolListSize(lists.get(name)!);
    const pinned = PINNED[name]!;
    expect(size.listBytes, `${name} tools/list bytes`).toBeLessThanOrEqual(pinned.listBytes);
    expect(size.modelBytes, `${name} bytes a model reads`).toBeLessThanOrEqual(pinned.modelBytes);
  });

  it.each(serverNames())('%s costs at most 1 KB a model reads and 2 KB of tools/list per tool', (name) => {
    const size = toolListSize(lists.get(name)!);
    expect(size.modelBytes / size.tools, `${name} model bytes per tool`).toBeLessThanOrEqual(PER_TOOL.modelBytes);
    expect(size.listBytes / size.tools, `${name} tools/list bytes per tool`).toBeLessThanOrEqual(PER_TOOL.listBytes);
  });

  it('has no schema a strict client refuses', () => {
    const findings = [...lists.values()]
      .flat()
      .flatMap((tool) =>
        [...lintSchema(tool.inputSchema, 'input'), ...lintSchema(tool.outputSchema, 'output')].map((f) => `${tool.name}: ${f}`),
      );
    expect(findings).toEqual([]);
  });

  it('pins every tool’s annotations', () => {
    const actual = Object.fromEntries([...lists.values()].flat().map((tool) => [tool.name, hints(tool)]));
    expect(actual).toEqual(ANNOTATIONS);
  });

  it('gives write and external tools one small dry-run shape, not the preview schema', () => {
    for (const tool of [...lists.values()].flat()) {
      const json = JSON.stringify(tool.outputSchema);
      expect(json, tool.name).not.toContain('"kind":{"type":"string","const":"file"');
      if (tool._meta?.['hearth/effect'] !== 'read') expect(json, tool.name).toContain('"dryRun"');
    }
  });
});

describe('the lint', () => {
  it('finds what strict clients refuse', () => {
    expect(lintSchema({ type: 'object', properties: { a: {} } }, 'input')).toEqual([
      'inputSchema.a: no type',
      'inputSchema: an input object with properties must set additionalProperties: false',
      'inputSchema: the input root must be a closed object',
    ]);
    expect(lintSchema({ type: 'object', properties: { a: { type: ['string', 'null'] } }, required: ['b'] }, 'output')).toEqual([
      'outputSchema.a: type is a list',
      'outputSchema: requires undeclared b',
    ]);
    expect(lintSchema({ type: 'object', properties: { a: { $ref: '#/$defs/x' } } }, 'output')).toContain('outputSchema.a: uses $ref');
  });
});
