// How the demo talks: section headers, indented tool output, short lines.
import type { CliIO } from '../cli-io.js';

export interface Printer {
  section(title: string): void;
  step(text: string): void;
  detail(text: string, maxLines?: number): void;
}

export function printer(io: CliIO): Printer {
  return {
    section: (title) => io.out(`\n━━ ${title} ${'━'.repeat(Math.max(0, 70 - title.length))}`),
    step: (text) => io.out(`▸ ${text}`),
    detail: (text, maxLines = 12) => {
      const lines = text.split('\n');
      const shown = lines.slice(0, maxLines).map((l) => `    ${l.length > 150 ? `${l.slice(0, 147)}…` : l}`);
      if (lines.length > maxLines) shown.push(`    … (${lines.length - maxLines} more lines)`);
      io.out(shown.join('\n'));
    },
  };
}

type Content = { type: string; text?: string; uri?: string };

export function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as Content[])
    .map((c) => (c.type === 'text' ? c.text : c.type === 'resource_link' ? `→ resource ${c.uri}` : ''))
    .filter(Boolean)
    .join('\n');
}
