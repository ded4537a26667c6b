// A tool's effect class: what calling it can change. The policy decides from it what a call needs
// (policies/decide.ts), and the kernel derives the MCP annotations from it (shared/tool-listing.ts),
// so no tool sets either by hand.

/**
 * - `read`: no side effect.
 * - `write`: changes Hearth's own state or the workspace.
 * - `external`: reaches outside the machine or changes the world (submits a form, spends money).
 */
export type Effect = 'read' | 'write' | 'external';

/** Whether an effect needs a preview, and so passes through the policy's mode and approvals. */
export function changesSomething(effect: Effect): boolean {
  return effect !== 'read';
}
