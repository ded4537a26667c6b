// What a queued approval means for the call in front of it. A call either names an approval
// (`_meta["hearth/approvalId"]`) or is matched to the open one for its exact arguments; the answer is
// a discriminated union the dispatcher carries out. `readApproval` is the pure reading of a status
// (tests/unit/approvals.test.ts holds its table); ApprovalQueue.resolve adds what must happen in
// the database — taking an approved call exactly once, reporting a denial once.
import type { Approval } from './approval.js';

/** The call being gated: its identity (the hash of its parsed arguments) and the approval it names, if any. */
export interface ApprovalCall {
  server: string;
  tool: string;
  argsHash: string;
  approvalId?: string | undefined;
}

export type ApprovalResolution =
  /** A person approved this exact call and this caller took the approval: it runs now, once. */
  | { kind: 'approved'; approval: Approval }
  /** A person said no; reported to this caller, after which an identical call queues afresh. */
  | { kind: 'denied'; approval: Approval }
  /** Still waiting for a person. */
  | { kind: 'pending'; approval: Approval }
  /** Nothing usable (none, used up, expired, or taken by a concurrent caller): queue a new request. */
  | { kind: 'none' }
  /** The named approval was given for another call (other tool or other arguments). */
  | { kind: 'mismatch'; approval: Approval };

/** The meaning of the approval found for a call, before anything is written. */
export function readApproval(found: Approval | undefined, call: ApprovalCall): ApprovalResolution {
  if (!found) return { kind: 'none' };
  if (found.server !== call.server || found.tool !== call.tool || found.argsHash !== call.argsHash)
    return { kind: 'mismatch', approval: found };
  switch (found.status) {
    case 'approved':
      return { kind: 'approved', approval: found };
    case 'denied':
      return { kind: 'denied', approval: found };
    case 'pending':
      return { kind: 'pending', approval: found };
    case 'consumed':
    case 'expired':
      return { kind: 'none' };
  }
}
