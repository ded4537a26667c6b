// What every plan tool receives: the kernel (policy, audit, grants) and the planner.
import type { Kernel } from '../../shared/kernel.js';
import type { Planner } from './planner.js';

export interface PlanRuntime {
  kernel: Kernel;
  planner: Planner;
}
