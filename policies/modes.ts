// The three modes. observe: read tools run, write/external tools only preview. draft (default):
// write/external tools need a person's approval. autopilot: run within allowlists and budgets.
// A mode may be narrowed (towards observe) per plan or call, never widened.
import * as z from 'zod';

export const MODES = ['observe', 'draft', 'autopilot'] as const;
export const Mode = z.enum(MODES);
export type Mode = z.infer<typeof Mode>;

const RANK: Record<Mode, number> = { observe: 0, draft: 1, autopilot: 2 };

/** The narrower of two modes. */
function narrowest(a: Mode, b: Mode): Mode {
  return RANK[a] <= RANK[b] ? a : b;
}

/** Applies a requested mode: it takes effect only if it is narrower than the granted one. */
export function narrow(granted: Mode, requested: Mode | undefined): Mode {
  return requested === undefined ? granted : narrowest(granted, requested);
}
