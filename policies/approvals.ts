// The approval queue: where a write/external call waits for a person when the client cannot ask
// them itself (no elicitation). A person approves or denies with `hearth approvals`; the approved
// call runs exactly once, when the client calls the tool again with the same arguments.
import { createHash, randomBytes } from 'node:crypto';

import { HearthError } from '../lib/errors.js';
import type { Preview } from '../lib/preview.js';
import type { Db } from '../lib/sqlite.js';
import type { Approval, ApprovalStatus } from './approval.js';
import { type ApprovalCall, type ApprovalResolution, readApproval } from './approval-resolution.js';

interface Row {
  id: string;
  created_at: string;
  expires_at: string;
  server: string;
  tool: string;
  client: string;
  args_hash: string;
  args: string;
  preview: string;
  status: ApprovalStatus;
  decided_at: string | null;
  decided_by: string | null;
  reason: string | null;
  consumed_at: string | null;
  correlation_id: string;
}

/** An array or object part-way written by `canonical`: the next element or key to write. */
type Open = { array: readonly unknown[]; next: number } | { object: Record<string, unknown>; keys: string[]; next: number };

/**
 * JSON with object keys sorted (and undefined members left out), so equal values hash equally.
 * Iterative: no nesting overflows it. One pass appending to one string: the arguments of a
 * thousand-step plan are hashed on every call that carries them.
 */
