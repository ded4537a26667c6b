// `hearth audit tail|verify`: read the audit log, and prove its hash chain is untouched.
import { HearthError } from '../../lib/errors.js';
import type { AuditRow } from '../../policies/audit.js';
import type { Command } from '../cli-io.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';
import { openLocalState } from '../local-state.js';

export const USAGE = `hearth audit tail [-n <rows>] [--server <name>] [--tool <name>] [--json]
hearth audit verify

tail prints the latest audit rows (arguments and results are stored redacted).
verify walks the hash chain and exits 1 naming the first row that was edited, deleted or reordered.

${CONFIG_HELP}`;

function line(r: AuditRow): string {
  const err = r.error_code ? ` ${r.error_code}` : '';
  const when = r.ts.slice(0, 19).replace('T', ' ');
  const summary = r.summary.split('\n')[0]!.slice(0, 120);
  return `#${r.id} ${when} ${r.server}.${r.tool} [${r.mode}] ${r.decision} ${r.outcome}${err} ${r.duration_ms}ms  ${summary}`;
}

export const audit: Command = async (args, io) => {
  const { values, positionals } = parseCommand(
    args,
    {
      n: { type: 'string', short: 'n' },
      server: { type: 'string' },
      tool: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  const [action] = positionals;
  if (values.help || action === undefined) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  const state = openLocalState(configFlags(values), io.env);
  try {
    if (action === 'tail') {
      const n = Number(values.n ?? '20');
      if (!Number.isInteger(n) || n < 1 || n > 10_000)
        throw new HearthError(
          'INVALID_ARGUMENT',
          `-n ${values.n}: expected a whole number from 1 to 10000`,
          'For example: hearth audit tail -n 50.',
        );
      const filter: { server?: string; tool?: string } = {};
      if (values.server) filter.server = values.server;
      if (values.tool) filter.tool = values.tool;
      const rows = state.audit.tail(n, filter);
      io.out(values.json ? JSON.stringify(rows, null, 2) : rows.length ? rows.map(line).join('\n') : 'the audit log is empty');
      return 0;
    }
    if (action === 'verify') {
      const result = state.audit.verify();
      if (result.ok) {
        io.out(`audit log intact: ${result.rows} rows, hash chain verified`);
        return 0;
      }
      io.err(`audit log TAMPERED at row ${result.badRow}: ${result.problem}`);
      return 1;
    }
    throw new HearthError('INVALID_ARGUMENT', `unknown action ${action}`, 'Use tail or verify.');
  } finally {
    state.close();
  }
};
