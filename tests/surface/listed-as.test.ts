// A field listed more briefly than it is validated (shared/listed-as.ts) — llm_estimate's messages,
// memory_list's filter, every web target — is still checked against its full schema: a wrong value
// gets a field error that names the field and says the fix, and the listing says what the field takes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type InProcess, startInProcess } from '../helpers/in-process.js';

const started: Record<string, InProcess> = {};

beforeAll(async () => {
  for (const name of ['budget', 'memory', 'web']) started[name] = await startInProcess(name);
});
afterAll(async () => {
  for (const server of Object.values(started)) await server.close();
});

function errorOf(structured: Record<string, unknown>): { code: string; field?: string; message: string; hint: string } {
  return structured.error as { code: string; field?: string; message: string; hint: string };
}

async function schemaOf(server: string, tool: string): Promise<Record<string, unknown>> {
  const { tools } = await started[server]!.client.listTools();
  return tools.find((t) => t.name === tool)!.inputSchema;
}

describe('a briefly listed field', () => {
  it('llm_estimate: a message of an unknown role is refused by the full union', async () => {
    const r = await started.budget!.call('llm_estimate', { messages: [{ role: 'robot', content: 'hi' }] });
    expect(r.isError).toBe(true);
    expect(errorOf(r.structured)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'messages[0].role' });
    const orphan = await started.budget!.call('llm_estimate', { messages: [{ role: 'tool', content: 'x' }] });
    expect(errorOf(orphan.structured)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'messages[0].toolCallId' });
    const listed = (await schemaOf('budget', 'llm_estimate')).properties as Record<string, { description?: string }>;
    expect(listed.messages!.description).toBe('As in llm_generate.');
  });

  it('llm_generate lists every message field and role', async () => {
    const messages = ((await schemaOf('budget', 'llm_generate')).properties as Record<string, Record<string, unknown>>).messages!;
    const item = messages.items as { properties: Record<string, { enum?: string[] }>; additionalProperties: boolean };
    expect(item.properties.role!.enum).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(Object.keys(item.properties)).toEqual(['role', 'content', 'toolCalls', 'toolCallId', 'name']);
    expect(item.additionalProperties).toBe(false);
  });

  it('memory_list: an unknown filter field and a bad format are refused', async () => {
    const unknown = await started.memory!.call('memory_list', { filter: { colour: 'red' } });
    expect(unknown.isError).toBe(true);
    expect(errorOf(unknown.structured).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(unknown.structured).message).toContain('colour');
    const format = await started.memory!.call('memory_delete', { filter: { format: ['exe'] } });
    expect(errorOf(format.structured)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'filter.format[0]' });
  });

  it('web_click: an unknown hint and a malformed ref are refused before any browser starts', async () => {
    const hint = await started.web!.call('web_click', { target: { lable: 'Email' } });
    expect(hint.isError).toBe(true);
    expect(errorOf(hint.structured).code).toBe('INVALID_ARGUMENT');
    expect(`${errorOf(hint.structured).message} ${errorOf(hint.structured).hint}`).toContain('lable');
    const ref = await started.web!.call('web_click', { target: 'button' });
    expect(errorOf(ref.structured)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'target' });
    const target = (
      (await schemaOf('web', 'web_click')).properties as Record<string, { description: string; anyOf: { description?: string }[] }>
    ).target!;
    for (const hintName of ['role', 'name', 'label', 'text', 'testId', 'placeholder', 'css', 'exact', 'nth', 'frame']) {
      expect(target.anyOf[1]!.description).toContain(hintName);
    }
  });

  it('is spelled out in full when the sibling it points at is not in the list (tools.allow / deny)', async () => {
    const budget = await startInProcess('budget', { policy: { tools: { deny: ['llm_generate'] } } });
    const memory = await startInProcess('memory', { policy: { tools: { allow: ['memory_list', 'memory_delete'] } } });
    try {
      const listed = async (server: InProcess, tool: string) => {
        const { tools } = await server.client.listTools();
        expect(tools.map((t) => t.name)).not.toContain(server === budget ? 'llm_generate' : 'memory_search');
        return tools.find((t) => t.name === tool)!.inputSchema.properties as Record<string, Record<string, unknown>>;
      };
      const estimate = await listed(budget, 'llm_estimate');
      expect(JSON.stringify(estimate)).not.toContain('llm_generate');
      expect(estimate.tier!.description).toMatch(/auto: fast first/);
      expect(estimate.maxTokens!.description).toMatch(/Longest answer/);
      const message = (estimate.messages!.items as { properties: Record<string, { enum?: string[] }> }).properties;
      expect(message.role!.enum).toEqual(['system', 'user', 'assistant', 'tool']);
      for (const tool of ['memory_list', 'memory_delete']) {
        const filter = (await listed(memory, tool)).filter!;
        expect(Object.keys(filter.properties as object)).toEqual(expect.arrayContaining(['format', 'kind']));
      }
      // With the sibling listed, the same field points at it.
      expect(((await schemaOf('budget', 'llm_estimate')).properties as Record<string, { description?: string }>).tier!.description).toBe(
        'As in llm_generate.',
      );
    } finally {
      await budget.close();
      await memory.close();
    }
  });
});