function canonical(root: unknown): string {
  let out = '';
  const open: Open[] = [];
  let value = root;
  for (;;) {
    if (value === null || typeof value !== 'object') out += JSON.stringify(value) ?? 'null';
    else if (Array.isArray(value)) {
      out += '[';
      open.push({ array: value, next: 0 });
    } else {
      const object = value as Record<string, unknown>;
      out += '{';
      open.push({
        object,
        keys: Object.keys(object)
          .filter((k) => object[k] !== undefined)
          .sort(byCodeUnits),
        next: 0,
      });
    }
    // The next value to write: the next element or member of the innermost open part, closing the finished ones.
    for (;;) {
      const top = open.at(-1);
      if (!top) return out;
      if ('array' in top) {
        while (top.next < top.array.length && !(top.next in top.array)) top.next++; // holes are left out
        if (top.next < top.array.length) {
          if (top.next) out += ',';
          value = top.array[top.next++];
          break;
        }
        out += ']';
      } else {
        if (top.next < top.keys.length) {
          const key = top.keys[top.next]!;
          out += `${top.next ? ',' : ''}${JSON.stringify(key)}:`;
          top.next++;
          value = top.object[key];
          break;
        }
        out += '}';
      }
      open.pop();
    }
  }
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The identity of a call: server, tool and the exact (parsed) arguments. */
export function callHash(server: string, tool: string, args: unknown): string {
  return createHash('sha256')
    .update(`${server}\n${tool}\n${canonical(args)}`)
    .digest('hex');
}

function toApproval(row: Row): Approval {
  return {
    id: row.id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    server: row.server,
    tool: row.tool,
    client: row.client,
    argsHash: row.args_hash,
    args: JSON.parse(row.args) as unknown,
    preview: JSON.parse(row.preview) as Preview,
    status: row.status,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    reason: row.reason,
    consumedAt: row.consumed_at,
    correlationId: row.correlation_id,
  };
}

export class ApprovalQueue {
  constructor(
    private readonly db: Db,
    private readonly ttlSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private expireOld(): void {
    this.db
      .prepare(`UPDATE approvals SET status = 'expired' WHERE status IN ('pending','approved') AND expires_at <= ?`)
      .run(this.now().toISOString());
  }

  /**
   * The open approval for this exact call, if any: pending, approved (not yet used), or denied and
   * not yet reported to the caller.
   */
  private findOpen(server: string, tool: string, argsHash: string): Approval | undefined {
    this.expireOld();
    const row = this.db
      .prepare(
        `SELECT * FROM approvals WHERE server = ? AND tool = ? AND args_hash = ?
           AND (status IN ('pending','approved') OR (status = 'denied' AND consumed_at IS NULL))
         ORDER BY created_at DESC LIMIT 1`,
      )
      .get(server, tool, argsHash) as Row | undefined;
    return row ? toApproval(row) : undefined;
  }

  request(input: {
    server: string;
    tool: string;
    client: string;
    argsHash: string;
    args: unknown;
    preview: Preview;
    correlationId: string;
  }): Approval {
    const now = this.now();
    const id = `apr_${randomBytes(6).toString('hex')}`;
    this.db
      .prepare(
        `INSERT INTO approvals (id, created_at, expires_at, server, tool, client, args_hash, args, preview, status, correlation_id)
         VALUES (?,?,?,?,?,?,?,?,?, 'pending', ?)`,
      )
      .run(
        id,
        now.toISOString(),
        new Date(now.getTime() + this.ttlSeconds * 1000).toISOString(),
        input.server,
        input.tool,
        input.client,
        input.argsHash,
        JSON.stringify(input.args ?? null),
        JSON.stringify(input.preview),
        input.correlationId,
      );
    return this.get(id);
  }

  get(id: string): Approval {
    this.expireOld();
    const row = this.db.prepare('SELECT * FROM approvals WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new HearthError('NOT_FOUND', `approval ${id} does not exist`, 'Run `hearth approvals list` to see the queue.');
    return toApproval(row);
  }

  list(status?: ApprovalStatus, limit = 100): Approval[] {
    this.expireOld();
    const rows = (
      status
        ? this.db.prepare('SELECT * FROM approvals WHERE status = ? ORDER BY created_at DESC LIMIT ?').all(status, limit)
        : this.db.prepare('SELECT * FROM approvals ORDER BY created_at DESC LIMIT ?').all(limit)
    ) as Row[];
    return rows.map(toApproval);
  }

  /** A person's decision. Only a pending approval can be decided. */
  decide(id: string, decision: 'approved' | 'denied', by: string, reason?: string): Approval {
    const current = this.get(id);
    if (current.status !== 'pending') {
      throw new HearthError(
        'CONFLICT',
        `approval ${id} is ${current.status}, not pending`,
        current.status === 'expired' ? 'Ask the assistant to make the call again; it will queue a new approval.' : 'Nothing to decide.',
      );
    }
    const changed = this.db
      .prepare(`UPDATE approvals SET status = ?, decided_at = ?, decided_by = ?, reason = ? WHERE id = ? AND status = 'pending'`)
      .run(decision, this.now().toISOString(), by, reason ?? null, id).changes;
    if (changed !== 1)
      throw new HearthError(
        'CONFLICT',
        `approval ${id} was decided by someone else just now`,
        'Run `hearth approvals show` to see its state.',
      );
    return this.get(id);
  }

  /**
   * What the approval for this call means, with its consequence written: an approved call is taken
   * (consumed) by this caller or, when a concurrent caller took it first, this one gets `none` and
   * needs its own approval; a denial is marked as reported. A named approval that does not exist is
   * NOT_FOUND.
   */
  resolve(call: ApprovalCall): ApprovalResolution {
    const found = call.approvalId !== undefined ? this.get(call.approvalId) : this.findOpen(call.server, call.tool, call.argsHash);
    const resolution = readApproval(found, call);
    if (resolution.kind === 'approved' && !this.consume(resolution.approval.id)) return { kind: 'none' };
    if (resolution.kind === 'denied') this.acknowledgeDenial(resolution.approval.id);
    return resolution;
  }

  /**
   * Takes an approved approval for execution. Atomic: of any number of concurrent callers exactly
   * one gets `true`, so an approved call runs exactly once.
   */
  private consume(id: string): boolean {
    return (
      this.db
        .prepare(`UPDATE approvals SET status = 'consumed', consumed_at = ? WHERE id = ? AND status = 'approved'`)
        .run(this.now().toISOString(), id).changes === 1
    );
  }

  /** Marks a denial as reported to the caller, so the next identical call queues a fresh request. */
  private acknowledgeDenial(id: string): void {
    this.db
      .prepare(`UPDATE approvals SET consumed_at = ? WHERE id = ? AND status = 'denied' AND consumed_at IS NULL`)
      .run(this.now().toISOString(), id);
  }
}
