// The mode table: what a tool call may do, from its effect, the mode, a requested dry-run, whether
// the client can ask its person mid-call, and whether the person's policy (or their approval of a
// plan, as a signed grant) already approves the call.
// A pure function, so the whole table is a unit test (tests/unit/decide.test.ts); the dispatcher only
// carries the decision out.
import { changesSomething, type Effect } from '../lib/effect.js';
import type { Mode } from './modes.js';

export interface CallFacts {
  effect: Effect;
  mode: Mode;
  /** The caller asked for a preview only (`_meta["hearth/dryRun"]`). */
  dryRun: boolean;
  /** The client can put a question to its person and send the answer back (MCP elicitation). */
  canElicit: boolean;
  /**
   * A standing approval: why the person's policy itself approves this call (spending its own limits
   * hold), as the tool reports it; absent when a person must decide.
   */
  standing?: string | undefined;
  /**
   * The call's preview shows it would change nothing (lib/preview.ts changesNothing): asking the
   * person about it would only teach them to approve without reading. Known only once the preview
   * is made, so the dispatcher asks again with it when the first answer is to ask.
   */
  changesNothing?: boolean | undefined;
  /** A valid signed grant for exactly this call: the plan approval (its id) that covers it. */
  granted?: string | undefined;
}

export type CallDecision =
  /** A read tool, or autopilot: the handler runs. */
  | { kind: 'run' }
  /** Show what the call would do and change nothing. */
  | { kind: 'preview'; reason: 'dry-run' | 'observe' }
  /** Draft mode, but the policy already approves this call: it runs, and the audit says why. */
  | { kind: 'run-within-policy'; reason: string }
  /** Draft mode, and the preview shows the call changes nothing: it runs without asking, audited as such. */
  | { kind: 'run-unchanged' }
  /** Draft mode, and a person already approved exactly this call as part of a plan: it runs, and the audit names the approval. */
  | { kind: 'run-granted'; approval: string }
  /** Draft mode: the client asks its person, showing the preview; the call runs on a yes. */
  | { kind: 'ask' }
  /** Draft mode, no way to ask mid-call: the approval queue (`hearth approvals`) decides. */
  | { kind: 'approval-queue' };

export function decide(facts: CallFacts): CallDecision {
  // Reads never change anything: no mode or dry-run holds them back.
  if (!changesSomething(facts.effect)) return { kind: 'run' };
  if (facts.dryRun) return { kind: 'preview', reason: 'dry-run' };
  switch (facts.mode) {
    case 'observe':
      return { kind: 'preview', reason: 'observe' };
    case 'autopilot':
      return { kind: 'run' };
    case 'draft':
      if (facts.granted !== undefined) return { kind: 'run-granted', approval: facts.granted };
      if (facts.standing !== undefined) return { kind: 'run-within-policy', reason: facts.standing };
      if (facts.changesNothing === true) return { kind: 'run-unchanged' };
      return facts.canElicit ? { kind: 'ask' } : { kind: 'approval-queue' };
  }
}
