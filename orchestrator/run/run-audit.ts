// The run's own rows in Hearth's audit log, for the calls no Hearth server records: calls to other
// MCP servers. The same hash-chained log the servers write (hearth audit tail shows them), with
// arguments and summaries redacted by the same rules (configured secrets, the policy's patterns,
// key shapes).
import { randomUUID } from 'node:crypto';

import type { Effect } from '../../lib/effect.js';
import { type AuditDecision, AuditLog } from '../../policies/audit.js';
import { loadPolicy } from '../../policies/load.js';
import type { HearthConfig } from '../../shared/config.js';
import { openKernelDb } from '../../shared/kernel-db.js';
import { Redactor, secretsFromEnv } from '../../shared/redact.js';

export interface RunAuditEntry {
  server: string;
  tool: string;
  effect: Effect;
  mode: string;
  decision: AuditDecision;
  args: Record<string, unknown>;
  outcome: 'ok' | 'error';
  errorCode?: string | undefined;
  summary: string;
  durationMs: number;
}

export type RunAudit = (entry: RunAuditEntry) => void;

export function runAudit(config: HearthConfig, env: NodeJS.ProcessEnv): { append: RunAudit; close(): void } {
  const { policy } = loadPolicy(config.policyFile, config.home);
  const redactor = new Redactor([...config.secrets, ...secretsFromEnv(env)], policy.redact.patterns);
  let db: ReturnType<typeof openKernelDb> | undefined;
  return {
    append(entry) {
      db ??= openKernelDb(config.home);
      new AuditLog(db).append({
        correlationId: randomUUID(),
        client: 'hearth-run',
        ...entry,
        // As redacted text: a pattern may match across JSON syntax, so the result is not parsed back.
        args: redactor.text(JSON.stringify(entry.args)),
        summary: redactor.text(entry.summary).slice(0, 2000),
      });
    },
    close: () => db?.close(),
  };
}
