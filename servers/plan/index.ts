// The plan server: plans as data — validated against the tools that exist, simulated as one dry-run
// report, run as durable jobs that survive a crash and undo themselves on failure (see
// docs/servers/plan.md). It reaches the other servers only as their MCP client.
import { describeError } from '../../lib/errors.js';
import type { HearthConfig } from '../../shared/config.js';
import { Kernel } from '../../shared/kernel.js';
import { OnFirstUse } from '../../shared/on-first-use.js';
import { defineServer, type HearthServer } from '../../shared/server.js';
import { killPoint } from './kill-point.js';
import type { Planner } from './planner.js';
import { planPrompts } from './prompts.js';
import type { PlanRuntime } from './runtime.js';
import { planSettings } from './settings.js';
import type { PlanStore } from './store.js';
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
  let store: OnFirstUse<PlanStore>;
  let planner: OnFirstUse<Planner>;
  try {
    // Settings stay at start, so a bad configuration stops the server with its message. The journal,
    // CEL and the MCP client of the other servers load on the first call that needs them.
    const settings = planSettings(config);
    const kill = killPoint((options.env ?? process.env).HEARTH_PLAN_KILL_AT);
    const log = kernel.log.child({ component: 'runner' });
    store = new OnFirstUse(
      'the plan journal',
      async () => new (await import('./store.js')).PlanStore(settings.database),
      (opened) => opened.close(),
    );
    planner = new OnFirstUse(
      'the planner',
      async () => {
        const [journal, { Siblings }, { Planner }] = await Promise.all([store.get(), import('./siblings.js'), import('./planner.js')]);
        const siblings = new Siblings(settings.servers, {
          cache: journal,
          onStderr: (server, line) => log.debug({ server, line }, 'server stderr'),
        });
        const opened = new Planner({ settings, store: journal, siblings, grants: kernel.grants, kill, log });
        // Runs a previous process left unfinished carry on as soon as the planner is up.
        const resumed = opened.runner.resumeAll();
        if (resumed.length) kernel.log.info({ runs: resumed }, 'resuming unfinished runs');
        return opened;
      },
      // The planner closes the journal; one never opened leaves the journal to close here.
      (opened) => opened.close(),
    );
  } catch (error) {
    kernel.close();
    throw error;
  }
  const runtime: PlanRuntime = { kernel, planner: () => planner.get() };
  const server = defineServer({
    name: 'plan',
    instructions: INSTRUCTIONS,
    kernel,
    tools: planTools(runtime),
    prompts: planPrompts(),
    close: async () => {
      if (!(await planner.close())) await store.close();
    },
  });
  // Runs a previous process left unfinished carry on once the server is up: only the journal is read
  // to find them, and the planner (which resumes them) opens when there is one.
  setImmediate(() => void resumeUnfinished(store, planner, kernel));
  return server;
}

async function resumeUnfinished(store: OnFirstUse<PlanStore>, planner: OnFirstUse<Planner>, kernel: Kernel): Promise<void> {
  try {
    if ((await store.get()).resumable().length > 0) await planner.get();
  } catch (error) {
    kernel.log.warn({ err: describeError(error) }, 'unfinished runs were not resumed; the next plan call resumes them');
  }
}
