// What every plan tool receives: the kernel (policy, audit, grants) and the planner, opened (with its
// journal, CEL and the MCP client of the other servers) on the first call that needs it.
import type { Kernel } from '../../shared/kernel.js';
import type { Planner } from './planner.js';

export interface PlanRuntime {
  kernel: Kernel;
  planner: () => Promise<Planner>;
}
