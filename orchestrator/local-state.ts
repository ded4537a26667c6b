// The kernel's state seen from the CLI: the same database the servers write (audit, approvals),
// opened with the same layered configuration and policy.
import type { Db } from '../lib/sqlite.js';
import { ApprovalQueue } from '../policies/approvals.js';
import { AuditLog } from '../policies/audit.js';
import { loadPolicy } from '../policies/load.js';
import { type ConfigFlags, type HearthConfig, loadConfig } from '../shared/config.js';
import { openKernelDb } from '../shared/kernel-db.js';

export interface LocalState {
  config: HearthConfig;
  db: Db;
  approvals: ApprovalQueue;
  audit: AuditLog;
  close(): void;
}

export function openLocalState(flags: ConfigFlags, env: NodeJS.ProcessEnv): LocalState {
  const { config } = loadConfig(flags, env);
  const { policy } = loadPolicy(config.policyFile, config.home);
  const db = openKernelDb(config.home);
  return {
    config,
    db,
    approvals: new ApprovalQueue(db, policy.approvals.ttlSeconds),
    audit: new AuditLog(db),
    close: () => db.close(),
  };
}
