// What the budget tools are wired to, built once by createServer: the kernel (policy, redaction)
// and the gateway with its ledger. Owned by the server; the budget closes with it.
import type { Kernel } from '../../shared/kernel.js';
import type { Budget } from './budget.js';

export interface BudgetRuntime {
  kernel: Kernel;
  budget: Budget;
}
