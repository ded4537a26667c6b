// `hearth approvals list|show|approve|deny`: where a person decides on queued write/external calls.
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';

import { HearthError } from '../../lib/errors.js';
import { renderPreview } from '../../lib/preview.js';
import type { Approval, ApprovalStatus } from '../../policies/approval.js';
import type { CliIO, Command } from '../cli-io.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';
import { openLocalState } from '../local-state.js';

export const USAGE = `hearth approvals list [--status pending|approved|denied|consumed|expired|all] [--json]
hearth approvals show <id> [--json]
hearth approvals approve <id> [--reason <text>] [--yes]
hearth approvals deny <id> [--reason <text>]

Approve or deny write/external tool calls that wait for a person (draft mode, on clients that
cannot ask you directly). An approved call runs once, when the assistant calls the tool again
with the same arguments. \`approve\` shows the preview and asks for confirmation on a terminal;
pass --yes to skip the question in scripts.

${CONFIG_HELP}`;

const STATUSES = ['pending', 'approved', 'denied', 'consumed', 'expired'] as const;

function line(a: Approval): string {
  return `${a.id}  ${a.status.padEnd(8)}  ${a.createdAt.slice(0, 19).replace('T', ' ')}  ${a.server}.${a.tool}  ${a.preview.summary}`;
}

function details(a: Approval): string {
  return [
    `approval ${a.id} — ${a.status}`,
    `tool:     ${a.server}.${a.tool}`,
    `client:   ${a.client}`,
    `created:  ${a.createdAt}   expires: ${a.expiresAt}`,
    ...(a.decidedAt ? [`decided:  ${a.decidedAt} by ${a.decidedBy ?? '?'}${a.reason ? ` — ${a.reason}` : ''}`] : []),
    ...(a.consumedAt && a.status === 'consumed' ? [`ran:      ${a.consumedAt}`] : []),
    `arguments: ${JSON.stringify(a.args, null, 2)}`,
    '',
    'what it would do:',
    renderPreview(a.preview),
  ].join('\n');
}

async function confirm(io: CliIO, question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
    io.err('');
  }
}

export const approvals: Command = async (args, io) => {
  const { values, positionals } = parseCommand(
    args,
    {
      status: { type: 'string' },
      json: { type: 'boolean' },
      reason: { type: 'string' },
      yes: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  const [action, id] = positionals;
  if (values.help || action === undefined) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  const state = openLocalState(configFlags(values), io.env);
  try {
    switch (action) {
      case 'list': {
        const status = values.status ?? 'pending';
        if (status !== 'all' && !(STATUSES as readonly string[]).includes(status)) {
          throw new HearthError('INVALID_ARGUMENT', `--status ${status} is not a status`, `Use one of ${STATUSES.join(', ')} or all.`);
        }
        const list = state.approvals.list(status === 'all' ? undefined : (status as ApprovalStatus));
        if (values.json) io.out(JSON.stringify(list, null, 2));
        else io.out(list.length ? list.map(line).join('\n') : `no ${status === 'all' ? '' : `${status} `}approvals`);
        return 0;
      }
      case 'show': {
        const approval = state.approvals.get(required(id, action));
        io.out(values.json ? JSON.stringify(approval, null, 2) : details(approval));
        return 0;
      }
      case 'approve':
      case 'deny': {
        const approvalId = required(id, action);
        const approval = state.approvals.get(approvalId);
        if (action === 'approve' && !values.yes) {
          io.err(details(approval));
          if (!(await confirm(io, `\nApprove ${approvalId}? It will run once. [y/N] `))) {
            io.err(process.stdin.isTTY ? 'not approved' : 'not approved: no terminal to confirm on; pass --yes to approve from a script');
            return 1;
          }
        }
        const by = `${userInfo().username} (hearth approvals)`;
        const decided = state.approvals.decide(approvalId, action === 'approve' ? 'approved' : 'denied', by, values.reason);
        io.out(
          action === 'approve'
            ? `approved ${decided.id}: ${decided.server}.${decided.tool} runs once when the assistant calls it again`
            : `denied ${decided.id}: ${decided.server}.${decided.tool} will not run`,
        );
        return 0;
      }
      default:
        throw new HearthError('INVALID_ARGUMENT', `unknown action ${action}`, 'Use list, show, approve or deny.');
    }
  } finally {
    state.close();
  }
};

function required(id: string | undefined, action: string): string {
  if (!id) throw new HearthError('INVALID_ARGUMENT', `${action} needs an approval id`, 'Run `hearth approvals list` to see the ids.');
  return id;
}
