// The plan server: plans as data — validated against the tools that exist, simulated as one dry-run
// report, run as durable jobs that survive a crash and undo themselves on failure (see
// docs/servers/plan.md). It reaches the other servers only as their MCP client.
import type { HearthConfig } from '../../shared/config.js';
import { Kernel } from '../../shared/kernel.js';
import { defineServer, type HearthServer } from '../../shared/server.js';
import { killPoint } from './kill-point.js';
import { Planner } from './planner.js';
import { planPrompts } from './prompts.js';
import type { PlanRuntime } from './runtime.js';
import { planSettings } from './settings.js';
import { Siblings } from './siblings.js';
import { PlanStore } from './store.js';
import { planTools } from './tools/index.js';

const INSTRUCTIONS = `Hearth plan runs multi-step tasks safely: a plan is JSON steps that call tools of the other Hearth servers (memory_*, code_*, web_*, llm_*), wired with {"$ref": "steps.<id>.output.<path>"} and {"$input": "<name>"}, guarded by CEL conditions (when/pre/post).
- plan_validate checks a plan; plan_simulate shows what it would do (every write as a preview) and changes nothing — show it to the person.
- plan_run starts it as a durable run (in draft mode the person approves the simulated plan once); follow it with plan_status, steer it with plan_cancel and plan_resume, list runs with plan_list.
- plan_save and plan_playbooks keep reusable plans with inputs.`;

export interface PlanServerOptions {
  /** Where HEARTH_PLAN_KILL_AT is read from (the crash test's kill points); default the process environment. */
  env?: NodeJS.ProcessEnv;
}

export function createServer(config: HearthConfig, options: PlanServerOptions = {}): HearthServer {
  const kernel = new Kernel({ config, server: 'plan', ...(options.env ? { env: options.env } : {}) });
  let planner: Planner;
  try {
    const settings = planSettings(config);
    const log = kernel.log.child({ component: 'runner' });
    const store = new PlanStore(settings.database);
    const siblings = new Siblings(settings.servers, {
      cache: store,
      onStderr: (server, line) => log.debug({ server, line }, 'server stderr'),
    });
    planner = new Planner({
      settings,
      store,
      siblings,
      grants: kernel.grants,
      kill: killPoint((options.env ?? process.env).HEARTH_PLAN_KILL_AT),
      log,
    });
  } catch (error) {
    kernel.close();
    throw error;
  }
  const runtime: PlanRuntime = { kernel, planner };
  const server = defineServer({
    name: 'plan',
    instructions: INSTRUCTIONS,
    kernel,
    tools: planTools(runtime),
    prompts: planPrompts(),
    close: () => planner.close(),
  });
  // Runs a previous process left unfinished carry on once the server is up.
  setImmediate(() => {
    const resumed = planner.runner.resumeAll();
    if (resumed.length) kernel.log.info({ runs: resumed }, 'resuming unfinished runs');
  });
  return server;
}
