// What a queued approval means for a call, as a table over the pure reading, then the queue itself
// on a real kernel database: an approved call is taken exactly once, a denial is reported once, a
// named approval for other arguments is a mismatch, and an expired one is as good as none.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Db } from '../../lib/sqlite.js';
import type { Approval, ApprovalStatus } from '../../policies/approval.js';
import { type ApprovalCall, readApproval } from '../../policies/approval-resolution.js';
import { ApprovalQueue, callHash } from '../../policies/approvals.js';
import { openKernelDb } from '../../shared/kernel-db.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

const CALL: ApprovalCall = { server: 'memory', tool: 'memory_delete', argsHash: callHash('memory', 'memory_delete', { documentIds: [1] }) };

function approval(status: ApprovalStatus, over: Partial<Approval> = {}): Approval {
  return {
    id: 'apr_1',
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-01-02T00:00:00.000Z',
    server: CALL.server,
    tool: CALL.tool,
    client: 'stdio',
    argsHash: CALL.argsHash,
    args: {},
    preview: { summary: 'Delete 1 document', changes: [] },
    status,
    decidedAt: null,
    decidedBy: null,
    reason: null,
    consumedAt: null,
    correlationId: 'c_1',
    ...over,
  };
}

describe('readApproval', () => {
  const rows: [string, Approval | undefined, string][] = [
    ['no approval', undefined, 'none'],
    ['pending', approval('pending'), 'pending'],
    ['approved', approval('approved'), 'approved'],
    ['denied', approval('denied'), 'denied'],
    ['consumed (already ran once)', approval('consumed'), 'none'],
    ['expired', approval('expired'), 'none'],
    ['approved, for other arguments', approval('approved', { argsHash: 'f'.repeat(64) }), 'mismatch'],
    ['pending, for another tool', approval('pending', { tool: 'memory_ingest' }), 'mismatch'],
    ['approved, on another server', approval('approved', { server: 'code' }), 'mismatch'],
  ];
  it.each(rows)('%s → %s', (_, found, kind) => {
    expect(readApproval(found, CALL).kind).toBe(kind);
  });
});

describe('ApprovalQueue.resolve', () => {
  let home: TempHome;
  let db: Db;
  let now: Date;
  let queue: ApprovalQueue;

  beforeEach(() => {
    home = tempHome('hearth-approvals-');
    db = openKernelDb(home.dir);
    now = new Date('2026-03-01T10:00:00Z');
    queue = new ApprovalQueue(db, 60, () => now);
  });
  afterEach(() => {
    db.close();
    home.cleanup();
  });

  const request = (call: ApprovalCall = CALL) =>
    queue.request({ ...call, client: 'stdio', args: {}, preview: { summary: 's', changes: [] }, correlationId: 'c_1' });

  it('finds nothing for a call that was never queued', () => {
    expect(queue.resolve(CALL)).toEqual({ kind: 'none' });
  });

  it('reports a pending approval until a person decides', () => {
    const queued = request();
    expect(queue.resolve(CALL)).toMatchObject({ kind: 'pending', approval: { id: queued.id } });
    expect(queue.resolve({ ...CALL, approvalId: queued.id })).toMatchObject({ kind: 'pending' });
  });

  it('hands an approved call to exactly one caller; the next identical call needs a new approval', () => {
    const queued = request();
    queue.decide(queued.id, 'approved', 'dana');
    const first = queue.resolve(CALL);
    const second = queue.resolve(CALL);
    expect(first).toMatchObject({ kind: 'approved', approval: { id: queued.id } });
    expect(second).toEqual({ kind: 'none' });
    expect(queue.get(queued.id).status).toBe('consumed');
    // Naming the used approval does not run the call again either.
    expect(queue.resolve({ ...CALL, approvalId: queued.id })).toEqual({ kind: 'none' });
  });

  it('lets two queues on one database race for one approval: one runs, the other gets none', () => {
    const other = new ApprovalQueue(db, 60, () => now);
    const queued = request();
    queue.decide(queued.id, 'approved', 'dana');
    const kinds = [queue.resolve(CALL).kind, other.resolve(CALL).kind].sort();
    expect(kinds).toEqual(['approved', 'none']);
  });

  it('reports a denial once, with who and why; then an identical call queues afresh', () => {
    const queued = request();
    queue.decide(queued.id, 'denied', 'dana', 'wrong document');
    expect(queue.resolve(CALL)).toMatchObject({ kind: 'denied', approval: { decidedBy: 'dana', reason: 'wrong document' } });
    expect(queue.resolve(CALL)).toEqual({ kind: 'none' });
  });

  it('calls a named approval for other arguments a mismatch, and leaves it untouched', () => {
    const queued = request();
    queue.decide(queued.id, 'approved', 'dana');
    const otherArgs = { ...CALL, argsHash: callHash('memory', 'memory_delete', { documentIds: [2] }), approvalId: queued.id };
    expect(queue.resolve(otherArgs)).toMatchObject({ kind: 'mismatch', approval: { id: queued.id } });
    expect(queue.get(queued.id).status).toBe('approved');
  });

  it('treats an approval past its time as none, even once approved', () => {
    const queued = request();
    queue.decide(queued.id, 'approved', 'dana');
    now = new Date(now.getTime() + 61_000);
    expect(queue.resolve(CALL)).toEqual({ kind: 'none' });
    expect(queue.get(queued.id).status).toBe('expired');
  });

  it('says NOT_FOUND for a named approval that does not exist', () => {
    expect(() => queue.resolve({ ...CALL, approvalId: 'apr_000000000000' })).toThrow(/does not exist/);
  });
});
