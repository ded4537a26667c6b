// How a tool is listed in tools/list: its JSON Schemas and its annotations, all derived from the one
// definition. Annotations come from the effect, so no tool sets hints by hand.
import type { Tool as McpTool, ToolAnnotations } from '@modelcontextprotocol/server';
import * as z from 'zod';

import { changesSomething, type Effect } from '../lib/effect.js';
import { DryRunResult } from '../lib/preview.js';
import type { Tool } from './tool.js';

function annotationsFor(effect: Effect, title: string, options: { idempotent?: boolean } = {}): ToolAnnotations {
  switch (effect) {
    case 'read':
      return { title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
    case 'write':
      return { title, readOnlyHint: false, destructiveHint: true, idempotentHint: options.idempotent ?? false, openWorldHint: false };
    case 'external':
      return { title, readOnlyHint: false, destructiveHint: true, idempotentHint: options.idempotent ?? false, openWorldHint: true };
  }
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** The outputSchema advertised for a tool: write/external tools may also answer with a preview. */
function outputSchemaFor(tool: Tool): Record<string, unknown> {
  const own = jsonSchema(tool.output, 'output');
  if (!changesSomething(tool.effect)) return own;
  return { type: 'object', anyOf: [own, jsonSchema(DryRunResult, 'output')] };
}

export function describeTool(tool: Tool): McpTool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input, 'input') as McpTool['inputSchema'],
    outputSchema: outputSchemaFor(tool),
    annotations: annotationsFor(tool.effect, tool.title, { idempotent: tool.idempotent }),
    _meta: { 'hearth/effect': tool.effect },
  };
}
