// An approval: one write/external call waiting for a person's decision, or decided. The queue
// (approvals.ts) stores them; approval-resolution.ts says what one means for the call in front of it.
import type { Preview } from '../lib/preview.js';

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'consumed' | 'expired';

export interface Approval {
  id: string;
  createdAt: string;
  expiresAt: string;
  server: string;
  tool: string;
  client: string;
  argsHash: string;
  /** Redacted arguments, for showing to the person. */
  args: unknown;
  preview: Preview;
  status: ApprovalStatus;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
  consumedAt: string | null;
  correlationId: string;
}
