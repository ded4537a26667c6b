// How a run treats a call to another MCP server's tool. Hearth's own servers enforce the policy,
// preview, approvals and audit themselves; another server does none of that, so the run does what a
// client can: in observe mode a tool that is not marked read-only is not called at all; in draft
// mode the person approves each such call from its arguments (there is no preview of its effect);
// autopilot calls it. Every call, refusal and answer gets a row in Hearth's audit log, arguments
// redacted. What a client cannot do: check what the server then does (files, network) against the
// policy's roots and allowlists, or trust its read-only annotation beyond what its author claims.
import type { Mode } from '../../policies/modes.js';

export type OtherGate = 'call' | 'preview' | 'ask';

export function gateOther(mode: Mode, readOnly: boolean): OtherGate {
  if (readOnly) return 'call';
  return mode === 'observe' ? 'preview' : mode === 'draft' ? 'ask' : 'call';
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 500 ? `${text.slice(0, 500)}… (${text.length} characters)` : text;
}

/** The approval question for such a call: the arguments as field → value, said to be all Hearth knows. */
export function otherApproval(server: string, tool: string, args: Record<string, unknown>): string {
  const entries = Object.entries(args);
  const width = Math.max(5, ...entries.map(([k]) => k.length));
  return [
    `${server} wants to run ${tool} (another MCP server, not Hearth's: its effect cannot be previewed).`,
    '',
    `call ${server}.${tool} with:`,
    ...(entries.length ? entries.map(([k, v]) => `  ${k.padEnd(width)} → ${shown(v)}`) : ['  (no arguments)']),
    '',
    'Approve this call?',
  ].join('\n');
}
