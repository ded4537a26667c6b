// A tool's effect class decides its MCP annotations and what the policy layer does with it.
// No tool sets hints by hand: they all come from here.
import type { ToolAnnotations } from '@modelcontextprotocol/server';

/**
 * - `read`: no side effect.
 * - `write`: changes Hearth's own state or the workspace.
 * - `external`: reaches outside the machine or changes the world (submits a form, spends money).
 */
export type Effect = 'read' | 'write' | 'external';

export function annotationsFor(effect: Effect, title: string, options: { idempotent?: boolean } = {}): ToolAnnotations {
  switch (effect) {
    case 'read':
      return { title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
    case 'write':
      return { title, readOnlyHint: false, destructiveHint: true, idempotentHint: options.idempotent ?? false, openWorldHint: false };
    case 'external':
      return { title, readOnlyHint: false, destructiveHint: true, idempotentHint: options.idempotent ?? false, openWorldHint: true };
  }
}

/** Whether an effect needs a preview, and so passes through the policy's mode and approvals. */
export function changesSomething(effect: Effect): boolean {
  return effect !== 'read';
}
