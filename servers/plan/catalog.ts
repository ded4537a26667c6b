// The tools a plan may call, as their servers list them: which server has each, its effect (from the
// annotations Hearth derives from it), its input and output JSON Schemas, and whether the server
// deduplicates calls by idempotency key (every Hearth server does; another MCP server may not).
import * as z from 'zod';

import type { Effect } from '../../lib/effect.js';

export interface ToolInfo {
  /** The name a plan uses: `memory_search`, or `<server>.<tool>` for a server that is not Hearth's. */
  name: string;
  server: string;
  /** The name the server itself knows the tool by. */
  remoteName: string;
  effect: Effect;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown> | undefined;
  /** The server remembers results under `_meta["hearth/idempotencyKey"]`. */
  dedupes: boolean;
  /** Names the server's tool list this came from: a run checks it against the running server before a call. */
  stamp: string;
}

export interface ListedTool {
  name: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown> | undefined;
  annotations?: { readOnlyHint?: boolean | undefined; openWorldHint?: boolean | undefined } | undefined;
  _meta?: Record<string, unknown> | undefined;
}

export function effectOf(tool: ListedTool): Effect {
  const declared = tool._meta?.['hearth/effect'];
  if (declared === 'read' || declared === 'write' || declared === 'external') return declared;
  if (tool.annotations?.readOnlyHint === true) return 'read';
  // Without a Hearth effect or a read-only hint, assume the worst: it may reach the world.
  return tool.annotations?.openWorldHint === false ? 'write' : 'external';
}

export class ToolCatalog {
  private readonly byName = new Map<string, ToolInfo>();
  private readonly validators = new Map<string, z.ZodType | null>();

  /** The tool's input schema as zod, built once per tool (a plan may call one tool a thousand times); none when zod cannot read it. */
  inputValidator(name: string): z.ZodType | undefined {
    const tool = this.byName.get(name);
    if (!tool) return undefined;
    if (!this.validators.has(name)) {
      try {
        this.validators.set(name, z.fromJSONSchema(tool.inputSchema));
      } catch {
        this.validators.set(name, null);
      }
    }
    return this.validators.get(name) ?? undefined;
  }

  add(server: string, hearth: boolean, tools: readonly ListedTool[], stamp: string): void {
    for (const tool of tools) {
      const name = hearth ? tool.name : `${server}.${tool.name}`;
      this.byName.set(name, {
        name,
        server,
        remoteName: tool.name,
        effect: effectOf(tool),
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        dedupes: hearth,
        stamp,
      });
    }
  }

  get(name: string): ToolInfo | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The known tool closest to a misspelt name, for the hint. */
  closest(name: string): string | undefined {
    let best: { name: string; d: number } | undefined;
    for (const candidate of this.byName.keys()) {
      const d = distance(name, candidate);
      if (!best || d < best.d) best = { name: candidate, d };
    }
    return best && best.d <= Math.max(3, name.length / 3) ? best.name : undefined;
  }
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}
