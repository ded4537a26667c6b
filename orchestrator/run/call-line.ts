// One readable line per tool call — `✓ web_navigate url=http://… (212 ms) — Opened "Open roles"` —
// with every argument and result made inert and cut to length.
import { inert } from '../../lib/terminal-text.js';
import type { ToolCall, ToolOutcome } from './loop.js';

function argValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  return '{…}';
}

/** One line of inert text at most `max` characters long (newlines shown as ⏎). */
export function inertLine(text: string, max = 160): string {
  const line = inert(text.replace(/\r?\n/g, ' ⏎ '));
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function describeCall(call: ToolCall): string {
  const args = Object.entries(call.arguments)
    .map(([k, v]) => `${k}=${argValue(v)}`)
    .join(' ');
  return inertLine(`${call.name}${args ? ` ${args}` : ''}`, 140);
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function callLine(call: ToolCall, outcome: ToolOutcome): string {
  const mark = !outcome.ok ? '✗' : outcome.previewed ? '○' : '✓';
  const what = outcome.previewed ? ' (preview only: observe mode)' : '';
  return `${mark} ${describeCall(call)} (${formatMs(outcome.ms)})${what} — ${inertLine(outcome.summary, 160)}`;
}
