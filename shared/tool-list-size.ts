// What a tool list costs a conversation, in bytes of JSON: the whole tools/list result a client
// receives, and the part a model reads (each tool's name, description and input schema).
import type { Tool as McpTool } from '@modelcontextprotocol/server';

export interface ToolListSize {
  tools: number;
  /** Bytes of `{"tools": [...]}` as sent. */
  listBytes: number;
  /** Bytes of the names, descriptions and input schemas. */
  modelBytes: number;
}

export function toolListSize(tools: readonly McpTool[]): ToolListSize {
  const bytes = (s: string) => Buffer.byteLength(s);
  return {
    tools: tools.length,
    listBytes: bytes(JSON.stringify({ tools })),
    modelBytes: tools.reduce((sum, t) => sum + bytes(t.name) + bytes(t.description ?? '') + bytes(JSON.stringify(t.inputSchema)), 0),
  };
}
