// The demo's closing lines: how many calls the audit log holds, by decision, and whether its hash
// chain is intact.
import { AuditLog } from '../../policies/audit.js';
import { openKernelDb } from '../../shared/kernel-db.js';
import type { Printer } from './print.js';

export function auditSummary(home: string, p: Printer, approvals: number): boolean {
  const db = openKernelDb(home);
  try {
    const audit = new AuditLog(db);
    const verified = audit.verify();
    const rows = audit.tail(1000);
    const decisions = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.decision]: (acc[r.decision] ?? 0) + 1 }), {});
    p.detail(
      `${rows.length} calls recorded: ${Object.entries(decisions)
        .map(([d, n]) => `${n} ${d}`)
        .join(', ')}; ${approvals} approvals asked`,
    );
    p.detail(
      verified.ok
        ? `hash chain verified over ${verified.rows} rows (hearth audit verify --home ${home})`
        : `AUDIT CHAIN BROKEN at row ${verified.badRow}: ${verified.problem}`,
    );
    return verified.ok;
  } finally {
    db.close();
  }
}
