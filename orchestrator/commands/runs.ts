// `hearth runs list | show <id>`: the runs `hearth run` saved — what was asked, what was done, what
// was approved, what it cost. Every string from a model or a page is made inert before printing.
import { join } from 'node:path';

import { HearthError } from '../../lib/errors.js';
import { inert as inertText } from '../../lib/terminal-text.js';
import { loadConfig } from '../../shared/config.js';
import type { Command } from '../cli-io.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';
import { formatMs, inertLine } from '../run/call-line.js';
import { RunStore } from '../run/run-record.js';

export const USAGE = `hearth runs list [--json]
hearth runs show <run id> [--json]

The runs \`hearth run\` saved under <home>/runs: task, outcome, tool calls, approvals, cost.

${CONFIG_HELP}`;

const usd = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;

export const runs: Command = async (args, io) => {
  const { values, positionals } = parseCommand(args, { json: { type: 'boolean' } }, USAGE);
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const { config } = loadConfig(configFlags(values), io.env);
  const store = new RunStore(join(config.home, 'runs'));
  const [action, id] = positionals;
  if (action === 'list') {
    const all = store.list();
    if (values.json) {
      for (const r of all)
        io.out(
          JSON.stringify({
            id: r.id,
            task: r.task,
            outcome: r.outcome,
            startedAt: r.startedAt,
            calls: r.calls.length,
            usdMicros: r.usdMicros,
          }),
        );
      return 0;
    }
    if (all.length === 0) {
      io.out(`no runs yet in ${store.dir}`);
      return 0;
    }
    for (const r of all)
      io.out(
        `${r.id}  ${r.outcome.padEnd(9)} ${r.mode.padEnd(9)} ${String(r.calls.length).padStart(3)} calls ${usd(r.usdMicros)}  ${inertLine(r.task, 80)}`,
      );
    return 0;
  }
  if (action === 'show' && id) {
    const r = store.load(id);
    if (values.json) {
      io.out(JSON.stringify(r, null, 2));
      return 0;
    }
    const lines = [
      `run ${r.id} — ${r.outcome}: ${inertLine(r.reason, 300)}`,
      `task: ${inertLine(r.task, 300)}`,
      `mode ${r.mode}; servers ${r.servers.join(', ')}; ${r.startedAt} → ${r.endedAt}`,
      `model: ${r.models.join(', ') || '(none)'}${r.scripted ? ' (scripted)' : ''}; ${r.rounds} rounds; ${r.inputTokens + r.outputTokens} tokens; ${usd(r.usdMicros)}`,
      '',
      'tool calls:',
      ...r.calls.map((c) => `  ${c.ok ? (c.previewed ? '○' : '✓') : '✗'} ${c.name} (${formatMs(c.ms)}) — ${inertLine(c.summary, 160)}`),
      '',
      `approvals: ${r.approvals.length}`,
      ...r.approvals.flatMap((a) => [
        `  ${a.decision} by ${a.by}${a.reason ? ` (${a.reason})` : ''}: ${a.server}.${a.tool}`,
        ...inertText(a.preview)
          .split('\n')
          .map((l) => `    ${l}`),
      ]),
      '',
      `artifacts: ${r.artifacts.length ? '' : 'none'}`,
      ...r.artifacts.map((a) => `  ${a.file ?? a.uri}`),
      `memory: ${r.logged}`,
      ...(r.answer ? ['', 'answer:', inertText(r.answer)] : []),
    ];
    io.out(lines.join('\n'));
    return 0;
  }
  throw new HearthError(
    'INVALID_ARGUMENT',
    action ? `runs ${action}: ${action === 'show' ? 'which run? give its id' : 'unknown action'}` : 'runs: list or show?',
    'Run `hearth runs list` or `hearth runs show <run id>`.',
  );
};
